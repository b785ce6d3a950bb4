import {
  checkClusterText,
  checkDestinationText,
  checkDurationText,
  checkIp,
  type ValueCheck,
} from "../commands/value-syntax.js";
import { parseDuration } from "./duration.js";
import type { InputDefinition } from "./runbook.js";

const maxStringLength = 500;

/**
 * Checks and normalises one input value, whether it came from a command line (always text) or a
 * YAML default (typed). Clusters, durations, IPs and destinations keep their canonical text.
 */
export function coerceInput(definition: InputDefinition, raw: unknown): ValueCheck<string | number | boolean> {
  const text =
    typeof raw === "string"
      ? raw.trim()
      : typeof raw === "number" || typeof raw === "boolean"
        ? String(raw)
        : undefined;
  if (text === undefined) return { ok: false, reason: "expected a single value" };
  switch (definition.type) {
    case "string":
      return text.length <= maxStringLength
        ? { ok: true, value: text }
        : { ok: false, reason: `at most ${maxStringLength} characters` };
    case "int": {
      if (!/^-?\d{1,15}$/.test(text)) return { ok: false, reason: "expected a whole number" };
      const value = Number(text);
      if (definition.min !== undefined && value < definition.min)
        return { ok: false, reason: `at least ${definition.min}` };
      if (typeof definition.max === "number" && value > definition.max)
        return { ok: false, reason: `at most ${definition.max}` };
      return { ok: true, value };
    }
    case "bool": {
      const lower = text.toLowerCase();
      if (["true", "yes", "on", "1"].includes(lower)) return { ok: true, value: true };
      if (["false", "no", "off", "0"].includes(lower)) return { ok: true, value: false };
      return { ok: false, reason: "expected true or false" };
    }
    case "duration": {
      const max = typeof definition.max === "string" ? definition.max : undefined;
      return checkDurationText(text, max === undefined ? undefined : parseDuration(max), max);
    }
    case "cluster":
      return checkClusterText(text);
    case "ip":
      return checkIp(text);
    case "destination":
      return checkDestinationText(text);
  }
}

/** One rejected input. */
export interface InputProblem {
  readonly input: string;
  readonly reason: string;
}

/** The checked inputs, or every problem with them. */
export type InputsResult =
  | { ok: true; values: Readonly<Record<string, string | number | boolean>> }
  | { ok: false; problems: readonly InputProblem[] };

/** Checks all inputs of a run against the runbook's declarations: unknown, missing and malformed ones. */
export function validateInputs(
  definitions: readonly InputDefinition[],
  given: Readonly<Record<string, unknown>>,
): InputsResult {
  const problems: InputProblem[] = [];
  const values: Record<string, string | number | boolean> = {};
  for (const name of Object.keys(given)) {
    if (!definitions.some((definition) => definition.name === name)) {
      const known = definitions.map((definition) => definition.name).join(", ") || "none";
      problems.push({ input: name, reason: `is not an input of this runbook (inputs: ${known})` });
    }
  }
  for (const definition of definitions) {
    const raw = Object.hasOwn(given, definition.name) ? given[definition.name] : definition.default;
    if (raw === undefined) {
      if (definition.required) problems.push({ input: definition.name, reason: "is required" });
      continue;
    }
    const checked = coerceInput(definition, raw);
    if (checked.ok) values[definition.name] = checked.value;
    else problems.push({ input: definition.name, reason: checked.reason });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values };
}
