/** Finding severities, most severe first. */
export const severities = ["critical", "error", "warning", "info"] as const;

/** How bad a finding is. */
export type Severity = (typeof severities)[number];

/** A judgement that cites the evidence it rests on. */
export interface Finding {
  /** A stable code from the findings catalog, e.g. `UDR_DEFAULT_ROUTE_MISSING`. */
  readonly code: string;
  readonly severity: Severity;
  readonly title: string;
  readonly detail: string;
  readonly remediation: string;
  readonly resourceIds: readonly string[];
  readonly nodePools: readonly string[];
  readonly evidenceIds: readonly string[];
}

/** What a step reports; missing lists default to empty, missing evidence to the step's own. */
export type FindingDraft = Pick<Finding, "code" | "severity" | "title" | "detail" | "remediation"> &
  Partial<Pick<Finding, "resourceIds" | "nodePools" | "evidenceIds">>;

/** Sort rank: 0 for critical … 3 for info. */
export function severityRank(severity: Severity): number {
  return severities.indexOf(severity);
}

/** True when `severity` is at least as severe as `threshold`. */
export function reachesSeverity(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) <= severityRank(threshold);
}
