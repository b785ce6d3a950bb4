import type { EvidenceBundle } from "../evidence/bundle.js";
import { reservedOutputKeys } from "../runbooks/analyze-runbook.js";

/** The runbook's outputs in a bundle: `cluster`, `nodePools`, `proofSet` and result objects (not the envelope). */
export function bundleOutputs(bundle: EvidenceBundle): [string, unknown][] {
  return Object.entries(bundle).filter(([key]) => !reservedOutputKeys.has(key));
}
