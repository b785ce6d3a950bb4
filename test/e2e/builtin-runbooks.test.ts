import { describe, expect, it } from "@jest/globals";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../adapters/cli/run-cli.js";
import { captureCluster } from "../../src/app/capture-cluster.js";
import { demoWorldWithFault } from "../support/demo-world-with-fault.js";
import { FakeClock } from "../support/fake-clock.js";
import { sequentialIds } from "../support/fixed-ids.js";
import { memoryIo } from "../support/memory-io.js";

interface Finding {
  code: string;
  severity: string;
  detail: string;
  evidenceIds: string[];
}
interface Bundle {
  status: string;
  digest: string;
  findings: Finding[];
  steps: { id: string; status: string }[];
  next: { label: string; command: string }[];
  proofSet: Record<string, { status: string; summary: string }>;
  denies?: {
    window: string;
    groups: { destination: string; denies: number; requiredEndpoint: string | null }[];
    more: number;
  };
  sourceIps?: {
    partner: string;
    cidrs: string[];
    addresses: { cidr: string; grade: string; resourceName: string; pools: string[] }[];
    stable: boolean;
  };
  whois?: {
    ip: string;
    matches: {
      kind: string;
      name: string;
      attachedTo: { type: string } | null;
      cluster: { name: string } | null;
      usedBy: { name: string; certain: boolean }[];
    }[];
    note: string | null;
  };
}

async function egress(
  args: string[],
  world = "demo",
  output = "json",
): Promise<{ code: number; out: string; bundle: Bundle }> {
  const io = memoryIo({ USER: "tester" });
  const clock = new FakeClock();
  const code = await runCli([...args, "--world", world, "--output", output], io, {
    ids: sequentialIds(),
    clock,
    azure: { now: () => clock.now() },
  });
  return { code, out: io.out(), bundle: (output === "json" ? JSON.parse(io.out()) : {}) as Bundle };
}
const codes = (bundle: Bundle) => bundle.findings.map((finding) => finding.code);

describe("triage", () => {
  it("aks-plant-prod --dest a vendor API: REQUIRED_ENDPOINT_DENIED and DESTINATION_DENIED, from the logs", async () => {
    const { code, bundle } = await egress(["triage", "aks-plant-prod", "--dest", "api.vendor.example:443"]);
    expect(code).toBe(0);
    expect(codes(bundle)).toEqual(expect.arrayContaining(["REQUIRED_ENDPOINT_DENIED", "DESTINATION_DENIED"]));
    const required = bundle.findings.find((finding) => finding.code === "REQUIRED_ENDPOINT_DENIED");
    expect(required).toMatchObject({
      severity: "critical",
      detail: expect.stringContaining("packages.aks.azure.com is required by AKS: 6 deny(ies)"),
    });
    expect(bundle.findings.find((finding) => finding.code === "DESTINATION_DENIED")?.detail).toMatch(
      /^8 deny\(ies\) of api\.vendor\.example:443 \(HTTPS\) over 1h/,
    );
    expect(bundle.steps.map((step) => [step.id, step.status])).toEqual([
      ["egress", "succeeded"],
      ["natSnat", "skipped"],
      ["loadBalancerSnat", "skipped"],
      ["firewallSnat", "succeeded"],
    ]);
    expect(bundle.proofSet.dns?.summary).toContain("AZFWDnsQuery: no failed lookups of api.vendor.example over 1h");
    expect(bundle.next.map((suggestion) => suggestion.command)).toEqual([
      "denies rg-plant-prod/aks-plant-prod --since 1d",
      "denies rg-plant-prod/aks-plant-prod --dest api.vendor.example:443 --since 1d",
      "source-ips rg-plant-prod/aks-plant-prod",
    ]);
    expect(Object.values(bundle.proofSet).map((item) => item.status)).toEqual([
      "collected",
      "collected",
      "collected",
      "collected",
      "collected",
    ]);
  });
  it("aks-analytics-prod: the load balancer branch finds failed SNAT connections in the metrics", async () => {
    const { bundle } = await egress(["triage", "aks-analytics-prod"]);
    const observed = bundle.findings.find(
      (finding) => finding.code === "SNAT_PORTS_INSUFFICIENT" && finding.severity === "error",
    );
    expect(observed?.detail).toMatch(
      /^Over the last 1h, kubernetes shows \d+ failed SNAT connection\(s\) against \d+ successful; a node used 512 of its 512 SNAT ports\.$/,
    );
    expect(bundle.steps.find((step) => step.id === "loadBalancerSnat")?.status).toBe("succeeded");
  });
  it("aks-claims-prod: the NAT gateway branch sees no pressure and raises nothing", async () => {
    const { bundle } = await egress(["triage", "aks-claims-prod"]);
    expect(bundle.findings).toEqual([]);
    expect(bundle.steps.find((step) => step.id === "natSnat")?.status).toBe("succeeded");
  });
});

describe("denies", () => {
  it("groups by destination, marks required endpoints, and says how many more", async () => {
    const { bundle } = await egress(["denies", "aks-plant-prod", "--since", "1d", "--top", "2"]);
    expect(bundle.denies?.groups.map((group) => [group.destination, group.denies, group.requiredEndpoint])).toEqual([
      ["packages.aks.azure.com:443", 6, "packages.aks.azure.com"],
      ["api.vendor.example:443", 9, null],
    ]);
    expect(bundle.denies?.more).toBe(1);
    expect(codes(bundle)).toEqual(["REQUIRED_ENDPOINT_DENIED"]);
  });
  it("narrows to a destination and reads the network table for an IP", async () => {
    const { bundle } = await egress(["denies", "aks-plant-prod", "--dest", "203.0.113.50:8443", "--since", "1d"]);
    expect(bundle.denies?.groups.map((group) => [group.destination, group.denies, group.requiredEndpoint])).toEqual([
      ["203.0.113.50:8443", 4, null],
    ]);
  });
  it("reads as a table in a terminal, with the 'more' line", async () => {
    const { out } = await egress(["denies", "aks-plant-prod", "--since", "1d", "--top", "2"], "demo", "text");
    expect(out).toMatch(/packages\.aks\.azure\.com:443 +HTTPS +6 +\S+ +\S+ +required +No rule matched/);
    expect(out).toContain("… 1 more destination(s); raise --top (up to 100) or narrow --since");
  });
  it("on a cluster without a firewall, says there is none, and does not tell anyone to fix its logs", async () => {
    const { bundle } = await egress(["denies", "aks-claims-prod"]);
    expect(codes(bundle)).toEqual([]);
    const result = bundle as unknown as { denies: { firewalls: unknown[]; logs: string } };
    expect(result.denies.firewalls).toEqual([]);
    expect(result.denies.logs).toBe("No firewall on the egress path: nothing logs egress per destination.");
  });
});

describe("source-ips", () => {
  it("gives the prefix as one stable CIDR for aks-claims-prod", async () => {
    const { bundle } = await egress(["source-ips", "aks-claims-prod", "--partner", "Acme Payments"]);
    expect(bundle.sourceIps).toMatchObject({
      partner: "Acme Payments",
      cidrs: ["20.31.18.40/30"],
      stable: true,
      addresses: [
        { cidr: "20.31.18.40/30", grade: "stable", resourceName: "ippre-claims-egress", pools: ["system", "claims"] },
      ],
    });
    expect(bundle.findings).toEqual([]);
  });
  it("grades an AKS-managed load balancer IP as not stable", async () => {
    const { bundle } = await egress(["source-ips", "aks-analytics-prod"]);
    expect(bundle.sourceIps?.addresses.map((address) => [address.cidr, address.grade])).toEqual([
      ["20.76.145.19/32", "managed"],
    ]);
    expect(codes(bundle)).toEqual(["SOURCE_IP_NOT_STABLE"]);
  });
  it("merges the firewall's addresses into minimal CIDRs and prints CSV", async () => {
    const { bundle } = await egress(["source-ips", "aks-plant-prod"]);
    expect(bundle.sourceIps?.cidrs).toEqual(["51.124.77.10/31"]);
    const csv = await egress(["source-ips", "aks-plant-prod"], "demo", "csv");
    expect(csv.out.split("\n")[0]).toBe("cidr,grade,resource,via,pools,reason,as_of");
    expect(csv.out.split("\n")[1]).toMatch(
      /^51\.124\.77\.10\/32,stable,pip-afw-hub-weu-01,azureFirewall afw-hub-weu,system line,"Standard SKU, static",2026-11-24T10:00:00\.000Z$/,
    );
  });
  it("refuses a cluster with no public source", async () => {
    const { bundle } = await egress(["source-ips", "aks-broken-dev"]);
    expect(codes(bundle)).toEqual(["NO_EGRESS_PATH"]);
  });
});

describe("whois", () => {
  it.each([
    ["20.31.18.41", "publicIpPrefix", "ippre-claims-egress", "NAT gateway", "aks-claims-prod"],
    // The hub firewall's address: the spoke cluster routed to it leaves through it.
    ["51.124.77.11", "publicIpAddress", "pip-afw-hub-weu-02", "Azure Firewall", "aks-plant-prod"],
    ["20.76.145.19", "publicIpAddress", "b6c2f8e1-4a7d-49c3-8e5b-1f0d2a9c7e64", "load balancer", "aks-analytics-prod"],
  ])("%s is a %s %s attached to a %s", async (ip, kind, name, attached, cluster) => {
    const { bundle } = await egress(["whois", ip]);
    expect(bundle.whois?.matches).toEqual([
      expect.objectContaining({
        kind,
        name,
        attachedTo: expect.objectContaining({ type: attached }),
        cluster: cluster ? expect.objectContaining({ name: cluster }) : null,
      }),
    ]);
  });
  it("follows a NAT gateway down to the clusters and node pools in its subnets", async () => {
    const { bundle } = await egress(["whois", "20.31.18.41"]);
    expect(bundle.whois?.matches[0]?.cluster).toEqual({
      name: "aks-claims-prod",
      resourceGroup: "rg-claims-prod",
      pools: ["system", "claims"],
    });
  });
  it("names every pool that leaves through a firewall's address, with what it was read from", async () => {
    const { bundle } = await egress(["whois", "51.124.77.10"]);
    expect(bundle.whois?.matches[0]?.usedBy).toEqual([
      expect.objectContaining({
        name: "aks-plant-prod",
        resourceGroup: "rg-plant-prod",
        pools: ["system", "line"],
        traffic: "nodes",
        certain: true,
      }),
    ]);
  });
  it("says a cluster may use an address when the NAT gateway on its path cannot be read, instead of guessing", async () => {
    const file = demoWorldWithFault('{ match: "natGateways/ng-claims-egress$", status: 403 }');
    const { bundle } = await egress(["whois", "20.31.18.41"], file);
    // Resource Graph lists only what the bot may read: the gateway is missing, so the pools' sources
    // are unknown; the prefix still names the gateway the pools' path crosses.
    expect(bundle.whois?.matches[0]?.cluster).toBeNull();
    expect(bundle.whois?.matches[0]?.usedBy).toEqual([
      expect.objectContaining({ name: "aks-claims-prod", certain: false, pools: ["system", "claims"] }),
    ]);
    expect(bundle.whois?.note).toMatch(
      /^rg-claims-prod\/aks-claims-prod may also leave through it: ng-claims-egress could not be read \(AZURE_NOT_FOUND\): .*may not read it/,
    );
  });
  it("says so when nothing owns an address, and why node IPs may not show", async () => {
    const { bundle } = await egress(["whois", "8.8.8.8"]);
    expect(bundle.whois).toEqual({
      ip: "8.8.8.8",
      asOf: "2026-11-24T10:00:00.000Z",
      matches: [],
      note: "No public IP resource, prefix or Virtual WAN hub firewall in the searched subscriptions has 8.8.8.8. Node-level public IPs of VM scale sets are not listed by Resource Graph.",
    });
  });
});

describe("fleet", () => {
  interface FleetBundle {
    status: string;
    fleet: {
      subscriptions: string[];
      resourceGraphPages: number;
      clusters: {
        name: string;
        outboundType: string;
        needsFullRead: string | null;
        pools: { name: string; kind: string; sources: string; sourceCidrs: string[] }[];
      }[];
    };
  }
  it("lists every demo cluster's pools with the kind and sources show cluster gives, from one Resource Graph page", async () => {
    const { code, bundle } = await egress(["fleet"]);
    const fleet = (bundle as unknown as FleetBundle).fleet;
    expect(code).toBe(0);
    expect(fleet.resourceGraphPages).toBe(1);
    expect(fleet.subscriptions).toEqual(["7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b"]);
    expect(
      fleet.clusters.map((cluster) => [
        cluster.name,
        cluster.outboundType,
        cluster.pools.map((pool) => `${pool.name}:${pool.kind}:${pool.sources}:${pool.sourceCidrs.join(" ")}`),
      ]),
    ).toEqual([
      [
        "aks-analytics-prod",
        "loadBalancer",
        ["system:loadBalancer:known:20.76.145.19/32", "spark:loadBalancer:known:20.76.145.19/32"],
      ],
      ["aks-broken-dev", "userDefinedRouting", ["system:none:none:"]],
      [
        "aks-claims-prod",
        "userAssignedNATGateway",
        ["system:natGateway:known:20.31.18.40/30", "claims:natGateway:known:20.31.18.40/30"],
      ],
      [
        "aks-plant-prod",
        "userDefinedRouting",
        [
          "system:azureFirewall:known:51.124.77.10/32 51.124.77.11/32",
          "line:azureFirewall:known:51.124.77.10/32 51.124.77.11/32",
        ],
      ],
    ]);
  });
  it("filters by outbound type, written in any case", async () => {
    const { bundle } = await egress(["fleet", "--outbound-type", "userdefinedrouting"]);
    expect((bundle as unknown as FleetBundle).fleet.clusters.map((cluster) => cluster.name)).toEqual([
      "aks-broken-dev",
      "aks-plant-prod",
    ]);
  });
  it("refuses a subscription that is not searched, saying what to do", async () => {
    const { bundle } = await egress(["fleet", "--subscription", "00000000-0000-0000-0000-000000000001"]);
    expect(bundle.status).toBe("failed");
    expect(JSON.stringify(bundle)).toContain("not one of the searched subscriptions");
  });
  it("writes CSV with one row per node pool, and Markdown with the table", async () => {
    const csv = await egress(["fleet"], "demo", "csv");
    const lines = csv.out.trimEnd().split("\n");
    expect(lines[0]).toBe(
      "subscription_id,resource_group,cluster,location,outbound_type,pool,mode,egress_kind,snat_by,snat_resource_id,sources_state,source_cidrs,pod_egress_kind,pod_source_cidrs,reason,as_of",
    );
    expect(lines).toHaveLength(8);
    expect(lines.find((line) => line.includes(",aks-broken-dev,"))).toMatch(
      /,system,System,none,none,,none,,,,"?no NAT gateway, public IP or load balancer outbound rule serves the subnet/,
    );
    const markdown = await egress(["fleet"], "demo", "markdown");
    expect(markdown.out).toContain("## Fleet egress");
    expect(markdown.out).toContain(
      "| rg-claims-prod/aks-claims-prod | 7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b | westeurope | userAssignedNATGateway | claims | natGateway | 20.31.18.40/30 |",
    );
  });
});

describe("capture and replay", () => {
  it.each(["aks-plant-prod", "aks-claims-prod", "aks-analytics-prod", "aks-broken-dev"])(
    "show-cluster on a capture of %s gives the same bundle (digest equal)",
    async (cluster) => {
      const clock = new FakeClock();
      const captured = await captureCluster(
        { world: "demo", now: () => clock.now() },
        cluster,
        new Date(clock.now()).toISOString(),
      );
      const file = join(mkdtempSync(join(tmpdir(), "egress-replay-")), `${cluster}.yaml`);
      writeFileSync(file, captured.text);
      const original = await egress(["show", "cluster", cluster]);
      const replayed = await egress(["show", "cluster", cluster], file);
      expect(replayed.bundle.digest).toBe(original.bundle.digest);
    },
  );
});
