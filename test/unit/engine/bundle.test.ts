import { describe, expect, it } from "@jest/globals";
import { verifyDigest } from "../../../src/core/evidence/digest.js";
import { buildRunbook } from "../../support/runbook-builder.js";
import { runOnFakeClock } from "./engine-harness.js";
import { readFileSync } from "node:fs";
import { loadRunbook } from "../../../src/core/runbooks/load-runbook.js";
import { createTestRegistry } from "../../support/test-steps.js";

const allFeatures = () => {
  const result = loadRunbook(
    { file: "all-features.yaml", text: readFileSync("test/fixtures/runbooks/good/all-features.yaml", "utf8") },
    createTestRegistry(),
  );
  if (!result.ok) throw new Error("fixture must load");
  return result.runbook;
};

describe("the evidence bundle", () => {
  it("has the envelope of design §3.3", async () => {
    const { bundle } = await runOnFakeClock(allFeatures(), { cluster: "aks-prod" });
    expect(bundle).toMatchObject({
      schema: "egress.evidence/v1",
      runId: "run-1",
      runbook: { name: "all-features", version: "2.1.0", digest: expect.stringMatching(/^sha256:/) },
      simulated: true,
      status: "succeeded",
      startedAt: "2026-11-24T10:00:00.000Z",
      finishedAt: "2026-11-24T10:00:00.000Z",
      requestedBy: { platform: "cli", user: "tester", channel: null, thread: null },
    });
    expect(bundle.steps[0]).toEqual({
      id: "pools",
      uses: "test.echo",
      status: "succeeded",
      attempts: 1,
      durationMs: 0,
      error: null,
      reason: null,
    });
    expect(bundle.evidence[1]).toEqual({
      id: "count-1",
      stepId: "count",
      summary: "aks-prod has pools",
      data: 2,
      source: { operation: "test.echo", resourceId: null, apiVersion: null, query: null },
    });
    expect(bundle.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("turns checks into findings that cite the evidence of the steps the condition reads", async () => {
    const { bundle } = await runOnFakeClock(allFeatures(), { cluster: "aks-prod" });
    expect(bundle.findings).toEqual([
      {
        code: "POOL_WITHOUT_EGRESS",
        severity: "error",
        title: "Pool batch has no egress path",
        detail: "The pool's subnet gives it no public source address.",
        remediation: "Attach a NAT gateway or add a default route.",
        resourceIds: [],
        nodePools: ["batch"],
        evidenceIds: ["pools-1"],
      },
    ]);
  });

  it("renders next suggestions and outputs", async () => {
    const { bundle } = await runOnFakeClock(allFeatures(), { cluster: "rg/aks-prod", since: "2h" });
    expect(bundle.next).toEqual([{ label: "Denies for rg/aks-prod", command: "denies rg/aks-prod --since 2h" }]);
    expect(bundle.nodePools).toEqual([
      { name: "system", kind: "natGateway" },
      { name: "batch", kind: "none" },
    ]);
    expect(bundle.summary).toEqual({ count: 2, text: "rg/aks-prod: 2 pools" });
  });

  it("has a stable digest: same inputs, world, clock and ids give the same digest; content changes it", async () => {
    const first = await runOnFakeClock(allFeatures(), { cluster: "aks-prod" });
    const second = await runOnFakeClock(allFeatures(), { cluster: "aks-prod" });
    const other = await runOnFakeClock(allFeatures(), { cluster: "aks-test" });
    expect(second.bundle.digest).toBe(first.bundle.digest);
    expect(other.bundle.digest).not.toBe(first.bundle.digest);
    expect(verifyDigest(first.bundle)).toBe(true);
    expect(verifyDigest({ ...first.bundle, status: "partial" })).toBe(false);
  });

  it("includes step findings, sorted by severity, citing the step's evidence", async () => {
    const runbook = buildRunbook({
      steps: [
        { id: "low", uses: "test.finding", with: { code: "LOW_ONE", severity: "info" } },
        { id: "high", uses: "test.finding", with: { code: "HIGH_ONE", severity: "critical" } },
      ],
    });
    const { bundle } = await runOnFakeClock(runbook);
    expect(bundle.findings.map((finding) => [finding.code, finding.evidenceIds])).toEqual([
      ["HIGH_ONE", ["high-1"]],
      ["LOW_ONE", ["low-1"]],
    ]);
  });

  it("does not judge checks on steps that failed, and reports expressions that fail at run time", async () => {
    const runbook = buildRunbook({
      steps: [
        { id: "gone", uses: "test.flaky", with: { failures: 1, code: "STEP_FAILED" } },
        { id: "data", uses: "test.echo", with: { value: { n: 1 } } },
      ],
      checks: [
        {
          code: "NEVER_JUDGED",
          severity: "error",
          title: "t",
          remediation: "r",
          when: "steps.gone.outputs.attempts > 0",
        },
        {
          code: "BAD_FIELD",
          severity: "warning",
          title: "t",
          remediation: "r",
          when: "steps.data.outputs.value.missing == 1",
        },
      ],
    });
    const { bundle } = await runOnFakeClock(runbook);
    expect(bundle.findings.map((finding) => finding.code)).toEqual(["RUNBOOK_EXPRESSION_ERROR"]);
    expect(bundle.findings[0]?.detail).toBe("check BAD_FIELD: field not found: missing");
  });
});
