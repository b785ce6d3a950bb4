/** Options accepted by every asynchronous port operation. */
export interface OperationOptions {
  /** Aborts the operation; the promise rejects with the signal's reason. */
  abortSignal?: AbortSignal;
}

/**
 * Time, injected so the core never reads the ambient clock. Tests use a fake that advances on demand.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves after `delayInMs`, or rejects with the signal's reason when it aborts first. */
  sleep(delayInMs: number, options?: OperationOptions): Promise<void>;
}
