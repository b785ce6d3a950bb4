import type { z } from "zod";
import type { StepType } from "../engine/step-type.js";
import { schemaMessage } from "./schema-message.js";

/** A parameter problem, located by the parameter name (or none for the `with` block itself). */
export interface ParamProblem {
  readonly param?: string;
  readonly atKey: boolean;
  readonly message: string;
}

function containsExpression(value: unknown): boolean {
  if (typeof value === "string") return value.includes("${{");
  if (Array.isArray(value)) return value.some(containsExpression);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsExpression);
  return false;
}

/**
 * Checks `with:` against a step type's schema at load time: unknown and missing parameters, and the
 * type of every literal value. Values holding expressions are checked when the step runs.
 */
export function checkStepParams(stepType: StepType, given: Readonly<Record<string, unknown>>): ParamProblem[] {
  const shape = stepType.params.shape as Record<string, z.ZodType>;
  const known = Object.keys(shape);
  const problems: ParamProblem[] = [];
  for (const [param, value] of Object.entries(given)) {
    const schema = shape[param];
    if (!schema) {
      problems.push({
        param,
        atKey: true,
        message: `unknown parameter "${param}" for ${stepType.type} (parameters: ${known.join(", ") || "none"})`,
      });
      continue;
    }
    if (containsExpression(value)) continue;
    const result = schema.safeParse(value);
    if (!result.success)
      problems.push({
        param,
        atKey: false,
        message: `${param}: ${result.error.issues[0] ? schemaMessage(result.error.issues[0]) : "invalid value"}`,
      });
  }
  for (const param of known) {
    if (!Object.hasOwn(given, param) && !shape[param]?.safeParse(undefined).success) {
      problems.push({ atKey: false, message: `missing parameter "${param}" for ${stepType.type}` });
    }
  }
  return problems;
}
