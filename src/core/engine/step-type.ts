import type { z } from "zod";
import type { EvidenceDraft } from "../evidence/evidence.js";
import type { FindingDraft } from "../evidence/finding.js";
import type { RecordsReader } from "../ports/records-reader.js";
import type { AzureReadPort } from "../ports/azure-read-port.js";
import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";

/** What a step can reach while it runs. Everything here only reads. */
export interface StepContext {
  readonly azure: AzureReadPort;
  /** The bot's own records, read-only: the partner registry and the drift snapshots. */
  readonly records: RecordsReader;
  readonly clock: Clock;
  /** Already scoped with the run and step ids. */
  readonly log: Logger;
  /** Aborts on run cancellation, the run deadline, or this attempt's timeout. Pass it to every port call. */
  readonly abortSignal: AbortSignal;
  /** 1-based attempt number. */
  readonly attempt: number;
  /** True when Azure is simulated; evidence and bundles carry the label. */
  readonly simulated: boolean;
  /** Records a piece of evidence and returns its id. Evidence recorded before a failure is kept. */
  record(evidence: EvidenceDraft): string;
}

/** What a step returns: its outputs (read by later steps and checks) and any findings it drew. */
export interface StepResult<O> {
  readonly outputs: O;
  readonly findings?: readonly FindingDraft[];
  /**
   * What the step could not read although it answered (a refused or failed read on the path): the
   * step succeeds with that part unknown, and the run is `partial`, never plainly `succeeded`.
   */
  readonly incomplete?: string | null;
}

/** Defaults a runbook step may override. */
export interface StepDefaults {
  /** @default 30_000 */
  readonly timeoutInMs?: number;
  /** @default 1 (no retry) */
  readonly attempts?: number;
}

/**
 * A step type: a typed definition in its own file, listed in the one registry. `access` can only be
 * `"read"`: there is no way to declare, let alone register, a step that changes Azure.
 */
export interface StepType<P extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  /** Dotted id used by `uses:`, e.g. `azure.resource.get`. */
  readonly type: `${string}.${string}`;
  /** One line for the step catalog. */
  readonly summary: string;
  readonly access: "read";
  /** Validates `with:` at load time (literal values) and before every run (resolved values). */
  readonly params: P;
  /** Declares the outputs, so references to unknown outputs fail at load time. */
  readonly outputs: O;
  readonly defaults?: StepDefaults;
  run(params: z.output<P>, context: StepContext): Promise<StepResult<z.input<O>>>;
}

/** Type helper: infers `run`'s parameter and output types from the schemas. */
export function defineStep<P extends z.ZodObject, O extends z.ZodObject>(step: StepType<P, O>): StepType<P, O> {
  return step;
}
