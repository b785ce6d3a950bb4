import type { EvidenceBundle, NextSuggestion } from "../evidence/bundle.js";
import { severities, type Finding, type Severity } from "../evidence/finding.js";
import { readResultSections } from "../egress/report/result-sections.js";
import { readSections, type ReportSections } from "../egress/report/sections.js";

/** One line of the proof-set checklist. */
export interface ProofLine {
  readonly name: string;
  readonly status: string;
  readonly summary: string;
}

/** One node pool's egress in a line: the path, who SNATs, and the source addresses. */
export interface PoolLine {
  readonly name: string;
  readonly kind: string;
  readonly snatBy: string;
  /** The known sources; empty unless `sourcesState` is known. */
  readonly sources: readonly string[];
  /** Known, unknown (with why) or none (no path): views show the three differently. */
  readonly sourcesState: "known" | "unknown" | "none";
  readonly sourcesReason: string | null;
  /** Which routes the answer rests on: "configured routes", or "effective routes of <nic>". */
  readonly routes: string;
}

/** The sources of a pool line in words: the CIDRs, or what is unknown and why, or that there is no path. */
export function describeSources(pool: PoolLine): string {
  if (pool.sourcesState === "known") return pool.sources.join(" ");
  if (pool.sourcesState === "none") return `none (${pool.sourcesReason ?? "no path"})`;
  return `unknown (${pool.sourcesReason ?? "not said"})`;
}

/**
 * The platform-neutral content of a final chat message. Slack renders it as Block Kit, Teams as an
 * Adaptive Card, so both say the same thing.
 */
export interface ChatSummary {
  readonly headline: string;
  readonly status: EvidenceBundle["status"];
  readonly simulated: boolean;
  readonly asOf: string;
  readonly runId: string;
  readonly digest: string;
  readonly pools: readonly PoolLine[];
  readonly proofSet: readonly ProofLine[];
  readonly findings: Readonly<Record<Severity, readonly Finding[]>>;
  readonly sourceAddresses: readonly string[];
  readonly next: readonly NextSuggestion[];
  /** Why steps failed or timed out, in the steps' own words (so a failed run says why in the chat). */
  readonly stepErrors: readonly { readonly step: string; readonly message: string }[];
}

const lastSegment = (id: string): string => id.split("/").pop() ?? id;

/** Which routes an answer rests on, in words every view uses. */
export function routeBasisOf(egress: { routeBasis: string; effectiveRoutesOf: string | null }): string {
  return egress.routeBasis === "effective" && egress.effectiveRoutesOf
    ? `effective routes of ${lastSegment(egress.effectiveRoutesOf)}`
    : "configured routes";
}

function poolsOf(sections: ReportSections): PoolLine[] {
  return sections.nodePools.map((pool) => {
    const snatResource = pool.egress.snatBy.resourceId;
    const snatType = pool.egress.snatBy.type;
    return {
      name: pool.name,
      kind: pool.egress.kind,
      snatBy: snatResource ? `${snatType} ${lastSegment(snatResource)}` : snatType,
      sources: pool.sourceCidrs,
      sourcesState: pool.sources.state,
      sourcesReason: pool.sources.reason,
      routes: routeBasisOf(pool.egress),
    };
  });
}

function proofOf(sections: ReportSections): ProofLine[] {
  if (!sections.proofSet) return [];
  return Object.entries(sections.proofSet).map(([name, item]) => ({
    name,
    status: item.status,
    summary: item.summary,
  }));
}

function sourceAddressesOf(bundle: EvidenceBundle, pools: readonly PoolLine[]): string[] {
  const fromResult = readResultSections(bundle).sourceIps?.addresses.map((entry) => entry.cidr) ?? [];
  const all = fromResult.length > 0 ? fromResult : pools.flatMap((pool) => pool.sources);
  return [...new Set(all)];
}

/** Builds the summary a chat platform shows for a finished run. */
export function summarizeForChat(bundle: EvidenceBundle): ChatSummary {
  const sections = readSections(bundle);
  const subject = sections.cluster ? ` for ${sections.cluster.name}` : "";
  const pools = poolsOf(sections);
  const findings = Object.fromEntries(
    severities.map((severity) => [severity, bundle.findings.filter((finding) => finding.severity === severity)]),
  ) as Record<Severity, Finding[]>;
  return {
    headline: `${bundle.runbook.name}${subject}: ${bundle.status}`,
    status: bundle.status,
    simulated: bundle.simulated,
    asOf: bundle.finishedAt,
    runId: bundle.runId,
    digest: bundle.digest,
    pools,
    proofSet: proofOf(sections),
    findings,
    sourceAddresses: sourceAddressesOf(bundle, pools),
    next: bundle.next,
    stepErrors: bundle.steps.flatMap((step) =>
      step.error && (step.status === "failed" || step.status === "timedOut")
        ? [{ step: step.id, message: step.error.message }]
        : [],
    ),
  };
}
