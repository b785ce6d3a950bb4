/** A fixed-window limit: `count` commands per `perInMs`. */
export interface RateLimit {
  readonly count: number;
  readonly perInMs: number;
}

/**
 * Counts commands per key (a user or a channel) in sliding windows. In memory on purpose: limits
 * protect Azure and the chat APIs from bursts, and forgetting them on restart is harmless.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly limit: RateLimit) {}

  /** Records a hit for `key` at `nowMs` and says whether it is within the limit; refused hits are not counted. */
  tryTake(key: string, nowMs: number): { allowed: true } | { allowed: false; retryInMs: number } {
    const recent = (this.hits.get(key) ?? []).filter((at) => at > nowMs - this.limit.perInMs);
    if (recent.length >= this.limit.count) {
      this.hits.set(key, recent);
      return { allowed: false, retryInMs: (recent[0] ?? nowMs) + this.limit.perInMs - nowMs };
    }
    recent.push(nowMs);
    this.hits.set(key, recent);
    return { allowed: true };
  }
}
