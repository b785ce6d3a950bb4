import pRetry, { AbortError } from "p-retry";

/**
 * Connector failures worth retrying: throttled (429), a lost update race (412), server errors, and
 * failures with no HTTP status at all (a reset connection, `fetch failed`), which are the network's,
 * not the request's. Other 4xx answers would fail the same way again.
 */
export const retryableStatus = (status: number | undefined): boolean =>
  status === undefined || status === 429 || status === 412 || status >= 500;

/** The HTTP status of a failed connector call (the SDK's errors carry `status`, axios-style ones `response.status`). */
function statusOf(error: unknown): number | undefined {
  const direct = (error as { status?: unknown }).status;
  if (typeof direct === "number") return direct;
  const nested = (error as { response?: { status?: unknown } }).response?.status;
  return typeof nested === "number" ? nested : undefined;
}

/** Retry settings; small in tests. */
export interface ConnectorRetry {
  readonly retries: number;
  readonly minTimeout: number;
  readonly maxTimeout: number;
}

/** Runs a Bot Connector call, retrying 429/412/5xx and network failures with exponential backoff (p-retry); other errors fail at once. */
export function withConnectorRetry<T>(call: () => Promise<T>, retry: ConnectorRetry): Promise<T> {
  return pRetry(
    async () => {
      try {
        return await call();
      } catch (error) {
        const status = statusOf(error);
        // A cancelled call (shutdown) is not the network's failure either.
        const cancelled = error instanceof Error && error.name === "AbortError";
        if (cancelled || !retryableStatus(status))
          throw new AbortError(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
    },
    { retries: retry.retries, minTimeout: retry.minTimeout, maxTimeout: retry.maxTimeout, factor: 2 },
  );
}
