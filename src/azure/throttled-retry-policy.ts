import { retryPolicy, type PipelinePolicy, type RetryStrategy } from "@azure/core-rest-pipeline";

/** Options for {@link throttledRetryPolicy}. */
export interface ThrottledRetryOptions {
  /** @default 3 */
  readonly maxRetries?: number;
  /** First delay; doubles per retry. @default 1000 */
  readonly retryDelayInMs?: number;
  /** @default 16000 */
  readonly maxRetryDelayInMs?: number;
}

/**
 * Retries 429 responses that carry no `Retry-After` header. The SDK's own retry policy already handles
 * 429 with the header (and 5xx); without the header it gives up at once, although ARM, Resource Graph
 * and Log Analytics all send such 429s. Built on the pipeline's own `retryPolicy`.
 */
export function throttledRetryPolicy(options: ThrottledRetryOptions = {}): PipelinePolicy {
  const initial = options.retryDelayInMs ?? 1000;
  const max = options.maxRetryDelayInMs ?? 16_000;
  const strategy: RetryStrategy = {
    name: "throttledWithoutRetryAfter",
    retry({ retryCount, response }) {
      if (
        response?.status !== 429 ||
        response.headers.has("retry-after") ||
        response.headers.has("retry-after-ms") ||
        response.headers.has("x-ms-retry-after-ms")
      )
        return { skipStrategy: true };
      return { retryAfterInMs: Math.min(max, initial * 2 ** retryCount) };
    },
  };
  return retryPolicy([strategy], { maxRetries: options.maxRetries ?? 3 });
}
