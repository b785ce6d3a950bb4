import { asEgressError, EgressError, ErrorCode } from "../errors.js";
import type { StepStatus } from "../evidence/bundle.js";
import type { EvidenceDraft } from "../evidence/evidence.js";
import type { FindingDraft } from "../evidence/finding.js";
import type { RecordsReader } from "../ports/records-reader.js";
import type { AzureReadPort } from "../ports/azure-read-port.js";
import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";
import type { RunbookStep } from "../runbooks/runbook.js";
import { nextRetryDelayInMs } from "./retry-policy.js";

/** What one step produced, whatever its outcome. Evidence of the last attempt is kept even on failure. */
export interface StepOutcome {
  readonly status: Exclude<StepStatus, "skipped">;
  readonly attempts: number;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly evidence: readonly EvidenceDraft[];
  readonly findings: readonly FindingDraft[];
  readonly error: EgressError | null;
  /** What a succeeded step could not read (its answer is partly unknown), or null. */
  readonly incomplete: string | null;
}

/** The ports and hooks one step execution needs. */
export interface ExecuteStepDeps {
  readonly azure: AzureReadPort;
  readonly records: RecordsReader;
  readonly clock: Clock;
  readonly log: Logger;
  readonly random: () => number;
  /** Aborts on run cancellation or deadline; its reason is an {@link EgressError}. */
  readonly runSignal: AbortSignal;
  readonly onAttempt: (attempt: number) => void;
}

type AttemptResult =
  | { kind: "ok"; outputs: Record<string, unknown>; findings: readonly FindingDraft[]; incomplete: string | null }
  | { kind: "error"; error: EgressError };

const statusFor = (error: EgressError): StepOutcome["status"] =>
  error.code === ErrorCode.StepTimeout
    ? "timedOut"
    : error.code === ErrorCode.RunCancelled || error.code === ErrorCode.RunDeadlineExceeded
      ? "cancelled"
      : "failed";

/**
 * Runs one step with its timeout and retry policy. The engine races the step against its timeout and
 * the run's signal rather than trusting the step to honour `abortSignal`.
 */
export async function executeStep(step: RunbookStep, params: unknown, deps: ExecuteStepDeps): Promise<StepOutcome> {
  for (let attempt = 1; ; attempt++) {
    deps.onAttempt(attempt);
    const evidence: EvidenceDraft[] = [];
    const result = await runAttempt(step, params, attempt, evidence, deps);
    if (result.kind === "ok") {
      return {
        status: "succeeded",
        attempts: attempt,
        outputs: result.outputs,
        evidence,
        findings: result.findings,
        error: null,
        incomplete: result.incomplete,
      };
    }
    const failure = (error: EgressError): StepOutcome => ({
      status: statusFor(error),
      attempts: attempt,
      outputs: {},
      evidence,
      findings: [],
      error,
      incomplete: null,
    });
    const delay = deps.runSignal.aborted
      ? undefined
      : nextRetryDelayInMs(step.retry, attempt, result.error, deps.random);
    if (delay === undefined) return failure(result.error);
    deps.log.info({ stepId: step.id, attempt, delayInMs: delay, code: result.error.code }, "retrying step");
    try {
      await deps.clock.sleep(delay, { abortSignal: deps.runSignal });
    } catch {
      return failure(asEgressError(deps.runSignal.reason, ErrorCode.RunCancelled));
    }
  }
}

async function runAttempt(
  step: RunbookStep,
  params: unknown,
  attempt: number,
  evidence: EvidenceDraft[],
  deps: ExecuteStepDeps,
): Promise<AttemptResult> {
  const attemptController = new AbortController();
  const timer = new AbortController();
  const abortAttempt = (): void => attemptController.abort(deps.runSignal.reason);
  if (deps.runSignal.aborted)
    return { kind: "error", error: asEgressError(deps.runSignal.reason, ErrorCode.RunCancelled) };
  deps.runSignal.addEventListener("abort", abortAttempt, { once: true });

  const cancelled = new Promise<AttemptResult>((resolve) => {
    attemptController.signal.addEventListener(
      "abort",
      () => resolve({ kind: "error", error: asEgressError(attemptController.signal.reason, ErrorCode.RunCancelled) }),
      { once: true },
    );
  });
  const timedOut = deps.clock.sleep(step.timeoutInMs, { abortSignal: timer.signal }).then(
    (): AttemptResult => {
      const error = new EgressError(ErrorCode.StepTimeout, `step "${step.id}" timed out after ${step.timeoutInMs} ms`);
      attemptController.abort(error);
      return { kind: "error", error };
    },
    () => new Promise<AttemptResult>(() => undefined),
  );
  const work = Promise.resolve()
    .then(() =>
      step.stepType.run(params as Record<string, unknown>, {
        azure: deps.azure,
        records: deps.records,
        clock: deps.clock,
        log: deps.log.child({ stepId: step.id, attempt }),
        abortSignal: attemptController.signal,
        attempt,
        simulated: deps.azure.simulated,
        record: (draft) => {
          evidence.push(draft);
          return `${step.id}-${evidence.length}`;
        },
      }),
    )
    .then(
      (result): AttemptResult => ({
        kind: "ok",
        outputs: result.outputs,
        findings: result.findings ?? [],
        incomplete: result.incomplete ?? null,
      }),
      (error: unknown): AttemptResult => ({ kind: "error", error: asEgressError(error, ErrorCode.StepFailed) }),
    );
  try {
    return await Promise.race([work, timedOut, cancelled]);
  } finally {
    timer.abort();
    deps.runSignal.removeEventListener("abort", abortAttempt);
  }
}
