import type { DriftHistory, DriftReport } from "../drift/drift-report.js";
import type { ViewSection } from "./answer-view.js";

/** One line about a drift: how many clusters, changes, breaks, idle CIDRs and unchecked allowlists. */
export function driftSummary(drift: DriftReport): string {
  if (!drift.baseline)
    return `${drift.clustersScanned} cluster(s) scanned: the first snapshots; changes are reported from the next watch on · ${drift.breaks.length} broken allowlist(s) · as of ${drift.asOf}`;
  return [
    `${drift.clustersScanned} cluster(s) scanned`,
    `${drift.changes.length} changed`,
    `${drift.breaks.length} broken allowlist(s)`,
    `${drift.idle.length} with idle CIDRs`,
    drift.unchecked.length > 0 ? `${drift.unchecked.length} unchecked` : null,
    `as of ${drift.asOf}`,
  ]
    .filter((part): part is string => part !== null)
    .join(" · ");
}

/** The sections of a drift answer: what changed, what breaks, what is idle, what could not be checked. */
export function driftSections(drift: DriftReport | null, history: DriftHistory | null): ViewSection[] {
  const sections: ViewSection[] = [];
  if (drift) {
    sections.push({
      kind: "table",
      title: "Egress drift",
      summary: driftSummary(drift),
      table: {
        headers: ["CLUSTER", "WHAT", "SOURCES BEFORE", "SOURCES NOW"],
        rows: drift.changes.flatMap((change) =>
          change.lines.map((line, index) => [
            index === 0 ? change.cluster : "",
            `${change.kind === "changed" ? "" : `${change.kind}: `}${line}`,
            index === 0 ? change.sourcesBefore.join(" ") : "",
            index === 0 ? change.sourcesAfter.join(" ") : "",
          ]),
        ),
      },
      note: drift.changes.length === 0 && drift.baseline ? "Nothing changed since the last watch." : null,
    });
    sections.push(...allowlistSections(drift));
  }
  if (history)
    sections.push({
      kind: "table",
      title: `Egress history of ${history.cluster}`,
      summary: `${history.snapshots.length} snapshot(s), newest first (one per change the drift watch saw)`,
      table: {
        headers: ["TAKEN AT", "OUTBOUND TYPE", "SOURCES", "POOLS"],
        rows: history.snapshots.map((snapshot) => [
          snapshot.takenAt,
          snapshot.outboundType,
          snapshot.sources.join(" "),
          snapshot.pools.join("; "),
        ]),
      },
      note:
        history.snapshots.length === 0
          ? "No snapshot yet: the drift watch keeps one when it first sees the cluster."
          : null,
    });
  return sections;
}

/** What a drift does to partners: broken allowlists, idle handed CIDRs, allowlists not checked. */
export function allowlistSections(drift: DriftReport): ViewSection[] {
  const sections: ViewSection[] = [];
  if (drift.breaks.length > 0)
    sections.push({
      kind: "table",
      title: "Partner allowlists broken",
      summary: "sources the partner's allowlist does not cover: their requests will be refused",
      table: {
        headers: ["PARTNER", "CLUSTER", "NOT COVERED", "POOLS", "HANDED OVER", "EVIDENCE"],
        rows: drift.breaks.map((broken) => [
          broken.partner,
          broken.cluster,
          broken.uncovered.join(" "),
          broken.pools.join(", "),
          broken.handedAt,
          broken.digest,
        ]),
      },
      note: null,
    });
  if (drift.idle.length > 0)
    sections.push({
      kind: "table",
      title: "Allowlisted CIDRs now idle",
      summary: "handed-over CIDRs no source of the cluster uses any more: the partner can remove them",
      table: {
        headers: ["PARTNER", "CLUSTER", "IDLE"],
        rows: drift.idle.map((entry) => [entry.partner, entry.cluster, entry.idle.join(" ")]),
      },
      note: null,
    });
  if (drift.unchecked.length > 0)
    sections.push({
      kind: "table",
      title: "Allowlists not checked",
      summary: "unknown is not none: these were neither broken nor fine",
      table: {
        headers: ["PARTNER", "CLUSTER", "WHY"],
        rows: drift.unchecked.map((entry) => [entry.partner, entry.cluster, entry.reason]),
      },
      note: null,
    });
  return sections;
}
