import { findingsCatalog } from "../egress/findings-catalog.js";
import { parseCommand } from "../commands/parse-command.js";
import type { StepRegistry } from "../engine/step-registry.js";
import { checkReferences, type ReferenceScope } from "./check-references.js";
import { checkStepParams } from "./check-step-params.js";
import { parseDuration } from "./duration.js";
import { compileExpression, type CompiledExpression } from "./expression.js";
import { coerceInput } from "./input-types.js";
import {
  runbookDefaults,
  type InputDefinition,
  type Runbook,
  type RunbookCheck,
  type RunbookNext,
  type RunbookStep,
} from "./runbook.js";
import type { z } from "zod";
import { elementSchemas, type WrittenCheck, type WrittenStep } from "./runbook-schema.js";
import { compileTemplate, templateExpressions, type CompiledTemplate, type TemplateProblem } from "./template.js";

/** Reports a problem at a path of the YAML document. */
export type Report = (path: readonly PropertyKey[], message: string, atKey?: boolean) => void;

type Path = readonly PropertyKey[];
type Analysed = Pick<Runbook, "inputs" | "concurrency" | "deadlineInMs" | "steps" | "checks" | "next" | "outputs">;

/** Keys of the evidence bundle envelope; runbook outputs may not overwrite them. */
export const reservedOutputKeys = new Set([
  "schema",
  "runId",
  "runbook",
  "simulated",
  "status",
  "startedAt",
  "finishedAt",
  "requestedBy",
  "findings",
  "steps",
  "evidence",
  "digest",
  "next",
]);

const asRecord = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * The fields of an element that pass their own schema. The document schema has already reported the
 * others; keeping the valid ones lets the rules report every remaining problem of the same element.
 */
function salvage<T extends z.ZodObject>(schema: T, raw: unknown): Partial<z.output<T>> {
  const record = asRecord(raw);
  const fields: Record<string, unknown> = {};
  const shape: Record<string, z.ZodType> = schema.shape;
  for (const [key, field] of Object.entries(shape)) {
    if (!Object.hasOwn(record, key)) continue;
    const parsed = field.safeParse(record[key]);
    if (parsed.success) fields[key] = parsed.data;
  }
  return fields as Partial<z.output<T>>;
}

/**
 * The semantic rules of the runbook language, applied to every element that passed its own schema
 * so that one broken step does not hide the problems of the others. Returns the normalised parts.
 */
export function analyzeRunbook(raw: unknown, registry: StepRegistry, report: Report): Analysed {
  const spec = asRecord(asRecord(raw).spec);
  const inputs = analyzeInputs(asRecord(spec.inputs), report);
  const rawSteps = asArray(spec.steps);
  const stepUses = new Map<string, string>();
  rawSteps.forEach((step, index) => {
    const { id, uses } = asRecord(step);
    if (typeof id !== "string") return;
    if (stepUses.has(id)) report(["spec", "steps", index, "id"], `step id "${id}" is used twice`);
    else stepUses.set(id, typeof uses === "string" ? uses : "");
  });
  const scope = (extra: Partial<ReferenceScope> = {}): ReferenceScope => ({
    inputs: new Set(inputs.map((input) => input.name)),
    steps: stepUses,
    registry,
    allowItem: false,
    ...extra,
  });

  const compileAt = (
    path: Path,
    text: string | undefined,
    referenceScope: ReferenceScope,
    stepsRead: Set<string>,
  ): CompiledExpression | undefined => {
    if (text === undefined) return undefined;
    const compiled = compileExpression(text.replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, "$1").trim());
    if (!compiled.ok) {
      report(path, `invalid expression: ${compiled.reason}`);
      return undefined;
    }
    const checked = checkReferences(compiled.expression, referenceScope);
    checked.problems.forEach((problem) => report(path, problem));
    checked.stepsRead.forEach((id) => stepsRead.add(id));
    return compiled.expression;
  };
  const templateAt = (
    path: Path,
    value: unknown,
    referenceScope: ReferenceScope,
    stepsRead: Set<string>,
  ): CompiledTemplate => {
    const problems: TemplateProblem[] = [];
    const template = compileTemplate(value, problems);
    problems.forEach((problem) => report([...path, ...problem.path], problem.reason));
    for (const expression of templateExpressions(template)) {
      const checked = checkReferences(expression, referenceScope);
      checked.problems.forEach((problem) => report(path, problem));
      checked.stepsRead.forEach((id) => stepsRead.add(id));
    }
    return template;
  };

  const steps: RunbookStep[] = [];
  rawSteps.forEach((rawStep, index) => {
    const written = salvage(elementSchemas.step, rawStep);
    if (written.id === undefined || written.uses === undefined) return;
    const step = analyzeStep(written as WrittenStep, ["spec", "steps", index], {
      registry,
      report,
      scope: scope({ selfId: written.id }),
      compileAt,
      templateAt,
      stepUses,
    });
    if (step) steps.push(step);
  });
  findCycles(steps).forEach((cycle) =>
    report(
      ["spec", "steps", rawSteps.findIndex((step) => asRecord(step).id === cycle[0]), "needs"],
      `steps ${cycle.join(" → ")} depend on each other in a cycle`,
    ),
  );

  const checks = asArray(spec.checks).flatMap((rawCheck, index): RunbookCheck[] => {
    const written = salvage(elementSchemas.check, rawCheck);
    const complete = elementSchemas.check.safeParse(rawCheck).success;
    // One producer per code: a catalogued code is drawn by egress-bot's own rules, never re-raised
    // by a runbook with copied text.
    if (typeof written.code === "string" && written.code in findingsCatalog)
      report(
        ["spec", "checks", index, "code"],
        `${written.code} is raised by egress-bot's own rules (the egress.cluster.show step): select it with the step's "findings" parameter instead of raising it again, or give this check a code of your own`,
      );
    const check = analyzeCheck(
      { code: "INCOMPLETE", severity: "info", title: "", remediation: "", when: "false", ...written },
      ["spec", "checks", index],
      scope,
      compileAt,
      templateAt,
    );
    return complete ? [check] : [];
  });
  const next = asArray(spec.next).flatMap((rawNext, index): RunbookNext[] => {
    const written = { label: "", command: "help", ...salvage(elementSchemas.next, rawNext) };
    const path = ["spec", "next", index];
    const reads = new Set<string>();
    const command = templateAt([...path, "command"], written.command, scope(), reads);
    if (command.kind === "literal") {
      const result = parseCommand(String(command.value));
      if (!result.ok) report([...path, "command"], `not a valid command: ${result.error.reason}`);
    }
    const when = compileAt([...path, "when"], written.when, scope(), reads);
    return [
      {
        label: templateAt([...path, "label"], written.label, scope(), reads),
        command,
        ...(when ? { when } : {}),
        readsSteps: [...reads],
      },
    ];
  });
  const outputs = Object.entries(asRecord(spec.outputs)).map(([key, value]) => {
    if (reservedOutputKeys.has(key))
      report(
        ["spec", "outputs", key],
        `"${key}" is part of the evidence bundle envelope and cannot be an output`,
        true,
      );
    return [key, templateAt(["spec", "outputs", key], value, scope(), new Set())] as const;
  });
  return {
    inputs,
    concurrency: typeof spec.concurrency === "number" ? spec.concurrency : runbookDefaults.concurrency,
    deadlineInMs:
      (typeof spec.deadline === "string" ? parseDuration(spec.deadline) : undefined) ?? runbookDefaults.deadlineInMs,
    steps,
    checks,
    next,
    outputs,
  };
}

function analyzeInputs(raw: Record<string, unknown>, report: Report): InputDefinition[] {
  return Object.entries(raw).flatMap(([name, value]): InputDefinition[] => {
    const parsed = elementSchemas.input.safeParse(value);
    if (!parsed.success) return [{ name, type: "string", required: false }];
    const { type, required, description, min, max } = parsed.data;
    const definition: InputDefinition = {
      name,
      type,
      required: required ?? false,
      ...(description ? { description } : {}),
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
    };
    if (parsed.data.default === undefined) return [definition];
    const checked = coerceInput(definition, parsed.data.default);
    if (!checked.ok)
      report(["spec", "inputs", name, "default"], `default does not fit type ${type}: ${checked.reason}`);
    return [{ ...definition, default: checked.ok ? checked.value : parsed.data.default }];
  });
}

interface StepAnalysis {
  registry: StepRegistry;
  report: Report;
  scope: ReferenceScope;
  stepUses: ReadonlyMap<string, string>;
  compileAt: (
    path: Path,
    text: string | undefined,
    scope: ReferenceScope,
    reads: Set<string>,
  ) => CompiledExpression | undefined;
  templateAt: (path: Path, value: unknown, scope: ReferenceScope, reads: Set<string>) => CompiledTemplate;
}

function analyzeStep(step: WrittenStep, path: Path, analysis: StepAnalysis): RunbookStep | undefined {
  const { registry, report, scope, compileAt, templateAt, stepUses } = analysis;
  const stepType = registry.get(step.uses);
  if (!stepType) {
    const known = registry
      .list()
      .map((candidate) => candidate.type)
      .join(", ");
    report([...path, "uses"], `unknown step type "${step.uses}" (registered: ${known || "none"})`);
  } else {
    for (const problem of checkStepParams(stepType, step.with ?? {})) {
      report(
        problem.param ? [...path, "with", problem.param] : [...path, step.with ? "with" : "uses"],
        problem.message,
        problem.atKey,
      );
    }
  }
  const reads = new Set<string>();
  const withTemplate = templateAt([...path, "with"], step.with ?? {}, scope, reads);
  const when = compileAt([...path, "when"], step.when, scope, reads);
  for (const need of step.needs ?? []) {
    if (need === step.id) report([...path, "needs"], `step "${step.id}" cannot need itself`);
    else if (!stepUses.has(need)) report([...path, "needs"], `needs unknown step "${need}"`);
  }
  if (!stepType) return undefined;
  const attempts = step.retry?.attempts ?? stepType.defaults?.attempts ?? 1;
  return {
    id: step.id,
    name: step.name ?? step.id,
    uses: step.uses,
    stepType,
    with: withTemplate,
    ...(when ? { when } : {}),
    needs: [...new Set([...(step.needs ?? []).filter((need) => stepUses.has(need) && need !== step.id), ...reads])],
    timeoutInMs:
      (step.timeout ? parseDuration(step.timeout) : undefined) ??
      stepType.defaults?.timeoutInMs ??
      runbookDefaults.timeoutInMs,
    retry: {
      attempts,
      backoff: step.retry?.backoff ?? "exponential",
      delayInMs: (step.retry?.delay ? parseDuration(step.retry.delay) : undefined) ?? runbookDefaults.retryDelayInMs,
      maxDelayInMs:
        (step.retry?.maxDelay ? parseDuration(step.retry.maxDelay) : undefined) ?? runbookDefaults.maxRetryDelayInMs,
    },
    continueOnError: step.continueOnError ?? false,
  };
}

function analyzeCheck(
  check: WrittenCheck,
  path: Path,
  scope: (extra?: Partial<ReferenceScope>) => ReferenceScope,
  compileAt: StepAnalysis["compileAt"],
  templateAt: StepAnalysis["templateAt"],
): RunbookCheck {
  const reads = new Set<string>();
  const forEach = compileAt([...path, "forEach"], check.forEach, scope(), reads);
  const inner = scope({ allowItem: check.forEach !== undefined });
  const when = compileAt([...path, "when"], check.when, inner, reads);
  const ignored = new Set<string>();
  return {
    code: check.code,
    severity: check.severity,
    title: templateAt([...path, "title"], check.title, inner, ignored),
    detail: templateAt([...path, "detail"], check.detail ?? "", inner, ignored),
    remediation: templateAt([...path, "remediation"], check.remediation, inner, ignored),
    when: when ?? placeholderFalse,
    ...(forEach ? { forEach } : {}),
    ...(check.resourceIds !== undefined
      ? { resourceIds: templateAt([...path, "resourceIds"], check.resourceIds, inner, reads) }
      : {}),
    ...(check.nodePools !== undefined
      ? { nodePools: templateAt([...path, "nodePools"], check.nodePools, inner, reads) }
      : {}),
    readsSteps: [...reads],
  };
}

// Only used when the check's condition failed to compile, in which case the runbook is refused anyway.
const placeholderFalse = (compileExpression("false") as { ok: true; expression: CompiledExpression }).expression;

/** Every dependency cycle among the steps, each as the ids along it. */
function findCycles(steps: readonly RunbookStep[]): string[][] {
  const byId = new Map<string, RunbookStep>();
  for (const step of steps) if (!byId.has(step.id)) byId.set(step.id, step);
  const state = new Map<string, "visiting" | "done">();
  const cycles: string[][] = [];
  const visit = (id: string, trail: string[]): void => {
    if (state.get(id) === "done") return;
    if (state.get(id) === "visiting") {
      cycles.push([...trail.slice(trail.indexOf(id)), id]);
      return;
    }
    state.set(id, "visiting");
    for (const need of byId.get(id)?.needs ?? []) if (byId.has(need)) visit(need, [...trail, id]);
    state.set(id, "done");
  };
  steps.forEach((step) => visit(step.id, []));
  return cycles;
}
