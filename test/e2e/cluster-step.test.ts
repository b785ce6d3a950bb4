import { describe, expect, it } from "@jest/globals";
import { createService } from "../../src/app/create-service.js";
import { demoWorldWithFault } from "../support/demo-world-with-fault.js";
import { sequentialIds } from "../support/fixed-ids.js";
import { buildRunbook } from "../support/runbook-builder.js";

describe("the azure.cluster.get step on the demo world", () => {
  const service = createService({
    runbookPaths: [],
    azure: { world: "demo", now: () => Date.parse("2026-11-24T10:00:00.000Z") },
    ids: sequentialIds(),
  });
  const runbook = buildRunbook({
    inputs: { cluster: { type: "cluster", required: true } },
    steps: [{ id: "cluster", uses: "azure.cluster.get", with: { cluster: "${{ inputs.cluster }}" } }],
    checks: [
      {
        code: "UDR_CLUSTER",
        severity: "info",
        title: "UDR",
        remediation: "none",
        when: "steps.cluster.outputs.cluster.outboundType == 'userDefinedRouting'",
      },
    ],
    outputs: {
      cluster: {
        name: "${{ steps.cluster.outputs.cluster.name }}",
        outboundType: "${{ steps.cluster.outputs.cluster.outboundType }}",
      },
    },
  });
  const request = { requestedBy: { platform: "cli" as const, user: null, channel: null, thread: null } };

  it("resolves a name through Resource Graph and reads the cluster, citing both", async () => {
    const bundle = await service.runRunbook(runbook, { cluster: "aks-plant-prod" }, request);
    expect(bundle).toMatchObject({
      status: "succeeded",
      simulated: true,
      cluster: { name: "aks-plant-prod", outboundType: "userDefinedRouting" },
      findings: [{ code: "UDR_CLUSTER", evidenceIds: ["cluster-1", "cluster-2"] }],
    });
    expect(bundle.evidence.map((item) => item.source.operation)).toEqual([
      "Microsoft.ResourceGraph/resources/action",
      "Microsoft.ContainerService/managedClusters/read",
    ]);
    expect(bundle.evidence[0]?.source.query).toContain("where name =~ 'aks-plant-prod'");
  });
  it("fails the step with the reason when nothing matches", async () => {
    const bundle = await service.runRunbook(runbook, { cluster: "aks-missing" }, request);
    expect(bundle.steps[0]).toMatchObject({
      status: "failed",
      error: { code: "CLUSTER_NOT_FOUND", message: 'No cluster matches "aks-missing".' },
    });
  });
});

describe("a throttled world", () => {
  it("a 429 on the first request of every kind still leaves the run succeeded", async () => {
    const file = demoWorldWithFault('{ match: ".", status: 429, times: 1 }');
    const service = createService({
      runbookPaths: [],
      azure: { world: file, retry: { retryDelayInMs: 5 } },
      ids: sequentialIds(),
    });
    const runbook = buildRunbook({
      inputs: { cluster: { type: "cluster", required: true } },
      steps: [{ id: "cluster", uses: "azure.cluster.get", with: { cluster: "${{ inputs.cluster }}" } }],
    });
    const bundle = await service.runRunbook(
      runbook,
      { cluster: "aks-claims-prod" },
      { requestedBy: { platform: "cli", user: null, channel: null, thread: null } },
    );
    expect(bundle.status).toBe("succeeded");
    expect(bundle.steps[0]?.attempts).toBe(1);
  });
});
