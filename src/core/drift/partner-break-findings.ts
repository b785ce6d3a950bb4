import { findingsCatalog } from "../egress/findings-catalog.js";
import type { FindingDraft } from "../evidence/finding.js";
import type { DriftReport } from "./drift-report.js";

/**
 * PARTNER_ALLOWLIST_BROKEN, one per broken allowlist: the one producer of the code, for the drift
 * check (the network now) and for what-if (the network after a change, `when` says so).
 */
export function partnerBreakFindings(
  breaks: DriftReport["breaks"],
  evidenceIds: readonly string[],
  when = "",
): FindingDraft[] {
  const entry = findingsCatalog.PARTNER_ALLOWLIST_BROKEN;
  return breaks.map((broken) => ({
    code: "PARTNER_ALLOWLIST_BROKEN",
    severity: entry.severity,
    title: entry.title,
    detail: `${when}${broken.partner} allowlists ${broken.cluster} as handed over on ${broken.handedAt} (${broken.digest}); ${broken.uncovered.join(", ")} (pools ${broken.pools.join(", ")}) is not covered.`,
    remediation: entry.remediation,
    resourceIds: [broken.clusterId],
    nodePools: [...broken.pools],
    evidenceIds: [...evidenceIds],
  }));
}
