import { describe, expect, it } from "@jest/globals";
import { runCli } from "../../adapters/cli/run-cli.js";
import { demoWorldWithFault } from "../support/demo-world-with-fault.js";
import { hangingShowWorld } from "../support/hanging-show-world.js";
import { FakeClock } from "../support/fake-clock.js";
import { sequentialIds } from "../support/fixed-ids.js";
import { memoryIo } from "../support/memory-io.js";

interface PoolJson {
  name: string;
  egress: { kind: string; snatBy: { type: string }; nextHopIp: string | null; via: string[] };
  sourceCidrs: string[];
}
interface BundleJson {
  nodePools: PoolJson[];
  proofSet: Record<string, { status: string; summary: string }>;
  findings: { code: string; severity: string; evidenceIds: string[] }[];
  evidence: { id: string; source: { operation: string } }[];
}

const show = async (cluster: string, output = "json") => {
  const io = memoryIo({ USER: "tester" });
  const clock = new FakeClock();
  const code = await runCli(["show", "cluster", cluster, "--world", "demo", "--output", output], io, {
    ids: sequentialIds(),
    clock,
    azure: { now: () => clock.now() },
  });
  return { code, out: io.out(), bundle: (output === "json" ? JSON.parse(io.out()) : {}) as BundleJson };
};
const codes = (bundle: BundleJson) => bundle.findings.map((finding) => `${finding.severity} ${finding.code}`);

describe("show cluster on the demo world (design §4)", () => {
  it("aks-claims-prod: NAT gateway with a prefix, no error", async () => {
    const { code, bundle } = await show("aks-claims-prod");
    expect(code).toBe(0);
    expect(bundle.nodePools.map((pool) => [pool.name, pool.egress.kind, pool.sourceCidrs])).toEqual([
      ["system", "natGateway", ["20.31.18.40/30"]],
      ["claims", "natGateway", ["20.31.18.40/30"]],
    ]);
    expect(codes(bundle).filter((finding) => /^(error|critical)/.test(finding))).toEqual([]);
    expect(Object.values(bundle.proofSet).map((item) => item.status)).toEqual([
      "collected",
      "collected",
      "collected",
      "collected",
      "notApplicable",
    ]);
  });
  it("aks-analytics-prod: load balancer with one managed IP and SNAT_PORTS_INSUFFICIENT", async () => {
    const { bundle } = await show("aks-analytics-prod");
    expect(bundle.nodePools.map((pool) => [pool.egress.kind, pool.sourceCidrs])).toEqual([
      ["loadBalancer", ["20.76.145.19/32"]],
      ["loadBalancer", ["20.76.145.19/32"]],
    ]);
    expect(codes(bundle)).toContain("warning SNAT_PORTS_INSUFFICIENT");
  });
  it("aks-plant-prod: the hub firewall path with the firewall's IPs, its logs and recent denies", async () => {
    const { bundle } = await show("aks-plant-prod");
    const pool = bundle.nodePools[0]!;
    expect([pool.egress.kind, pool.egress.snatBy.type, pool.egress.nextHopIp, pool.sourceCidrs]).toEqual([
      "azureFirewall",
      "azureFirewall",
      "10.0.1.4",
      ["51.124.77.10/32", "51.124.77.11/32"],
    ]);
    expect(pool.egress.via.map((id) => id.split("/").pop())).toEqual([
      "snet-plant-nodes",
      "rt-plant-egress",
      "afw-hub-weu",
    ]);
    expect(bundle.proofSet.destinationLogs).toMatchObject({
      status: "collected",
      summary: expect.stringContaining("packages.aks.azure.com:443 ×6 (AKS-required)"),
    });
    expect(codes(bundle)).toContain("error REQUIRED_ENDPOINT_NOT_ALLOWED");
  });
  it("aks-broken-dev: UDR_DEFAULT_ROUTE_MISSING and NO_EGRESS_PATH", async () => {
    const { bundle } = await show("aks-broken-dev");
    expect(codes(bundle)).toEqual(expect.arrayContaining(["error NO_EGRESS_PATH", "error UDR_DEFAULT_ROUTE_MISSING"]));
    expect(bundle.proofSet.routeTable?.summary).toBe(
      "snet-dev-nodes: rt-dev-egress, public destinations: 0.0.0.0/0 → Internet",
    );
  });
  it("cites evidence for every finding, and every evidence has a source", async () => {
    const { bundle } = await show("aks-plant-prod");
    const ids = new Set(bundle.evidence.map((item) => item.id));
    for (const finding of bundle.findings) {
      expect(finding.evidenceIds.length).toBeGreaterThan(0);
      finding.evidenceIds.forEach((id) => expect(ids.has(id)).toBe(true));
    }
    expect(bundle.evidence.every((item) => item.source.operation.length > 0)).toBe(true);
  });
  it("reads well in a terminal", async () => {
    const { out } = await show("aks-plant-prod", "text");
    expect(out).toContain(
      "Cluster rg-plant-prod/aks-plant-prod · westeurope · outbound type userDefinedRouting · public API server",
    );
    expect(out).toMatch(
      / {2}system +System +3 +azureFirewall +azureFirewall afw-hub-weu +51\.124\.77\.10\/32 51\.124\.77\.11\/32/,
    );
    expect(out).toContain(
      "  ✓ routeTable      snet-plant-nodes: rt-plant-egress, public destinations: 0.0.0.0/0 → VirtualAppliance 10.0.1.4; 51.124.77.10/32 → Internet",
    );
  });
});

describe("show cluster when reads are refused", () => {
  it("still answers, with the failed proof item and PROOF_SET_INCOMPLETE naming the refused read", async () => {
    const file = demoWorldWithFault('{ match: "routeTables/rt-plant-egress$", status: 403 }');
    const io = memoryIo({});
    const clock = new FakeClock();
    await runCli(["show", "cluster", "aks-plant-prod", "--world", file, "--output", "json"], io, {
      ids: sequentialIds(),
      clock,
      azure: { now: () => clock.now() },
    });
    const bundle = JSON.parse(io.out()) as BundleJson;
    expect(bundle.proofSet.routeTable).toMatchObject({
      status: "failed",
      summary: expect.stringContaining("rt-plant-egress was forbidden (HTTP 403)"),
    });
    expect(bundle.findings.find((finding) => finding.code === "PROOF_SET_INCOMPLETE")).toMatchObject({
      severity: "warning",
    });
  });
});

describe("triage when Log Analytics answers badly", () => {
  const triageWith = async (fault: string): Promise<BundleJson & { status: string }> => {
    const file = demoWorldWithFault(fault);
    const io = memoryIo({});
    const clock = new FakeClock();
    await runCli(["triage", "aks-plant-prod", "--world", file, "--output", "json"], io, {
      ids: sequentialIds(),
      clock,
      azure: { now: () => clock.now() },
    });
    return JSON.parse(io.out()) as BundleJson & { status: string };
  };

  it("a partial result is partial: the run, the proof set and the step say so", async () => {
    const bundle = await triageWith('{ match: "/query$", partial: true }');
    expect(bundle.status).toBe("partial");
    expect(bundle.proofSet.destinationLogs).toMatchObject({
      status: "failed",
      summary: expect.stringMatching(/^Log Analytics answered only in part \(Simulated partial result/),
    });
    expect(bundle.findings.map((finding) => finding.code)).toContain("PROOF_SET_INCOMPLETE");
  });

  it("an error reading the logs leaves the run partial, naming the failure", async () => {
    const bundle = await triageWith('{ match: "/query$", status: 500 }');
    expect(bundle.status).toBe("partial");
    expect(bundle.proofSet.destinationLogs).toMatchObject({
      status: "failed",
      summary: expect.stringContaining("reading them failed"),
    });
  });
});

describe("a show cluster step that times out", () => {
  it("keeps the evidence of every read that completed before the timeout", async () => {
    const { createService, parseCommand } = await import("../../src/index.js");
    // The firewall's diagnostic settings are read last; they hang far past the step's timeout.
    const { folder, world } = hangingShowWorld();
    const service = await createService({ azure: { world }, runbookPaths: [folder] });
    const parsed = parseCommand("run slow-show cluster=aks-plant-prod");
    if (!parsed.ok) throw new Error(parsed.error.reason);
    const result = await service.runCommand(parsed.command, {
      requestedBy: { platform: "cli", user: null, channel: null, thread: null },
    });
    if (result.kind !== "bundle") throw new Error("no bundle");
    const step = result.bundle.steps[0];
    expect(step?.status).toBe("timedOut");
    expect(result.bundle.status).toBe("failed");
    const summaries = result.bundle.evidence.map((item) => item.summary);
    expect(summaries).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^cluster aks-plant-prod \(as of /),
        expect.stringMatching(/^route table rt-plant-egress \(as of /),
        expect.stringMatching(/^firewall afw-hub-weu \(as of /),
      ]),
    );
  });
});
