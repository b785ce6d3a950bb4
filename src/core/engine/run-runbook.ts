import { EgressError, ErrorCode } from "../errors.js";
import type { EvidenceBundle, RequestedBy, StepRecord } from "../evidence/bundle.js";
import type { AzureReadPort } from "../ports/azure-read-port.js";
import { noRecords, type RecordsReader } from "../ports/records-reader.js";
import type { Clock } from "../ports/clock.js";
import type { IdSource } from "../ports/ids.js";
import type { Logger } from "../ports/logger.js";
import { validateInputs } from "../runbooks/input-types.js";
import type { Runbook, RunbookStep } from "../runbooks/runbook.js";
import { toCelInput } from "../runbooks/expression.js";
import { renderTemplate } from "../runbooks/template.js";
import { assembleBundle } from "./assemble-bundle.js";
import { executeStep, type StepOutcome } from "./execute-step.js";
import type { RunEvent } from "./run-events.js";

/** The ports a run needs. */
export interface EngineDeps {
  readonly azure: AzureReadPort;
  /** The records steps may read (partner registry, drift snapshots). @default none: reading them says the bot keeps no state */
  readonly records?: RecordsReader;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly log: Logger;
  /** Jitter source for retries (0..1). @default () => 0.5, no jitter */
  readonly random?: () => number;
}

/** Options of one run. */
export interface RunOptions {
  /** Raw inputs (text from a command line, or typed); checked before anything runs. */
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly requestedBy: RequestedBy;
  readonly abortSignal?: AbortSignal;
  /** Called synchronously for every progress event; exceptions are logged and ignored. */
  readonly onEvent?: (event: RunEvent) => void;
  /** Caps the runbook's own concurrency. */
  readonly maxConcurrency?: number;
  /** Caps the runbook's own deadline. */
  readonly deadlineInMs?: number;
}

/** A step's state while the run is under way. */
export type StepState =
  | { readonly phase: "pending" | "running"; readonly startedAtMs?: number }
  | { readonly phase: "done"; readonly record: StepRecord; readonly outcome: StepOutcome | null };

/**
 * Runs a runbook as a plain function over ports: independent steps run concurrently up to the bound,
 * each with its timeout and retries, within the run's deadline and cancellation. A failed step never
 * loses the evidence of the others. Rejects only for invalid inputs (`INPUT_INVALID`).
 */
export async function runRunbook(runbook: Runbook, deps: EngineDeps, options: RunOptions): Promise<EvidenceBundle> {
  const checked = validateInputs(runbook.inputs, options.inputs);
  if (!checked.ok) {
    const text = checked.problems.map((problem) => `${problem.input} ${problem.reason}`).join("; ");
    throw new EgressError(ErrorCode.InputInvalid, `Invalid input for ${runbook.name}: ${text}.`, {
      details: { problems: checked.problems },
    });
  }
  const { clock } = deps;
  const runId = deps.ids.newRunId();
  const log = deps.log.child({ runId, runbook: runbook.name });
  const startedAtMs = clock.now();
  const at = (): string => new Date(clock.now()).toISOString();
  const emit = (event: RunEvent): void => {
    try {
      options.onEvent?.(event);
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.message : String(error) }, "progress listener failed");
    }
  };

  const runController = new AbortController();
  // One listener on the run signal fans out to each running step's own signal, so the number of
  // listeners on any one signal stays constant whatever the concurrency.
  const stepControllers = new Set<AbortController>();
  runController.signal.addEventListener(
    "abort",
    () => stepControllers.forEach((controller) => controller.abort(runController.signal.reason)),
    { once: true },
  );
  const cancel = (): void => runController.abort(new EgressError(ErrorCode.RunCancelled, "the run was cancelled"));
  if (options.abortSignal?.aborted) cancel();
  options.abortSignal?.addEventListener("abort", cancel, { once: true });
  const deadlineInMs = Math.min(runbook.deadlineInMs, options.deadlineInMs ?? Number.POSITIVE_INFINITY);
  const deadlineTimer = new AbortController();
  clock.sleep(deadlineInMs, { abortSignal: deadlineTimer.signal }).then(
    () =>
      runController.abort(
        new EgressError(ErrorCode.RunDeadlineExceeded, `the run reached its deadline of ${deadlineInMs} ms`),
      ),
    () => undefined,
  );

  emit({
    type: "run.started",
    runId,
    runbook: runbook.name,
    steps: runbook.steps.map(({ id, name }) => ({ id, name })),
    at: at(),
  });
  const states = new Map<string, StepState>(runbook.steps.map((step) => [step.id, { phase: "pending" }]));
  const concurrency = Math.max(1, Math.min(runbook.concurrency, options.maxConcurrency ?? Number.POSITIVE_INFINITY));
  // Values enter the bindings once, converted for CEL (whole numbers as ints).
  const bindings = { inputs: toCelInput(checked.values), steps: {} as Record<string, unknown> };

  const finish = (step: RunbookStep, record: Omit<StepRecord, "id" | "uses">, outcome: StepOutcome | null): void => {
    const full: StepRecord = { id: step.id, uses: step.uses, ...record };
    states.set(step.id, { phase: "done", record: full, outcome });
    bindings.steps[step.id] = { status: full.status, outputs: toCelInput(outcome?.outputs ?? {}) };
    emit({
      type: "step.finished",
      runId,
      stepId: step.id,
      name: step.name,
      status: full.status,
      attempts: full.attempts,
      durationMs: full.durationMs,
      error: full.error,
      at: at(),
    });
  };
  const skip = (
    step: RunbookStep,
    status: "skipped" | "cancelled" | "failed",
    reason: string,
    error: EgressError | null = null,
  ): void =>
    finish(
      step,
      {
        status,
        attempts: 0,
        durationMs: 0,
        error: error ? { code: error.code, message: error.message } : null,
        reason,
      },
      null,
    );

  await new Promise<void>((resolve) => {
    let running = 0;
    const pump = (): void => {
      for (let changed = true; changed;) {
        changed = false;
        for (const step of runbook.steps) {
          if (states.get(step.id)?.phase !== "pending") continue;
          if (runController.signal.aborted) {
            const reason = runController.signal.reason as EgressError;
            skip(step, "cancelled", reason.message, reason);
            changed = true;
            continue;
          }
          const blocker = blockingDependency(step, runbook, states);
          if (blocker === "wait") continue;
          if (blocker) {
            skip(step, "skipped", blocker);
            changed = true;
            continue;
          }
          if (running >= concurrency) continue;
          const prepared = prepareStep(step, bindings);
          if (prepared.kind !== "run") {
            if (prepared.kind === "skip") skip(step, "skipped", prepared.reason);
            else skip(step, "failed", prepared.error.message, prepared.error);
            changed = true;
            continue;
          }
          running++;
          const stepStartedAtMs = clock.now();
          states.set(step.id, { phase: "running", startedAtMs: stepStartedAtMs });
          const stepController = new AbortController();
          stepControllers.add(stepController);
          void executeStep(step, prepared.params, {
            azure: deps.azure,
            records: deps.records ?? noRecords,
            clock,
            log,
            random: deps.random ?? (() => 0.5),
            runSignal: stepController.signal,
            onAttempt: (attempt) =>
              emit({ type: "step.started", runId, stepId: step.id, name: step.name, attempt, at: at() }),
          }).then((outcome) => {
            stepControllers.delete(stepController);
            running--;
            const error = outcome.error ? { code: outcome.error.code, message: outcome.error.message } : null;
            finish(
              step,
              {
                status: outcome.status,
                attempts: outcome.attempts,
                durationMs: clock.now() - stepStartedAtMs,
                error,
                // A succeeded step that could not read part of its answer says what, and makes the run partial.
                reason: outcome.status === "succeeded" ? outcome.incomplete : null,
              },
              outcome,
            );
            pump();
          });
        }
      }
      if (running === 0 && [...states.values()].every((state) => state.phase === "done")) resolve();
    };
    pump();
  });

  deadlineTimer.abort();
  options.abortSignal?.removeEventListener("abort", cancel);
  const bundle = assembleBundle({
    runbook,
    runId,
    states,
    bindings,
    requestedBy: options.requestedBy,
    simulated: deps.azure.simulated,
    startedAtMs,
    finishedAtMs: clock.now(),
    log,
  });
  emit({ type: "run.finished", runId, status: bundle.status, bundle, at: at() });
  return bundle;
}

/** `"wait"` while a dependency is unfinished; a reason when one did not succeed; undefined when ready. */
function blockingDependency(
  step: RunbookStep,
  runbook: Runbook,
  states: ReadonlyMap<string, StepState>,
): string | undefined {
  for (const need of step.needs) {
    const state = states.get(need);
    if (!state || state.phase !== "done") return "wait";
    const { status } = state.record;
    if (status === "succeeded") continue;
    const tolerated = runbook.steps.find((candidate) => candidate.id === need)?.continueOnError && status !== "skipped";
    if (!tolerated)
      return `needs "${need}", which ${status === "skipped" ? "was skipped" : status === "timedOut" ? "timed out" : status === "cancelled" ? "was cancelled" : "failed"}`;
  }
  return undefined;
}

type Prepared =
  { kind: "run"; params: unknown } | { kind: "skip"; reason: string } | { kind: "fail"; error: EgressError };

/** Evaluates `when` and renders `with`, then checks the parameters against the step type. */
function prepareStep(step: RunbookStep, bindings: Readonly<Record<string, unknown>>): Prepared {
  if (step.when) {
    const condition = step.when.evaluate(bindings);
    if (!condition.ok)
      return {
        kind: "fail",
        error: new EgressError(ErrorCode.ExpressionFailed, `when of step "${step.id}": ${condition.reason}`),
      };
    if (condition.value !== true) return { kind: "skip", reason: `condition is false: ${step.when.source}` };
  }
  const rendered = renderTemplate(step.with, bindings);
  if (!rendered.ok)
    return {
      kind: "fail",
      error: new EgressError(ErrorCode.ExpressionFailed, `with of step "${step.id}": ${rendered.reason}`),
    };
  const params = step.stepType.params.safeParse(rendered.value);
  if (!params.success) {
    const issue = params.error.issues[0];
    return {
      kind: "fail",
      error: new EgressError(
        ErrorCode.StepFailed,
        `with of step "${step.id}": ${issue?.path.join(".") ?? ""} ${issue?.message ?? "is invalid"}`.trim(),
      ),
    };
  }
  return { kind: "run", params: params.data };
}
