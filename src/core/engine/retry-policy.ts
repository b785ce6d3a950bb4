import type { EgressError } from "../errors.js";
import type { RetryPolicy } from "../runbooks/runbook.js";

/**
 * Decides whether attempt `attempt` (1-based, just failed) is retried and after how long. Pure: the
 * jitter comes from `random` (0..1, 0.5 means none). Honours a throttling `retryAfterInMs`.
 */
export function nextRetryDelayInMs(
  policy: RetryPolicy,
  attempt: number,
  error: EgressError,
  random: () => number,
): number | undefined {
  if (attempt >= policy.attempts || !error.retryable) return undefined;
  const base = policy.backoff === "fixed" ? policy.delayInMs : policy.delayInMs * 2 ** (attempt - 1);
  const jittered = Math.round(base * (0.8 + 0.4 * random()));
  return Math.max(Math.min(jittered, policy.maxDelayInMs), error.retryAfterInMs ?? 0);
}
