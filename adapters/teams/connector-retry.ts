import pRetry, { AbortError } from "p-retry";

/** Connector answers worth retrying: throttled (429), a lost update race (412), and server errors. */
export const retryableStatus = (status: number | undefined): boolean =>
  status === 429 || status === 412 || (status !== undefined && status >= 500);

/** Retry settings; small in tests. */
export interface ConnectorRetry {
  readonly retries: number;
  readonly minTimeout: number;
  readonly maxTimeout: number;
}

/** Runs a Bot Connector call, retrying 429/412/5xx with exponential backoff (p-retry); other errors fail at once. */
export function withConnectorRetry<T>(call: () => Promise<T>, retry: ConnectorRetry): Promise<T> {
  return pRetry(
    async () => {
      try {
        return await call();
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (!retryableStatus(status)) throw new AbortError(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
    },
    { retries: retry.retries, minTimeout: retry.minTimeout, maxTimeout: retry.maxTimeout, factor: 2 },
  );
}
