import { EgressError, ErrorCode } from "../errors.js";
import type { StepType } from "./step-type.js";

/** The catalog of step types a runbook may use. */
export interface StepRegistry {
  get(type: string): StepType | undefined;
  list(): readonly StepType[];
}

/**
 * Builds the registry from an explicit list. Duplicates and anything not declared as a read are
 * refused, so a write step cannot be registered even by a cast.
 */
export function createStepRegistry(types: readonly StepType[]): StepRegistry {
  const byType = new Map<string, StepType>();
  for (const stepType of types) {
    if ((stepType.access as string) !== "read") {
      throw new EgressError(
        ErrorCode.Internal,
        `Step type "${stepType.type}" is not a read; only read steps can be registered.`,
      );
    }
    if (byType.has(stepType.type))
      throw new EgressError(ErrorCode.Internal, `Step type "${stepType.type}" is registered twice.`);
    byType.set(stepType.type, stepType);
  }
  return { get: (type) => byType.get(type), list: () => [...byType.values()] };
}
