import { describe, expect, it } from "@jest/globals";
import { runCli } from "../../adapters/cli/run-cli.js";
import { demoWorldWithFault } from "../support/demo-world-with-fault.js";
import { hangingShowWorld } from "../support/hanging-show-world.js";
import { overLoopbackHttp, type LoopbackAzure } from "../support/loopback-azure.js";
import { sequentialIds } from "../support/fixed-ids.js";
import { memoryIo } from "../support/memory-io.js";

// The fault matrix: the demo world with one fault injected at a time, through the real SDK clients,
// egress-bot's retry policies, a real HTTP hop on loopback (resets are dropped sockets) and the CLI. Each cell asserts what the user sees: the run's status,
// the reason named where the answer shows it, and no finding drawn from data that was not read.
// Waits are for the run to end (generous ceilings), never for wall-clock speed.

interface Bundle {
  status: string;
  steps: { id: string; status: string; reason: string | null; error: { code: string; message: string } | null }[];
  nodePools?: { name: string; sources: { state: string; reason: string | null } }[];
  proofSet?: Record<string, { status: string; summary: string }>;
  findings: { code: string }[];
}

async function run(command: string[], fault: string): Promise<Bundle> {
  const file = demoWorldWithFault(fault);
  const io = memoryIo({});
  // Every Azure request crosses a real socket on 127.0.0.1 (the SDK's own Node HTTP client).
  let loopback: LoopbackAzure | undefined;
  try {
    await runCli([...command, "--world", file, "--output", "json"], io, {
      ids: sequentialIds(),
      azure: {
        retry: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 50 },
        wrapHttpClient: (inner) => (loopback = overLoopbackHttp(inner)),
      },
    });
  } finally {
    await loopback?.close();
  }
  expect(loopback?.carried.length).toBeGreaterThan(0);
  return JSON.parse(io.out()) as Bundle;
}
const codes = (bundle: Bundle): string[] => bundle.findings.map((finding) => finding.code);
const said = (bundle: Bundle): string => JSON.stringify([bundle.steps, bundle.proofSet, bundle.nodePools]);
const show = (cluster: string) => ["show", "cluster", cluster];

describe("fault matrix: transient faults are retried and the answer is whole", () => {
  it.each([
    [
      "ARM 429 with Retry-After",
      '{ match: "routeTables/rt-plant-egress$", status: 429, retryAfterSeconds: 0, times: 2 }',
    ],
    ["ARM 429 without Retry-After", '{ match: "routeTables/rt-plant-egress$", status: 429, times: 1 }'],
    ["ARM 503 once", '{ match: "routeTables/rt-plant-egress$", status: 503, times: 1 }'],
    ["a reset connection once", '{ match: "routeTables/rt-plant-egress$", reset: true, times: 1 }'],
    [
      "Resource Graph throttled once",
      '{ match: "resourcegraph/resources$", status: 429, retryAfterSeconds: 0, times: 1 }',
    ],
  ])("%s", async (_name, fault) => {
    const bundle = await run(show("aks-plant-prod"), fault);
    expect(bundle.status).toBe("succeeded");
    expect(bundle.nodePools?.map((pool) => pool.sources.state)).toEqual(["known", "known"]);
  });
});

describe("fault matrix: a read that keeps failing makes that part unknown, and the run partial", () => {
  it.each([
    ["route table 500", '{ match: "routeTables/rt-plant-egress$", status: 500 }', "rt-plant-egress", "routeTable"],
    ["route table 404", '{ match: "routeTables/rt-plant-egress$", status: 404 }', "rt-plant-egress", "routeTable"],
    ["route table reset", '{ match: "routeTables/rt-plant-egress$", reset: true }', "rt-plant-egress", "routeTable"],
    ["hub firewall 403", '{ match: "azureFirewalls/afw-hub-weu$", status: 403 }', "afw-hub-weu", "egressAddress"],
  ])("%s", async (_name, fault, resource, proofItem) => {
    const bundle = await run(show("aks-plant-prod"), fault);
    expect(bundle.status).toBe("partial");
    expect(bundle.steps[0]?.reason).toContain(resource);
    expect(bundle.proofSet?.[proofItem]?.status).toBe("failed");
    // Unknown, never none: no "no route", "no egress" or arithmetic findings from the unread part.
    expect(bundle.nodePools?.every((pool) => pool.sources.state === "unknown")).toBe(true);
    expect(codes(bundle)).not.toEqual(
      expect.arrayContaining(["UDR_DEFAULT_ROUTE_MISSING", "NO_EGRESS_PATH", "FIREWALL_SNAT_CAPACITY_LOW"]),
    );
    for (const code of ["UDR_DEFAULT_ROUTE_MISSING", "NO_EGRESS_PATH", "FIREWALL_SNAT_CAPACITY_LOW"])
      expect(codes(bundle)).not.toContain(code);
    expect(codes(bundle)).toContain("PROOF_SET_INCOMPLETE");
  });

  it("a refusal names the role and scope to grant", async () => {
    const bundle = await run(show("aks-plant-prod"), '{ match: "azureFirewalls/afw-hub-weu$", status: 403 }');
    expect(said(bundle)).toMatch(
      /Grant the bot's identity the Reader role on \/subscriptions\/[^/]+\/resourceGroups\//,
    );
  });

  it("a referenced NAT gateway that is gone (404): sources unknown, no SNAT arithmetic", async () => {
    const bundle = await run(show("aks-claims-prod"), '{ match: "natGateways/ng-claims-egress$", status: 404 }');
    expect(bundle.status).toBe("partial");
    expect(bundle.nodePools?.[0]?.sources.state).toBe("unknown");
    expect(bundle.nodePools?.[0]?.sources.reason).toContain("ng-claims-egress");
    expect(codes(bundle)).not.toContain("SNAT_PORTS_INSUFFICIENT");
  });

  it("Resource Graph throttled throughout: the firewall search fails and says so, never 'no firewall'", async () => {
    const bundle = await run(
      show("aks-plant-prod"),
      '{ match: "resourcegraph/resources$", status: 429, retryAfterSeconds: 0 }',
    );
    expect(bundle.status).not.toBe("succeeded");
    expect(said(bundle)).toMatch(/AZURE_THROTTLED/);
    expect(bundle.proofSet?.destinationLogs?.summary ?? "").not.toMatch(/^No firewall on the egress path/);
  });
});

describe("fault matrix: a request that never answers", () => {
  it("ends at the step's deadline with the reason, and keeps what was read before it", async () => {
    const { world, runbook } = hangingShowWorld();
    const io = memoryIo({});
    let loopback: LoopbackAzure | undefined;
    try {
      await runCli(["runbook", "test", runbook, "cluster=aks-plant-prod", "--world", world, "--output", "json"], io, {
        ids: sequentialIds(),
        azure: { wrapHttpClient: (inner) => (loopback = overLoopbackHttp(inner)) },
      });
    } finally {
      await loopback?.close();
    }
    const bundle = JSON.parse(io.out()) as Bundle & { evidence: { summary: string }[] };
    expect(bundle.steps[0]?.status).toBe("timedOut");
    expect(bundle.status).not.toBe("succeeded");
    expect(bundle.evidence.map((item) => item.summary)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^route table rt-plant-egress \(as of /)]),
    );
    // The hung read crossed the socket and was abandoned with the run.
    expect(loopback?.carried.some((request) => /diagnosticSettings/i.test(request))).toBe(true);
  });
});

describe("fault matrix: logs and metrics", () => {
  it("Log Analytics partial result: partial, named", async () => {
    const bundle = await run(["triage", "aks-plant-prod"], '{ match: "/query$", partial: true }');
    expect(bundle.status).toBe("partial");
    expect(bundle.proofSet?.destinationLogs?.summary).toMatch(/answered only in part/);
  });

  it("Log Analytics error: partial, named", async () => {
    const bundle = await run(["triage", "aks-plant-prod"], '{ match: "/query$", status: 500 }');
    expect(bundle.status).toBe("partial");
    expect(bundle.proofSet?.destinationLogs).toMatchObject({ status: "failed" });
  });

  it("metrics error: the SNAT step fails with its reason, and the run is partial", async () => {
    const bundle = await run(
      ["triage", "aks-plant-prod"],
      '{ match: "providers/microsoft.insights/metrics$", status: 500 }',
    );
    expect(bundle.status).toBe("partial");
    const snat = bundle.steps.find((step) => step.id === "firewallSnat");
    expect(snat?.status).toBe("failed");
    expect(snat?.error?.code).toBe("AZURE_UNAVAILABLE");
  });
});
