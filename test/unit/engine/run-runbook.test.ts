import { describe, expect, it } from "@jest/globals";
import { EgressError } from "../../../src/core/errors.js";
import { buildRunbook } from "../../support/runbook-builder.js";
import { ConcurrencyTracker, createTestRegistry } from "../../support/test-steps.js";
import { runOnFakeClock, startOnFakeClock } from "./engine-harness.js";

const sleepStep = (id: string, ms: number, extra: Record<string, unknown> = {}) => ({
  id,
  uses: "test.sleep",
  with: { ms, label: id },
  ...extra,
});

describe("runRunbook: scheduling", () => {
  it("runs independent steps concurrently, bounded by the runbook's concurrency", async () => {
    const tracker = new ConcurrencyTracker();
    const runbook = buildRunbook(
      { concurrency: 2, steps: ["a", "b", "c", "d", "e"].map((id) => sleepStep(id, 100)) },
      createTestRegistry(tracker),
    );
    const { bundle, clock } = await runOnFakeClock(runbook);
    expect(bundle.status).toBe("succeeded");
    expect(tracker.peak).toBe(2);
    expect(clock.now() - Date.parse(bundle.startedAt)).toBe(300);
  });

  it("honours needs: a step starts only after the steps it needs have finished", async () => {
    const tracker = new ConcurrencyTracker();
    const runbook = buildRunbook(
      { steps: [sleepStep("slow", 300), sleepStep("fast", 10), sleepStep("after", 10, { needs: ["slow", "fast"] })] },
      createTestRegistry(tracker),
    );
    await runOnFakeClock(runbook);
    expect(tracker.order).toEqual(["start:slow", "start:fast", "end:fast", "end:slow", "start:after", "end:after"]);
  });

  it("passes outputs along and skips steps whose condition is false", async () => {
    const runbook = buildRunbook({
      inputs: { deep: { type: "bool", default: false } },
      steps: [
        { id: "first", uses: "test.echo", with: { value: { pools: ["system", "user"] } } },
        { id: "second", uses: "test.echo", with: { value: "${{ size(steps.first.outputs.value.pools) * 10 }}" } },
        { id: "deepOnly", uses: "test.echo", when: "inputs.deep", with: { value: 1 } },
      ],
      outputs: { result: "${{ steps.second.outputs.value }}" },
    });
    const { bundle } = await runOnFakeClock(runbook);
    expect(bundle.result).toBe(20);
    expect(bundle.status).toBe("succeeded");
    expect(bundle.steps.find((step) => step.id === "deepOnly")).toMatchObject({
      status: "skipped",
      attempts: 0,
      reason: "condition is false: inputs.deep",
    });
  });

  it("refuses invalid inputs before anything runs", async () => {
    const runbook = buildRunbook({
      inputs: { cluster: { type: "cluster", required: true }, top: { type: "int", max: 100 } },
      steps: [{ id: "a", uses: "test.echo", with: { value: 1 } }],
    });
    const attempt = runOnFakeClock(runbook, { top: "500", extra: "x" });
    await expect(attempt).rejects.toMatchObject({ code: "INPUT_INVALID" });
    await expect(attempt).rejects.toThrow(
      "Invalid input for test-runbook: extra is not an input of this runbook (inputs: cluster, top); cluster is required; top at most 100.",
    );
  });
});

describe("runRunbook: failures keep the evidence of the others", () => {
  it("a timed-out step ends timedOut even when it ignores the abort signal; the run is partial", async () => {
    const runbook = buildRunbook({
      steps: [
        { id: "stuck", uses: "test.hang", timeout: "2s" },
        { id: "fine", uses: "test.echo", with: { value: "ok" } },
      ],
    });
    const { bundle, clock } = await runOnFakeClock(runbook);
    expect(bundle.status).toBe("partial");
    expect(bundle.steps.find((step) => step.id === "stuck")).toMatchObject({
      status: "timedOut",
      attempts: 1,
      durationMs: 2000,
      error: { code: "STEP_TIMEOUT", message: 'step "stuck" timed out after 2000 ms' },
    });
    expect(bundle.evidence.map((item) => item.id)).toEqual(["stuck-1", "fine-1"]);
    expect(clock.now() - Date.parse(bundle.startedAt)).toBe(2000);
  });

  it("dependents of a failed step are skipped with the reason; continueOnError lets them run", async () => {
    const runbook = buildRunbook({
      steps: [
        { id: "broken", uses: "test.flaky", with: { failures: 5, code: "STEP_FAILED" } },
        { id: "tolerant", uses: "test.flaky", with: { failures: 5, code: "AZURE_FORBIDDEN" }, continueOnError: true },
        { id: "afterBroken", uses: "test.echo", needs: ["broken"], with: { value: 1 } },
        { id: "afterTolerant", uses: "test.echo", needs: ["tolerant"], with: { value: 2 } },
        { id: "chained", uses: "test.echo", needs: ["afterBroken"], with: { value: 3 } },
      ],
    });
    const { bundle } = await runOnFakeClock(runbook);
    const byId = Object.fromEntries(bundle.steps.map((step) => [step.id, step]));
    expect(byId.broken).toMatchObject({
      status: "failed",
      error: { code: "STEP_FAILED", message: "planned failure 1" },
    });
    expect(byId.afterBroken).toMatchObject({ status: "skipped", reason: 'needs "broken", which failed' });
    expect(byId.chained).toMatchObject({ status: "skipped", reason: 'needs "afterBroken", which was skipped' });
    expect(byId.afterTolerant).toMatchObject({ status: "succeeded" });
    expect(bundle.status).toBe("partial");
  });

  it("a run where nothing succeeds is failed", async () => {
    const runbook = buildRunbook({
      steps: [{ id: "only", uses: "test.flaky", with: { failures: 1, code: "STEP_FAILED" } }],
    });
    const { bundle } = await runOnFakeClock(runbook);
    expect(bundle.status).toBe("failed");
    expect(bundle.evidence).toHaveLength(1);
  });
});

describe("runRunbook: retries", () => {
  it("retries retryable errors with exponential backoff on the injected clock", async () => {
    const runbook = buildRunbook({
      steps: [
        {
          id: "throttled",
          uses: "test.flaky",
          with: { failures: 2 },
          retry: { attempts: 3, delay: "1s", maxDelay: "10s" },
        },
      ],
    });
    const { bundle, events, clock } = await runOnFakeClock(runbook);
    expect(bundle.steps[0]).toMatchObject({ status: "succeeded", attempts: 3, durationMs: 3000 });
    expect(clock.sleeps).toEqual(expect.arrayContaining([1000, 2000]));
    expect(
      events
        .filter((event) => event.type === "step.started")
        .map((event) => event.type === "step.started" && event.attempt),
    ).toEqual([1, 2, 3]);
    expect(bundle.evidence.map((item) => item.data)).toEqual([{ attempt: 3 }]);
  });

  it("honours a throttling retry-after longer than the backoff", async () => {
    const runbook = buildRunbook({
      steps: [
        {
          id: "throttled",
          uses: "test.flaky",
          with: { failures: 1, retryAfterMs: 7000 },
          retry: { attempts: 2, delay: "1s" },
        },
      ],
    });
    const { bundle } = await runOnFakeClock(runbook);
    expect(bundle.steps[0]).toMatchObject({ status: "succeeded", attempts: 2, durationMs: 7000 });
  });

  it("does not retry errors that are not retryable, and gives up after the last attempt", async () => {
    const forbidden = buildRunbook({
      steps: [
        { id: "denied", uses: "test.flaky", with: { failures: 1, code: "AZURE_FORBIDDEN" }, retry: { attempts: 3 } },
      ],
    });
    expect((await runOnFakeClock(forbidden)).bundle.steps[0]).toMatchObject({ status: "failed", attempts: 1 });
    const throttled = buildRunbook({
      steps: [{ id: "busy", uses: "test.flaky", with: { failures: 9 }, retry: { attempts: 2, delay: "1s" } }],
    });
    expect((await runOnFakeClock(throttled)).bundle.steps[0]).toMatchObject({
      status: "failed",
      attempts: 2,
      error: { code: "AZURE_THROTTLED" },
    });
  });

  it("retries a timed-out attempt", async () => {
    const runbook = buildRunbook({
      steps: [
        { id: "slow", uses: "test.hang", timeout: "1s", retry: { attempts: 2, delay: "500ms", backoff: "fixed" } },
      ],
    });
    const { bundle } = await runOnFakeClock(runbook);
    expect(bundle.steps[0]).toMatchObject({ status: "timedOut", attempts: 2, durationMs: 2500 });
  });
});

describe("runRunbook: deadline and cancellation", () => {
  it("stops at the run deadline, cancelling running and pending steps and keeping finished evidence", async () => {
    const runbook = buildRunbook({
      deadline: "5s",
      concurrency: 1,
      steps: [sleepStep("quick", 1000), sleepStep("long", 60_000), sleepStep("later", 10)],
    });
    const { bundle, clock } = await runOnFakeClock(runbook);
    expect(clock.now() - Date.parse(bundle.startedAt)).toBe(5000);
    expect(bundle.steps.map((step) => [step.id, step.status, step.error?.code])).toEqual([
      ["quick", "succeeded", undefined],
      ["long", "cancelled", "RUN_DEADLINE_EXCEEDED"],
      ["later", "cancelled", "RUN_DEADLINE_EXCEEDED"],
    ]);
    expect(bundle.status).toBe("partial");
  });

  it("cancels through an AbortSignal", async () => {
    const controller = new AbortController();
    const runbook = buildRunbook({
      steps: [sleepStep("first", 100), sleepStep("second", 10_000, { needs: ["first"] })],
    });
    const { run, clock } = startOnFakeClock(runbook, {}, { abortSignal: controller.signal });
    await clock.advance(500);
    controller.abort();
    const bundle = await clock.settle(run);
    expect(clock.now() - Date.parse(bundle.startedAt)).toBe(500);
    expect(bundle.steps.map((step) => [step.id, step.status])).toEqual([
      ["first", "succeeded"],
      ["second", "cancelled"],
    ]);
    expect(bundle.steps[1]?.error?.code).toBe("RUN_CANCELLED");
  });

  it("a run cancelled before it starts runs nothing", async () => {
    const runbook = buildRunbook({ steps: [sleepStep("a", 10)] });
    const { bundle } = await runOnFakeClock(runbook, {}, { abortSignal: AbortSignal.abort() });
    expect(bundle.status).toBe("failed");
    expect(bundle.steps[0]).toMatchObject({ status: "cancelled", attempts: 0 });
  });
});

describe("runRunbook: events", () => {
  it("emits run, step and finish events in order, and survives a throwing listener", async () => {
    const runbook = buildRunbook({
      steps: [
        { id: "a", uses: "test.echo", with: { value: 1 } },
        { id: "b", uses: "test.echo", needs: ["a"], with: { value: 2 } },
      ],
    });
    const { events } = await runOnFakeClock(runbook, {}, {});
    expect(events.map((event) => `${event.type}${"stepId" in event ? `:${event.stepId}` : ""}`)).toEqual([
      "run.started",
      "step.started:a",
      "step.finished:a",
      "step.started:b",
      "step.finished:b",
      "run.finished",
    ]);
    const throwing = await runOnFakeClock(
      runbook,
      {},
      {
        onEvent: () => {
          throw new EgressError("INTERNAL", "listener bug");
        },
      },
    );
    expect(throwing.bundle.status).toBe("succeeded");
  });
});
