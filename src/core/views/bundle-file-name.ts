import type { EvidenceBundle } from "../evidence/bundle.js";

/** The file name (without extension) every surface gives a downloaded bundle: `egress-<runbook>-<runId>`. */
export function bundleFileName(bundle: Pick<EvidenceBundle, "runbook" | "runId">): string {
  return `egress-${bundle.runbook.name}-${bundle.runId}`;
}
