import type { EvidenceBundle, NextSuggestion } from "../evidence/bundle.js";
import { severities, type Finding, type Severity } from "../evidence/finding.js";

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
  readonly sources: readonly string[];
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

interface PoolShape {
  name?: unknown;
  egress?: { kind?: unknown; snatBy?: { type?: unknown; resourceId?: unknown } };
  sourceCidrs?: unknown;
}

const text = (value: unknown, fallback: string): string =>
  typeof value === "string" && value.length > 0 ? value : fallback;
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
const lastSegment = (id: string): string => id.split("/").pop() ?? id;

function poolsOf(bundle: EvidenceBundle): PoolLine[] {
  if (!Array.isArray(bundle.nodePools)) return [];
  return (bundle.nodePools as PoolShape[]).map((pool) => {
    const snatResource = pool.egress?.snatBy?.resourceId;
    const snatType = text(pool.egress?.snatBy?.type, "unknown");
    return {
      name: text(pool.name, "?"),
      kind: text(pool.egress?.kind, "unknown"),
      snatBy: typeof snatResource === "string" ? `${snatType} ${lastSegment(snatResource)}` : snatType,
      sources: strings(pool.sourceCidrs),
    };
  });
}

function proofOf(bundle: EvidenceBundle): ProofLine[] {
  const proof = bundle.proofSet;
  if (!proof || typeof proof !== "object") return [];
  return Object.entries(proof as Record<string, { status?: unknown; summary?: unknown }>).map(([name, item]) => ({
    name,
    status: text(item.status, "missing"),
    summary: text(item.summary, ""),
  }));
}

function sourceAddressesOf(bundle: EvidenceBundle, pools: readonly PoolLine[]): string[] {
  const result = bundle.sourceIps as { addresses?: { cidr?: unknown }[] } | undefined;
  const fromResult = Array.isArray(result?.addresses)
    ? result.addresses.map((entry) => entry.cidr).filter((cidr): cidr is string => typeof cidr === "string")
    : [];
  const all = fromResult.length > 0 ? fromResult : pools.flatMap((pool) => pool.sources);
  return [...new Set(all)];
}

/** Builds the summary a chat platform shows for a finished run. */
export function summarizeForChat(bundle: EvidenceBundle): ChatSummary {
  const cluster = bundle.cluster as { name?: unknown } | undefined;
  const subject = typeof cluster?.name === "string" ? ` for ${cluster.name}` : "";
  const pools = poolsOf(bundle);
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
    proofSet: proofOf(bundle),
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
