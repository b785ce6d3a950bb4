import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import pLimit, { type LimitFunction } from "p-limit";

/**
 * Bounds the requests in flight per subscription (ARM throttles per subscription and principal), so a
 * burst of runs queues here instead of drawing 429s. Requests without a subscription share one bound.
 */
export function subscriptionLimitPolicy(maxConcurrent: number): PipelinePolicy {
  const limits = new Map<string, LimitFunction>();
  return {
    name: "egressSubscriptionLimitPolicy",
    sendRequest(request, next) {
      const key = /\/subscriptions\/([^/?]+)/i.exec(request.url)?.[1]?.toLowerCase() ?? "(none)";
      let limit = limits.get(key);
      if (!limit) {
        limit = pLimit(maxConcurrent);
        limits.set(key, limit);
      }
      return limit(() => next(request));
    },
  };
}
