import { describe, expect, it } from "@jest/globals";
import { nextRetryDelayInMs } from "../../../src/core/engine/retry-policy.js";
import { EgressError } from "../../../src/core/errors.js";
import type { RetryPolicy } from "../../../src/core/runbooks/runbook.js";

const policy: RetryPolicy = { attempts: 5, backoff: "exponential", delayInMs: 1000, maxDelayInMs: 5000 };
const throttled = new EgressError("AZURE_THROTTLED", "busy");
const half = () => 0.5;

describe("nextRetryDelayInMs", () => {
  it("doubles the delay per attempt and clamps it", () => {
    expect([1, 2, 3, 4].map((attempt) => nextRetryDelayInMs(policy, attempt, throttled, half))).toEqual([
      1000, 2000, 4000, 5000,
    ]);
  });
  it("stops after the last attempt", () => {
    expect(nextRetryDelayInMs(policy, 5, throttled, half)).toBeUndefined();
  });
  it("does not retry errors that are not retryable", () => {
    expect(nextRetryDelayInMs(policy, 1, new EgressError("AZURE_FORBIDDEN", "no"), half)).toBeUndefined();
    expect(nextRetryDelayInMs(policy, 1, new EgressError("STEP_FAILED", "x", { retryable: true }), half)).toBe(1000);
  });
  it("keeps a fixed delay with fixed backoff", () => {
    expect(
      [1, 2, 3].map((attempt) => nextRetryDelayInMs({ ...policy, backoff: "fixed" }, attempt, throttled, half)),
    ).toEqual([1000, 1000, 1000]);
  });
  it("jitters within ±20% using the injected random source", () => {
    expect(nextRetryDelayInMs(policy, 1, throttled, () => 0)).toBe(800);
    expect(nextRetryDelayInMs(policy, 1, throttled, () => 1)).toBe(1200);
  });
  it("waits at least as long as the server asked", () => {
    expect(
      nextRetryDelayInMs(policy, 1, new EgressError("AZURE_THROTTLED", "busy", { retryAfterInMs: 9000 }), half),
    ).toBe(9000);
  });
});
