import type { EvidenceBundle, NextSuggestion } from "../evidence/bundle.js";
import { severities, type Finding, type Severity } from "../evidence/finding.js";
import { readResultSections, type ResultSections } from "../egress/report/result-sections.js";
import { readSections, type ReportSections } from "../egress/report/sections.js";
import { readTriageSections, type SnatRow } from "../egress/report/triage-sections.js";
import { bundleOutputs } from "./bundle-outputs.js";
import { fleetSummary, fleetTable } from "./fleet-view.js";
import { partnerSections } from "./partner-view.js";
import { driftSections } from "./drift-view.js";
import { whatIfSections } from "./what-if-view.js";
import { pathOf, type PoolPath } from "./pool-path.js";
import type { ViewTable } from "./view-tables.js";

/** The headline's verdict: the worst finding, apart from how the run went. */
export interface Verdict {
  /** The worst finding's severity; `ok` without findings; `incomplete` when the run could not finish. */
  readonly level: Severity | "ok" | "incomplete";
  readonly text: string;
}

/** One line of the proof-set checklist. */
export interface ProofLine {
  readonly name: string;
  readonly status: string;
  readonly summary: string;
}

/** One destination the firewall denied. */
export interface DenyRow {
  readonly destination: string;
  readonly protocol: string;
  readonly count: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  /** The rule or policy that denied it, in the log's words. */
  readonly rule: string;
  /** The AKS-required endpoint it is, or null. */
  readonly requiredEndpoint: string | null;
}

/** One address of an allowlist, with how long it will hold. */
export interface AllowlistEntry {
  readonly cidr: string;
  readonly grade: string;
  readonly why: string;
  readonly from: string;
}

/** One link of a whois owner chain: an address, a resource, what it is attached to, a cluster, its pools. */
export interface OwnerLink {
  readonly role: "prefix" | "resource" | "attachedTo" | "cluster";
  readonly label: string;
}

export type { SnatRow } from "../egress/report/triage-sections.js";

/** A finding as a view shows it: with its specifics (detail), fix and evidence. */
export interface FindingLine {
  readonly severity: Severity;
  readonly code: string;
  readonly title: string;
  readonly detail: string | null;
  readonly remediation: string;
  readonly evidenceIds: readonly string[];
}

/** What the service did beside the run (a handover recorded, or why not), shown first. */
export interface Notice {
  readonly level: "ok" | "refused";
  readonly text: string;
}

/** One section of an answer; every renderer handles every kind (an exhaustive switch). */
export type ViewSection =
  | ({ readonly kind: "notice" } & Notice)
  | { readonly kind: "problems"; readonly items: readonly { readonly step: string; readonly message: string }[] }
  | {
      readonly kind: "denies";
      readonly window: string;
      readonly firewalls: readonly string[];
      readonly logs: string | null;
      readonly total: number;
      readonly rows: readonly DenyRow[];
      readonly more: number;
    }
  | {
      readonly kind: "whois";
      readonly ip: string;
      readonly owners: readonly (readonly OwnerLink[])[];
      readonly note: string | null;
    }
  | {
      readonly kind: "allowlist";
      readonly partner: string;
      readonly cluster: string;
      readonly asOf: string;
      /** The CIDRs to copy, one per line. */
      readonly block: string;
      readonly entries: readonly AllowlistEntry[];
      readonly stable: boolean;
    }
  | {
      /** A result that is a table (the fleet): a summary line, the rows, and a note. */
      readonly kind: "table";
      readonly title: string;
      readonly summary: string;
      readonly table: ViewTable;
      readonly note: string | null;
    }
  | { readonly kind: "snat"; readonly rows: readonly SnatRow[] }
  | { readonly kind: "paths"; readonly pools: readonly PoolPath[] }
  | { readonly kind: "proof"; readonly items: readonly ProofLine[] }
  | { readonly kind: "findings"; readonly items: readonly FindingLine[] }
  | { readonly kind: "outputs"; readonly entries: readonly { readonly name: string; readonly text: string }[] };

/**
 * One answer, platform-neutral: what Slack, Teams, the console, the CLI and the Markdown bundle each
 * render. The headline's verdict says the worst finding apart from the run's status; the command's
 * own answer (denies, owner, allowlist, SNAT figures, paths) comes before the proof set.
 */
export interface AnswerView {
  /** What was asked: `triage for aks-plant-prod`. */
  readonly title: string;
  readonly verdict: Verdict;
  /** `title: verdict`, for headers and notifications. */
  readonly headline: string;
  /** The cluster in a line (`rg/name · location · outbound type … · public API server`), or null. */
  readonly about: string | null;
  readonly runStatus: EvidenceBundle["status"];
  readonly simulated: boolean;
  readonly asOf: string;
  readonly runId: string;
  readonly digest: string;
  readonly sections: readonly ViewSection[];
  readonly next: readonly NextSuggestion[];
}

/** Bundle keys a section shows; other outputs get the generic section. */
const shownKeys = new Set([
  "cluster",
  "nodePools",
  "proofSet",
  "denies",
  "sourceIps",
  "whois",
  "snat",
  "fleet",
  "partners",
  "partner",
  "drift",
  "driftHistory",
  "whatif",
  // The drift watch's snapshots to keep: data for the watch, not for people.
  "snapshots",
]);
const orderedFindings = (findings: readonly Finding[]): Finding[] =>
  [...findings].sort((a, b) => severities.indexOf(a.severity) - severities.indexOf(b.severity));

function verdictOf(bundle: EvidenceBundle): Verdict {
  const findings = orderedFindings(bundle.findings);
  const worst = findings[0];
  if (worst) {
    const same = findings.filter((finding) => finding.severity === worst.severity);
    const text =
      same.length === 1
        ? `${worst.severity}: ${worst.title}`
        : `${worst.severity}: ${same.length} findings (${worst.title}, …)`;
    return { level: worst.severity, text };
  }
  if (bundle.status !== "succeeded") return { level: "incomplete", text: `${bundle.status}: no findings` };
  return { level: "ok", text: "no findings" };
}

function deniesSection(results: ResultSections): ViewSection | null {
  const denies = results.denies;
  if (!denies) return null;
  return {
    kind: "denies",
    window: denies.window,
    firewalls: denies.firewalls.map((firewall) => firewall.name),
    logs: denies.logs ?? null,
    total: denies.groups.reduce((sum, group) => sum + group.denies, 0),
    rows: denies.groups.map((group) => ({
      destination: group.destination,
      protocol: group.protocol,
      count: group.denies,
      firstSeen: group.firstSeen ?? null,
      lastSeen: group.lastSeen ?? null,
      rule: group.reasons[0] ?? "",
      requiredEndpoint: group.requiredEndpoint ?? null,
    })),
    more: denies.more,
  };
}

/** How many clusters a whois lists per holder; the rest are counted (a hub firewall may serve hundreds). */
const whoisUsersShown = 25;

function whoisSection(results: ResultSections): ViewSection | null {
  const whois = results.whois;
  if (!whois) return null;
  const owners: OwnerLink[][] = [];
  let more = 0;
  for (const match of whois.matches) {
    const holder: OwnerLink[] = [
      ...(match.prefix ? [{ role: "prefix" as const, label: `${whois.ip} in ${match.prefix}` }] : []),
      { role: "resource" as const, label: `${match.kind} ${match.name}` },
      ...(match.attachedTo
        ? [
            {
              role: "attachedTo" as const,
              label: `${match.attachedTo.type} ${match.attachedTo.id.split("/").pop() ?? ""}`,
            },
          ]
        : []),
    ];
    const users = match.usedBy ?? [];
    if (users.length === 0) {
      // A result from before clusters were resolved, or a runbook's own: its one named cluster.
      owners.push(
        match.cluster
          ? [
              ...holder,
              {
                role: "cluster",
                label: `cluster ${match.cluster.resourceGroup ? `${match.cluster.resourceGroup}/` : ""}${match.cluster.name}${match.cluster.pools && match.cluster.pools.length > 0 ? ` (node pools ${match.cluster.pools.join(", ")})` : ""}`,
              },
            ]
          : holder,
      );
      continue;
    }
    for (const user of users.slice(0, whoisUsersShown))
      owners.push([
        ...holder,
        {
          role: "cluster",
          label: `${user.certain ? "" : "maybe "}cluster ${user.resourceGroup}/${user.name} (${user.traffic === "pods" ? "pods of" : "node pools"} ${user.pools.join(", ")})`,
        },
      ]);
    more += Math.max(0, users.length - whoisUsersShown);
  }
  const notes = [whois.note ?? null, more > 0 ? `… ${more} more cluster(s): the evidence bundle lists them all` : null];
  return {
    kind: "whois",
    ip: whois.ip,
    owners,
    note: notes.filter((note): note is string => note !== null).join(" ") || null,
  };
}

function allowlistSection(results: ResultSections): ViewSection | null {
  const sourceIps = results.sourceIps;
  if (!sourceIps) return null;
  return {
    kind: "allowlist",
    partner: sourceIps.partner,
    cluster: `${sourceIps.resourceGroup}/${sourceIps.cluster}`,
    asOf: sourceIps.asOf,
    block: sourceIps.cidrs.join("\n"),
    entries: sourceIps.addresses.map((address) => ({
      cidr: address.cidr,
      grade: address.grade,
      why: address.reason,
      from: `${address.resourceName ?? "?"} (${address.via})`,
    })),
    stable: sourceIps.stable,
  };
}

function reportSections(report: ReportSections): ViewSection[] {
  const sections: ViewSection[] = [];
  if (report.nodePools.length > 0) sections.push({ kind: "paths", pools: report.nodePools.map(pathOf) });
  if (report.proofSet)
    sections.push({
      kind: "proof",
      items: Object.entries(report.proofSet).map(([name, item]) => ({
        name,
        status: item.status,
        summary: item.summary,
      })),
    });
  return sections;
}

/** Outputs of a custom runbook that no section shows, as text. */
function otherOutputs(bundle: EvidenceBundle, problems: readonly string[]): ViewSection | null {
  const entries = bundleOutputs(bundle)
    .filter(([key]) => !shownKeys.has(key))
    .map(([name, value]) => ({ name, text: typeof value === "string" ? value : JSON.stringify(value, null, 2) }));
  const all = [...entries, ...problems.map((problem) => ({ name: "not shown", text: problem }))];
  return all.length > 0 ? { kind: "outputs", entries: all } : null;
}

/** Builds the one view every platform renders for a finished run, with what the service did beside it. */
export function buildAnswerView(bundle: EvidenceBundle, notices: readonly Notice[] = []): AnswerView {
  const report = readSections(bundle);
  const results = readResultSections(bundle);
  const triage = readTriageSections(bundle, report);
  const subject = report.cluster
    ? ` for ${report.cluster.name}`
    : results.whois
      ? ` of ${results.whois.ip}`
      : results.sourceIps
        ? ` for ${results.sourceIps.cluster}`
        : results.fleet
          ? ` of ${results.fleet.clusters.length} cluster(s)`
          : results.partner
            ? ` for ${results.partner.name}`
            : results.whatif
              ? ` for ${results.whatif.cluster}`
              : results.driftHistory
                ? ` of ${results.driftHistory.cluster}`
                : results.drift
                  ? ` of ${results.drift.clustersScanned} cluster(s)`
                  : "";
  const title = `${bundle.runbook.name}${subject}`;
  const verdict = verdictOf(bundle);
  const problems = bundle.steps.flatMap((step) =>
    step.status === "failed" || step.status === "timedOut"
      ? [{ step: step.id, message: step.error?.message ?? step.status }]
      : step.reason && bundle.status === "partial"
        ? [{ step: step.id, message: step.reason }]
        : [],
  );
  const sections: (ViewSection | null)[] = [
    ...notices.map((notice): ViewSection => ({ kind: "notice", ...notice })),
    problems.length > 0 ? { kind: "problems", items: problems } : null,
    deniesSection(results),
    whoisSection(results),
    allowlistSection(results),
    results.fleet
      ? {
          kind: "table",
          title: "Fleet egress",
          summary: fleetSummary(results.fleet),
          table: fleetTable(results.fleet),
          note:
            results.fleet.clusters
              .filter((cluster) => cluster.caveat)
              .map((cluster) => `${cluster.resourceGroup}/${cluster.name}: ${cluster.caveat ?? ""}`)
              .join("\n") || null,
        }
      : null,
    ...partnerSections(results),
    ...driftSections(results.drift, results.driftHistory),
    ...whatIfSections(results.whatif),
    triage.snat ? { kind: "snat", rows: triage.snat } : null,
    ...reportSections(report),
    {
      kind: "findings",
      items: orderedFindings(bundle.findings).map((finding) => ({
        severity: finding.severity,
        code: finding.code,
        title: finding.title,
        detail: finding.detail ?? null,
        remediation: finding.remediation,
        evidenceIds: finding.evidenceIds,
      })),
    },
    otherOutputs(bundle, [...report.problems, ...results.problems, ...triage.problems]),
  ];
  return {
    title,
    verdict,
    headline: `${title}: ${verdict.text}`,
    about: report.cluster
      ? `${report.cluster.resourceGroup}/${report.cluster.name} · ${report.cluster.location} · outbound type ${report.cluster.outboundType} · ${report.cluster.privateCluster ? "private" : "public"} API server`
      : null,
    runStatus: bundle.status,
    simulated: bundle.simulated,
    asOf: bundle.finishedAt,
    runId: bundle.runId,
    digest: bundle.digest,
    sections: sections.filter((section): section is ViewSection => section !== null),
    next: bundle.next,
  };
}
