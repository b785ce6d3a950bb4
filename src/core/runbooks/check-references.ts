import type { StepRegistry } from "../engine/step-registry.js";
import { checkMemberPaths } from "./check-member-paths.js";
import type { CompiledExpression } from "./expression.js";

/** What an expression may read at a given place in a runbook. */
export interface ReferenceScope {
  readonly inputs: ReadonlySet<string>;
  /** Every step id in the runbook with its `uses`, valid or not (to avoid cascades of errors). */
  readonly steps: ReadonlyMap<string, string>;
  readonly registry: StepRegistry;
  /** `item` is bound inside a check with `forEach`. */
  readonly allowItem: boolean;
  /** The step the expression belongs to: it may not read itself. */
  readonly selfId?: string;
}

/** Problems found, and the steps the expression reads. */
export interface ReferenceCheck {
  readonly problems: readonly string[];
  readonly stepsRead: readonly string[];
}

/** Checks that an expression reads only declared inputs, existing steps and declared outputs. */
export function checkReferences(expression: CompiledExpression, scope: ReferenceScope): ReferenceCheck {
  const { references } = expression;
  const problems = [...references.problems];
  for (const input of references.inputs) {
    if (!scope.inputs.has(input))
      problems.push(`unknown input "${input}" (inputs: ${[...scope.inputs].join(", ") || "none"})`);
  }
  const stepsRead: string[] = [];
  for (const [stepId, outputs] of references.steps) {
    const uses = scope.steps.get(stepId);
    if (uses === undefined) {
      problems.push(`unknown step "${stepId}"`);
      continue;
    }
    if (stepId === scope.selfId) {
      problems.push(`step "${stepId}" cannot read its own outputs`);
      continue;
    }
    stepsRead.push(stepId);
    const declared = scope.registry.get(uses)?.outputs.shape;
    if (!declared) continue;
    for (const output of outputs) {
      if (!Object.hasOwn(declared, output)) {
        problems.push(
          `step "${stepId}" (${uses}) has no output "${output}" (outputs: ${Object.keys(declared).join(", ") || "none"})`,
        );
      }
    }
  }
  // Field names read on step outputs are checked against the outputs' schemas (a typo fails lint, not the run).
  for (const problem of checkMemberPaths(expression.ast, (stepId) => {
    const uses = scope.steps.get(stepId);
    return uses === undefined ? undefined : scope.registry.get(uses)?.outputs;
  }))
    problems.push(problem);
  for (const root of references.roots) {
    if (root === "item" && scope.allowItem) continue;
    const hint =
      root === "item"
        ? "item is only bound inside a check with forEach"
        : "expressions read inputs.<name> and steps.<id>.outputs.<name> or .status";
    problems.push(`unknown name "${root}": ${hint}`);
  }
  return { problems, stepsRead };
}
