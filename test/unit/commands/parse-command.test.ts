import { describe, expect, it } from "@jest/globals";
import { parseCommand, parseTokens } from "../../../src/core/commands/parse-command.js";

const ok = (text: string, surface: "chat" | "cli" = "chat") => {
  const result = parseCommand(text, { surface });
  if (!result.ok) throw new Error(`expected ${text} to parse: ${result.error.reason}`);
  const command: {
    id: string;
    args: Readonly<Record<string, unknown>>;
    cliOptions: unknown;
    definition: { runbook?: string };
  } = result.command;
  return command;
};
const reason = (text: string, surface: "chat" | "cli" = "chat") => {
  const result = parseCommand(text, { surface });
  if (result.ok) throw new Error(`expected ${text} to be refused`);
  return result.error;
};
const clusterId =
  "/subscriptions/3f2c9a4e-8b1d-4c6e-9f0a-2d7b5e8c1a94/resourceGroups/rg-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod";

describe("parseCommand: the commands of the grammar", () => {
  it.each([
    ["show cluster aks-prod", "show-cluster", { cluster: "aks-prod" }],
    ["Show Cluster rg-prod/aks-prod", "show-cluster", { cluster: "rg-prod/aks-prod" }],
    [
      "show cluster 3f2c9a4e-8b1d-4c6e-9f0a-2d7b5e8c1a94/rg-prod/aks-prod",
      "show-cluster",
      { cluster: "3f2c9a4e-8b1d-4c6e-9f0a-2d7b5e8c1a94/rg-prod/aks-prod" },
    ],
    [`show cluster ${clusterId}`, "show-cluster", { cluster: clusterId }],
    [
      "triage aks-prod --dest api.vendor.example:443 --since 2h",
      "triage",
      { cluster: "aks-prod", dest: "api.vendor.example:443", since: "2h" },
    ],
    ["triage aks-prod --dest=203.0.113.9", "triage", { cluster: "aks-prod", dest: "203.0.113.9" }],
    ["triage aks-prod --dest [2001:db8::1]:8443", "triage", { cluster: "aks-prod", dest: "[2001:db8::1]:8443" }],
    ["source-ips aks-prod --partner 'Acme Payments'", "source-ips", { cluster: "aks-prod", partner: "Acme Payments" }],
    [
      "denies aks-prod --since 7d --top 100 --dest API.Vendor.Example",
      "denies",
      { cluster: "aks-prod", since: "7d", top: 100, dest: "api.vendor.example" },
    ],
    ["whois 2001:0db8:0000::0001", "whois", { ip: "2001:db8::1" }],
    ["fleet", "fleet", {}],
    [
      "whatif aks-prod --outbound-type userassignednatgateway --nat-gateway /subscriptions/3f2c9a4e-8b1d-4c6e-9f0a-2d7b5e8c1a94/resourceGroups/rg/providers/Microsoft.Network/natGateways/ng --pool apps",
      "whatif",
      {
        cluster: "aks-prod",
        "outbound-type": "userAssignedNATGateway",
        "nat-gateway":
          "/subscriptions/3f2c9a4e-8b1d-4c6e-9f0a-2d7b5e8c1a94/resourceGroups/rg/providers/Microsoft.Network/natGateways/ng",
        pool: "apps",
      },
    ],
    [
      "whatif aks-prod --outbound-type userDefinedRouting --udr-to 10.0.1.4",
      "whatif",
      { cluster: "aks-prod", "outbound-type": "userDefinedRouting", "udr-to": "10.0.1.4" },
    ],
    [
      "source-ips aks-prod --partner Contoso --record",
      "source-ips",
      { cluster: "aks-prod", partner: "Contoso", record: true },
    ],
    ["partners show 'Contoso Payments'", "partners-show", { partner: "Contoso Payments" }],
    ["drift --fail-on break", "drift", { "fail-on": "break" }],
    [
      "fleet --subscription 3F2C9A4E-8B1D-4C6E-9F0A-2D7B5E8C1A94 --outbound-type userdefinedrouting",
      "fleet",
      { subscription: "3f2c9a4e-8b1d-4c6e-9f0a-2d7b5e8c1a94", "outbound-type": "userDefinedRouting" },
    ],
    ["whois 198.51.100.4", "whois", { ip: "198.51.100.4" }],
    ["runbooks", "runbooks", {}],
    [
      'run show-cluster cluster=aks-prod note="two words"',
      "run",
      { runbook: "show-cluster", inputs: { cluster: "aks-prod", note: "two words" } },
    ],
    ["help", "help", {}],
    ["help show cluster", "help", { command: "show-cluster" }],
    ["", "help", {}],
  ])("%s", (text, id, args) => {
    const command = ok(text);
    expect(command.id).toBe(id);
    expect(command.args).toEqual(args);
  });

  it("knows which runbook answers each command", () => {
    expect(ok("show cluster aks-prod").definition.runbook).toBe("show-cluster");
    expect(ok("whois 203.0.113.7").definition.runbook).toBe("whois");
  });
});

describe("parseCommand: refusals give one line and the usage line", () => {
  it.each([
    ["show cluster", "missing <cluster>", "usage: show cluster <cluster>"],
    ["show pools aks-prod", 'unknown command "show pools"', "commands: help, show cluster"],
    ["frobnicate", 'unknown command "frobnicate"', "commands:"],
    ["show cluster aks prod", 'unexpected "prod"', "usage: show cluster <cluster>"],
    ["show cluster -bad-", "is not a valid cluster", "usage: show cluster"],
    [
      "show cluster /subscriptions/x/resourceGroups/r/providers/Microsoft.ContainerService/managedClusters/a",
      "not a GUID",
      "usage: show cluster",
    ],
    [
      "triage aks-prod --since 45d",
      "at most 30d",
      "usage: triage <cluster> [--dest <fqdn|ip>[:port]] [--since <duration>]",
    ],
    ["triage aks-prod --since soon", "a duration looks like 15m, 1h or 7d", "usage: triage"],
    ["triage aks-prod --dest localhost", "a destination is a host name", "usage: triage"],
    ["triage aks-prod --dest api.vendor.example:99999", "a port is a number from 1 to 65535", "usage: triage"],
    ["triage aks-prod --dest", "--dest needs a value", "usage: triage"],
    ["triage aks-prod --since 1h --since 2h", "--since is given twice", "usage: triage"],
    ["triage aks-prod --verbose yes", 'unknown option "--verbose"', "usage: triage"],
    ["denies aks-prod --top 0", "expected a number from 1 to 100", "usage: denies"],
    ["denies aks-prod --top 101", "expected a number from 1 to 100", "usage: denies"],
    ["whois 10.0.0", "an IP address looks like", "usage: whois <ip>"],
    ["whois 203.0.113.7/32", "an IP address looks like", "usage: whois <ip>"],
    ["fleet --subscription rg-prod", "a subscription ID is a GUID", "usage: fleet"],
    ["whatif aks-prod", "--outbound-type is required", "usage: whatif"],
    ["whatif aks-prod --outbound-type none --subnet rg/vnet/snet", "an ARM resource ID looks like", "usage: whatif"],
    ["source-ips aks-prod --record=yes", "--record takes no value", "usage: source-ips"],
    ["fleet --outbound-type nat", "expected one of loadBalancer, managedNATGateway", "usage: fleet"],
    ["run Bad_Name", "a runbook name has lower-case letters", "usage: run <runbook> [key=value ...]"],
    ["run show-cluster cluster", 'expected key=value, got "cluster"', "usage: run"],
    ["run show-cluster a=1 a=2", 'input "a" is given twice', "usage: run"],
    ["show cluster 'aks-prod", "a single quote is not closed", "commands:"],
    ["help frobnicate", 'no command is named "frobnicate"', "usage: help"],
  ])("%s", (text, expectedReason, expectedUsage) => {
    const error = reason(text);
    expect(error.reason).toContain(expectedReason);
    expect(error.usage).toContain(expectedUsage);
    expect(error.reason).not.toMatch(/\n/);
  });

  it("keeps CLI-only commands and flags out of chat", () => {
    expect(reason("doctor").reason).toBe('"doctor" works only in the terminal (egress doctor)');
    expect(reason("show cluster aks-prod --output json").reason).toBe("--output works only in the terminal");
    expect(ok("doctor", "cli").id).toBe("doctor");
    expect(ok("show cluster aks-prod --output json --world demo --fail-on warning", "cli").cliOptions).toEqual({
      output: "json",
      world: "demo",
      failOn: "warning",
    });
  });

  it("requires --out for capture and lists runbook lint paths", () => {
    expect(reason("capture cluster aks-prod", "cli").reason).toBe("--out is required");
    expect(ok("capture cluster aks-prod --out w.yaml", "cli").args).toEqual({ cluster: "aks-prod", out: "w.yaml" });
    expect(ok("runbook lint a.yaml runbooks/", "cli").args).toEqual({ paths: ["a.yaml", "runbooks/"] });
  });

  it("quotes user text safely: no newlines, at most 40 characters", () => {
    const error = reason(`frobnicate${"x".repeat(100)}\u0007`);
    expect(error.reason.length).toBeLessThan(70);
    expect(error.reason).toContain("…");
  });

  it("refuses very long input without working through it", () => {
    expect(reason(`show cluster ${"a".repeat(3000)}`).reason).toBe(
      "the command is too long (3013 characters; at most 2000)",
    );
  });

  it("parses argv words without re-splitting them", () => {
    const result = parseTokens(["source-ips", "aks-prod", "--partner", "Acme Payments"], { surface: "cli" });
    expect(result.ok && result.command.id === "source-ips" && result.command.args).toEqual({
      cluster: "aks-prod",
      partner: "Acme Payments",
    });
  });
});

describe("parseCommand: Slack's escaped text and autocorrected punctuation", () => {
  it("unwraps links, entities and smart punctuation", () => {
    expect(ok("triage aks-prod --dest <http://api.vendor.example|api.vendor.example>").args.dest).toBe(
      "api.vendor.example",
    );
    expect(ok("triage aks-prod --dest <https://api.vendor.example:8443>").args.dest).toBe("api.vendor.example:8443");
    expect(ok("source-ips aks-prod --partner \u201CAcme &amp; Sons\u201D").args.partner).toBe("Acme & Sons");
    expect(ok("triage aks-prod \u2014since 2h").args.since).toBe("2h");
  });

  it("names a user mention as such rather than crashing", () => {
    const error = reason("show cluster <@U123ABC|alice>");
    expect(error.reason).toContain('"@alice" is not a valid cluster');
  });

  it("decodes &lt; and &gt; before checking values", () => {
    expect(reason("whois &lt;203.0.113.7&gt;").reason).toContain('"<203.0.113.7>" is not a valid ip');
  });
});
