import type { EvidenceBundle } from "../../src/index.js";

const envelopeKeys = new Set(["schema", "runId", "runbook", "simulated", "status", "startedAt", "finishedAt", "requestedBy", "findings", "steps", "evidence", "next", "digest"]);

/** The runbook's outputs in a bundle: `cluster`, `nodePools`, `proofSet` and result objects. */
export function bundleOutputs(bundle: EvidenceBundle): [string, unknown][] {
  return Object.entries(bundle).filter(([key]) => !envelopeKeys.has(key));
}

/** A value shown on one line when short, as indented JSON otherwise. */
export function formatValue(value: unknown, indent: string): string[] {
  const compact = JSON.stringify(value) ?? "null";
  if (compact.length <= 100) return [`${indent}${compact}`];
  return (JSON.stringify(value, null, 2) ?? "null").split("\n").map((line) => `${indent}${line}`);
}
