import type { EvidenceBundle } from "../evidence/bundle.js";

const envelopeKeys = new Set([
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
  "next",
  "digest",
]);

/** The runbook's outputs in a bundle: `cluster`, `nodePools`, `proofSet` and result objects. */
export function bundleOutputs(bundle: EvidenceBundle): [string, unknown][] {
  return Object.entries(bundle).filter(([key]) => !envelopeKeys.has(key));
}
