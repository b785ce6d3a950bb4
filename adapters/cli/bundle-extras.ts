export { bundleOutputs } from "../../src/index.js";

/** A value shown on one line when short, as indented JSON otherwise. */
export function formatValue(value: unknown, indent: string): string[] {
  const compact = JSON.stringify(value) ?? "null";
  if (compact.length <= 100) return [`${indent}${compact}`];
  return (JSON.stringify(value, null, 2) ?? "null").split("\n").map((line) => `${indent}${line}`);
}
