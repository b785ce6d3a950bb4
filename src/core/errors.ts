/**
 * Stable error codes. Tests and adapters match on `code`, never on message text.
 */
export const ErrorCode = {
  CommandInvalid: "COMMAND_INVALID",
  RunbookNotFound: "RUNBOOK_NOT_FOUND",
  RunbookInvalid: "RUNBOOK_INVALID",
  InputInvalid: "INPUT_INVALID",
  ExpressionFailed: "EXPRESSION_FAILED",
  StepFailed: "STEP_FAILED",
  StepTimeout: "STEP_TIMEOUT",
  RunCancelled: "RUN_CANCELLED",
  RunDeadlineExceeded: "RUN_DEADLINE_EXCEEDED",
  WorldInvalid: "WORLD_INVALID",
  ClusterNotFound: "CLUSTER_NOT_FOUND",
  ClusterAmbiguous: "CLUSTER_AMBIGUOUS",
  AzureNotFound: "AZURE_NOT_FOUND",
  AzureForbidden: "AZURE_FORBIDDEN",
  AzureThrottled: "AZURE_THROTTLED",
  AzureUnavailable: "AZURE_UNAVAILABLE",
  AzureBadRequest: "AZURE_BAD_REQUEST",
  /** A read outside the configured subscriptions or the providers egress-bot reads. */
  AzureOutOfScope: "AZURE_OUT_OF_SCOPE",
  NotAvailable: "NOT_AVAILABLE",
  Internal: "INTERNAL",
} as const;

/** One of the stable error codes. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const retryableByDefault: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCode.StepTimeout,
  ErrorCode.AzureThrottled,
  ErrorCode.AzureUnavailable,
]);

/** Options for {@link EgressError}. */
export interface EgressErrorOptions {
  /** The underlying error, kept for logs. */
  cause?: unknown;
  /** Whether retrying the same operation may succeed. Defaults by code. */
  retryable?: boolean;
  /** A sentence telling the operator what to do about it. */
  remediation?: string;
  /** How long the caller asked us to wait before retrying (throttling). */
  retryAfterInMs?: number;
  /** Extra typed context for logs and renderers. */
  details?: Record<string, unknown>;
}

/**
 * The project's one error type: a stable code, a one-sentence message, a retry verdict and a cause.
 */
export class EgressError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly remediation: string | undefined;
  readonly retryAfterInMs: number | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: EgressErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "EgressError";
    this.code = code;
    this.retryable = options.retryable ?? retryableByDefault.has(code);
    this.remediation = options.remediation;
    this.retryAfterInMs = options.retryAfterInMs;
    this.details = options.details ?? {};
  }
}

/** True for an {@link EgressError}, also across duplicate copies of this module. */
export function isEgressError(error: unknown): error is EgressError {
  return (
    error instanceof EgressError ||
    (error instanceof Error && error.name === "EgressError" && typeof (error as { code?: unknown }).code === "string")
  );
}

/** Wraps anything thrown into an {@link EgressError}, keeping the original as `cause`. */
export function asEgressError(error: unknown, fallbackCode: ErrorCode = ErrorCode.Internal): EgressError {
  if (isEgressError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new EgressError(fallbackCode, message, { cause: error });
}
