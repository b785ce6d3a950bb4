import { describe, expect, it } from "@jest/globals";
import { userInfo } from "node:os";
import { runCli } from "../../adapters/cli/run-cli.js";
import { FakeClock } from "../support/fake-clock.js";
import { sequentialIds } from "../support/fixed-ids.js";
import { memoryIo } from "../support/memory-io.js";
import { createTestRegistry } from "../support/test-steps.js";

const world = "test/fixtures/worlds/basic.yaml";
const options = () => ({
  registry: createTestRegistry(),
  runbookPaths: ["test/fixtures/runbooks/catalog"],
  clock: new FakeClock(),
  ids: sequentialIds(),
});
const cli = async (argv: string[], env: Record<string, string> = {}, tty = false) => {
  const io = memoryIo({ USER: "tester", ...env }, tty);
  const code = await runCli(argv, io, options());
  return { code, out: io.out(), err: io.err() };
};

describe("egress: grammar and help", () => {
  it("prints help with the CLI-only commands and flags, exit 0", async () => {
    const { code, out } = await cli(["help"]);
    expect(code).toBe(0);
    expect(out).toContain(
      "egress <command> [--output text|json|markdown|csv] [--world <file|demo>] [--fail-on error|warning]",
    );
    expect(out).toContain("runbook lint [paths ...]");
  });
  it("explains a usage error in one line plus the usage line, exit 2", async () => {
    expect(await cli(["show", "cluster"])).toEqual({
      code: 2,
      out: "",
      err: "egress: missing <cluster>\nusage: show cluster <cluster>\n",
    });
    expect((await cli(["show", "cluster", "aks-prod", "--output", "yaml"])).err).toContain(
      'egress: --output "yaml": expected one of text, json, markdown, csv',
    );
  });
  it("refuses csv where the result is not a table, exit 2", async () => {
    expect((await cli(["show", "cluster", "aks-prod", "--output", "csv", "--world", world])).code).toBe(2);
  });
});

describe("egress: running commands against a world", () => {
  it("shows a simulated run in the terminal", async () => {
    const { code, out } = await cli(["show", "cluster", "aks-prod", "--world", world]);
    expect(code).toBe(0);
    expect(out).toMatch(
      /^show-cluster 0\.1\.0 · \S+ · \d+ms\nshow-cluster {2}error: Egress depends on a user-defined route {2}SIMULATED\nrun succeeded · /,
    );
    expect(out).toContain("error     EGRESS_DEPENDS_ON_UDR  Egress depends on a user-defined route");
    expect(out).toContain("→ Triage: egress triage aks-prod --since 1h");
    expect(out).toMatch(/Steps\n {2}STEP +STATUS +TRIES +TIME +NOTE\n {2}cluster +succeeded +1 +0ms/);
  });
  it("prints the bundle as JSON", async () => {
    const { code, out } = await cli(["show", "cluster", "aks-lb", "--world", world, "--output", "json"]);
    expect(code).toBe(0);
    const bundle = JSON.parse(out) as Record<string, unknown>;
    expect(bundle).toMatchObject({
      schema: "egress.evidence/v1",
      runId: "run-1",
      simulated: true,
      status: "succeeded",
      // The OS user, not $USER: the audit and the bundle name who really ran it.
      requestedBy: { platform: "cli", user: userInfo().username },
      cluster: { name: "aks-lb", outboundType: "loadBalancer" },
      nodePools: ["system"],
      findings: [{ code: "LOAD_BALANCER_EGRESS", severity: "info" }],
    });
  });
  it("prints the bundle as Markdown", async () => {
    const { out } = await cli(["show", "cluster", "aks-prod", "--world", world, "--output", "markdown"]);
    expect(out).toContain("# show-cluster: error: Egress depends on a user-defined route (SIMULATED)");
    expect(out).toContain("(show-cluster 0.1.0), **succeeded**");
    expect(out).toContain(
      "| error | `EGRESS_DEPENDS_ON_UDR` | Egress depends on a user-defined route<br>aks-prod sends 0.0.0.0/0 to an appliance. | Check the route table. | cluster-1 |",
    );
  });
  it("exits 1 when findings reach --fail-on, 0 when they do not", async () => {
    expect((await cli(["show", "cluster", "aks-prod", "--world", world, "--fail-on", "error"])).code).toBe(1);
    expect((await cli(["show", "cluster", "aks-lb", "--world", world, "--fail-on", "warning"])).code).toBe(0);
  });
  it("exits 3 when the run fails, saying why", async () => {
    // The world holds nothing; the refused cluster's subscription is one the bot is configured to read.
    const { code, out } = await cli(["show", "cluster", "aks-prod", "--world", "test/fixtures/worlds/forbidden.yaml"], {
      EGRESS_SUBSCRIPTIONS: "5b7e2c1d-9a34-4f08-b6e1-0c2d3e4f5a6b",
    });
    expect(code).toBe(3);
    expect(out).toContain("What went wrong (run failed):");
    expect(out).toMatch(/cluster: Reading \/subscriptions\/.*\/aks-prod was forbidden \(HTTP 403\)\./);
  });
  it("reads the world from EGRESS_WORLD", async () => {
    expect((await cli(["show", "cluster", "aks-prod"], { EGRESS_WORLD: world })).code).toBe(0);
  });
  it("names what --world accepts when given something else", async () => {
    const missing = await cli(["show", "cluster", "aks-prod", "--world", "nope.yaml"]);
    expect(missing.err).toContain(
      "Cannot read world nope.yaml: no such file. --world accepts demo (the built-in demo world) or a world file (egress.world/v1 YAML",
    );
    const invalid = await cli([
      "show",
      "cluster",
      "aks-prod",
      "--world",
      "test/fixtures/runbooks/good/all-features.yaml",
    ]);
    expect(invalid.err).toContain(
      'test/fixtures/runbooks/good/all-features.yaml: (top): unknown key "apiVersion", "kind", "metadata", "spec"',
    );
  });
  it("answers commands whose runbook is not installed with the installed list, exit 2", async () => {
    const { code, err } = await cli(["whois", "203.0.113.7", "--world", world]);
    expect(code).toBe(2);
    expect(err).toBe('egress: The runbook "whois" is not installed (runbooks: show-cluster).\n');
  });
  it("runs any runbook with key=value inputs and checks them", async () => {
    expect((await cli(["run", "show-cluster", "cluster=aks-lb", "--world", world])).code).toBe(0);
    const bad = await cli(["run", "show-cluster", "cluster=aks-lb", "colour=red", "--world", world]);
    expect(bad).toMatchObject({
      code: 2,
      err: "egress: Invalid input for show-cluster: colour is not an input of this runbook (inputs: cluster).\n",
    });
  });
  it("lists runbooks as a table and as JSON", async () => {
    expect((await cli(["runbooks"])).out).toMatch(
      /RUNBOOK +VERSION +TITLE +INPUTS\n {2}show-cluster +0\.1\.0 +Show cluster \(test\) +cluster\n/,
    );
    expect(JSON.parse((await cli(["runbooks", "--output", "json"])).out)).toMatchObject({
      runbooks: [{ name: "show-cluster", inputs: [{ name: "cluster", type: "cluster", required: true }] }],
    });
  });
  it("refuses to start with an invalid configuration, naming every problem", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const file = join(mkdtempSync(join(tmpdir(), "egress-config-")), "egress.yaml");
    writeFileSync(file, "azure: { cacheTtl: soon }\nconsole: { enabled: maybe }\n");
    expect(await cli(["runbooks"], { EGRESS_CONFIG: file, AZURE_CLOUD: "Mars" })).toEqual({
      code: 2,
      out: "",
      err: `egress: ${file}: azure.cacheTtl: a duration looks like 30s, 5m or 1h\negress: ${file}: console.enabled: expected boolean, received string\negress: AZURE_CLOUD: "Mars" is not AzureCloud, AzureUSGovernment or AzureChinaCloud\n`,
    });
  });
  it("runs doctor against a world", async () => {
    const { code, out } = await cli(["doctor", "--world", world]);
    expect(code).toBe(0);
    expect(out).toContain("✓ SIMULATED world test/fixtures/worlds/basic.yaml");
    expect(out).toContain("✓ Microsoft.ContainerService/managedClusters/read: 2 cluster(s) readable");
    expect(out).toContain("No problems found.");
    const incomplete = await cli(["doctor", "--world", world, "--output", "json"], { SLACK_BOT_TOKEN: "xoxb-test" });
    expect(incomplete.code).toBe(1);
    expect(JSON.parse(incomplete.out)).toMatchObject({
      problems: ["slack: missing SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN with SLACK_BOT_TOKEN for Socket Mode)."],
    });
  });
  it("captures a cluster into a world file that loads, and never overwrites one", async () => {
    const { mkdtempSync, readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const out = join(mkdtempSync(join(tmpdir(), "egress-cli-")), "captured.yaml");
    const first = await cli(["capture", "cluster", "rg-prod/aks-prod", "--out", out, "--world", world]);
    // The cluster, and its (here empty) outbound dependencies list, so a replay answers the same.
    expect(first).toMatchObject({ code: 0, out: `captured 2 resources into ${out} (from a SIMULATED world)\n` });
    expect(readFileSync(out, "utf8")).toContain("schema: egress.world/v1");
    expect((await cli(["show", "cluster", "aks-prod", "--world", out])).code).toBe(0);
    expect((await cli(["capture", "cluster", "rg-prod/aks-prod", "--out", out, "--world", world])).err).toContain(
      "it exists (choose another --out)",
    );
  });
});

describe("egress: terminal manners", () => {
  it("colours output on a TTY and not with NO_COLOR or when piped", async () => {
    const args = ["show", "cluster", "aks-prod", "--world", world];
    expect((await cli(args, {}, true)).out).toContain("\u001b[");
    expect((await cli(args, { NO_COLOR: "1" }, true)).out).not.toContain("\u001b[");
    expect((await cli(args)).out).not.toContain("\u001b[");
  });
  it("shows progress on stderr on a TTY", async () => {
    const { err } = await cli(["show", "cluster", "aks-prod", "--world", world], { NO_COLOR: "1" }, true);
    expect(err).toContain("▶ show-cluster: 2 step(s)");
    expect(err).toContain("  ✓ cluster 0ms");
    expect(err).toContain("■ succeeded");
  });
});

describe("egress runbook lint / test", () => {
  it("prints every problem as file:line:col and exits 1", async () => {
    const { code, out, err } = await cli(["runbook", "lint", "test/fixtures/runbooks/broken"]);
    expect(code).toBe(1);
    expect(
      out.split("\n").filter((line) => line.startsWith("test/fixtures/runbooks/broken/six-problems.yaml:")),
    ).toHaveLength(6);
    expect(err).toMatch(/^runbooks: \d+ problem\(s\) in 3 file\(s\)\n$/);
  });
  it("passes clean runbooks", async () => {
    expect(await cli(["runbook", "lint", "test/fixtures/runbooks/good", "test/fixtures/runbooks/catalog"])).toEqual({
      code: 0,
      out: "",
      err: "runbooks: no problems\n",
    });
  });
  it("runs one runbook file against a world", async () => {
    const { code, out } = await cli([
      "runbook",
      "test",
      "test/fixtures/runbooks/good/all-features.yaml",
      "cluster=aks-prod",
      "--world",
      world,
      "--output",
      "json",
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ runbook: { name: "all-features" }, summary: { count: 2 } });
  });
  it("needs a world, and reports a broken file instead of running it", async () => {
    expect((await cli(["runbook", "test", "test/fixtures/runbooks/good/all-features.yaml"])).code).toBe(2);
    const broken = await cli(["runbook", "test", "test/fixtures/runbooks/broken/six-problems.yaml", "--world", world]);
    expect(broken.code).toBe(1);
    expect(broken.out.trim().split("\n")).toHaveLength(6);
  });
});
