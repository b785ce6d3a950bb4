import type { StepType } from "../engine/step-type.js";
import type { Severity } from "../evidence/finding.js";
import type { CompiledExpression } from "./expression.js";
import type { inputTypes } from "./runbook-schema.js";
import type { CompiledTemplate } from "./template.js";

/** A declared input, normalised. */
export interface InputDefinition {
  readonly name: string;
  readonly type: (typeof inputTypes)[number];
  readonly required: boolean;
  readonly default?: string | number | boolean;
  readonly description?: string;
  readonly min?: number;
  readonly max?: number | string;
}

/** How a step retries: total attempts and the backoff between them. */
export interface RetryPolicy {
  readonly attempts: number;
  readonly backoff: "exponential" | "fixed";
  readonly delayInMs: number;
  readonly maxDelayInMs: number;
}

/** A step ready for the engine: its type resolved, its expressions compiled, its dependencies complete. */
export interface RunbookStep {
  readonly id: string;
  readonly name: string;
  readonly uses: string;
  readonly stepType: StepType;
  readonly with: CompiledTemplate;
  readonly when?: CompiledExpression;
  /** Explicit `needs` plus every step its expressions read. */
  readonly needs: readonly string[];
  readonly timeoutInMs: number;
  readonly retry: RetryPolicy;
  readonly continueOnError: boolean;
}

/** A check that turns a condition into a finding. */
export interface RunbookCheck {
  readonly code: string;
  readonly severity: Severity;
  readonly title: CompiledTemplate;
  readonly detail: CompiledTemplate;
  readonly remediation: CompiledTemplate;
  readonly when: CompiledExpression;
  readonly forEach?: CompiledExpression;
  readonly resourceIds?: CompiledTemplate;
  readonly nodePools?: CompiledTemplate;
  /** Steps the condition reads: their evidence is what the finding cites. */
  readonly readsSteps: readonly string[];
}

/** A suggested next command, rendered as a button in chat. */
export interface RunbookNext {
  readonly label: CompiledTemplate;
  readonly command: CompiledTemplate;
  readonly when?: CompiledExpression;
  readonly readsSteps: readonly string[];
}

/** A validated, normalised runbook: what the engine runs. */
export interface Runbook {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly version: string;
  /** `sha256:` of the source text. */
  readonly digest: string;
  /** Where it was loaded from. */
  readonly file: string;
  readonly inputs: readonly InputDefinition[];
  readonly concurrency: number;
  readonly deadlineInMs: number;
  readonly steps: readonly RunbookStep[];
  readonly checks: readonly RunbookCheck[];
  readonly next: readonly RunbookNext[];
  readonly outputs: readonly (readonly [string, CompiledTemplate])[];
}

/** Run defaults, used where a runbook does not say. */
export const runbookDefaults = {
  concurrency: 4,
  deadlineInMs: 5 * 60_000,
  timeoutInMs: 30_000,
  retryDelayInMs: 1_000,
  maxRetryDelayInMs: 30_000,
} as const;
