import { describe, expect, it } from "@jest/globals";
import { RateLimiter } from "../../../src/app/chat/rate-limiter.js";

describe("RateLimiter", () => {
  it("allows count hits per window per key, says when to retry, and forgets old hits", () => {
    const limiter = new RateLimiter({ count: 2, perInMs: 1000 });
    expect(limiter.tryTake("u1", 0)).toEqual({ allowed: true });
    expect(limiter.tryTake("u1", 100)).toEqual({ allowed: true });
    expect(limiter.tryTake("u1", 200)).toEqual({ allowed: false, retryInMs: 800 });
    expect(limiter.tryTake("u2", 200)).toEqual({ allowed: true });
    expect(limiter.tryTake("u1", 1001)).toEqual({ allowed: true });
  });
});
