import {
  alignTable,
  deniesTable,
  describeSources,
  snatTable,
  type AnswerView,
  type ViewSection,
} from "../../src/index.js";
import type { Paint, Style } from "./cli-io.js";

const proofMarks: Record<string, [string, Style]> = {
  collected: ["✓", "green"],
  missing: ["✗", "red"],
  failed: ["✗", "red"],
  notApplicable: ["–", "gray"],
};
const levelStyle: Record<string, Style> = {
  critical: "magenta",
  error: "red",
  warning: "yellow",
  info: "cyan",
  ok: "green",
  incomplete: "yellow",
};
const gradeStyle: Record<string, Style> = { stable: "green", managed: "yellow", unstable: "red", unknown: "gray" };

/** One section of the view for a terminal. */
function sectionLines(part: ViewSection, view: AnswerView, paint: Paint): string[] {
  switch (part.kind) {
    case "notice":
      return [paint(part.level === "ok" ? "green" : "red", `${part.level === "ok" ? "✓" : "✗"} ${part.text}`)];
    case "problems":
      return [
        paint(levelStyle.incomplete ?? "yellow", `What went wrong (run ${view.runStatus}):`),
        ...part.items.map((item) => `  ${item.step}: ${item.message}`),
      ];
    case "denies": {
      const table = alignTable(deniesTable(part.rows), "  ");
      return [
        paint("bold", `Denies over ${part.window}: ${part.total} from ${part.firewalls.join(", ") || "no firewall"}`),
        ...(part.rows.length === 0 ? [`  none (${part.logs ?? "no logs read"})`] : []),
        ...(part.rows.length > 0 ? [paint("gray", table[0] ?? "")] : []),
        ...table.slice(1).map((line, index) => (part.rows[index]?.requiredEndpoint ? paint("red", line) : line)),
        ...(part.more > 0
          ? [paint("yellow", `  … ${part.more} more destination(s); raise --top (up to 100) or narrow --since`)]
          : []),
      ];
    }
    case "table": {
      const table = alignTable(part.table, "  ");
      return [
        paint("bold", `${part.title}: ${part.summary}`),
        paint("gray", table[0] ?? ""),
        ...table.slice(1),
        ...(part.note ? part.note.split("\n").map((line) => paint("yellow", `  ${line}`)) : []),
      ];
    }
    case "whois":
      return [
        paint("bold", `Who owns ${part.ip}`),
        ...(part.owners.length === 0 ? ["  no Azure resource in the searched subscriptions"] : []),
        ...part.owners.map((chain) => `  ${chain.map((link) => link.label).join(" → ")}`),
        ...(part.note ? [`  ${part.note}`] : []),
      ];
    case "allowlist":
      return [
        paint(
          "bold",
          `Allowlist${part.partner ? ` for ${part.partner}` : ""} (${part.cluster}, as of ${part.asOf})${part.stable ? "" : ": not stable"}`,
        ),
        ...(part.block ? part.block.split("\n").map((cidr) => `  ${cidr}`) : ["  (none)"]),
        ...part.entries.map(
          (entry) =>
            `  ${entry.cidr}  ${paint(gradeStyle[entry.grade] ?? "gray", entry.grade)}: ${entry.why} (${entry.from})`,
        ),
      ];
    case "snat": {
      const table = alignTable(snatTable(part.rows), "  ");
      return [paint("bold", "SNAT per node pool"), paint("gray", table[0] ?? ""), ...table.slice(1)];
    }
    case "paths": {
      // Known, unknown and none read differently: a list, or a word the reason below explains.
      const table = alignTable(
        {
          headers: ["POOL", "MODE", "NODES", "EGRESS", "SNAT BY", "SOURCE IPS"],
          rows: part.pools.map((pool) => [
            pool.name,
            pool.mode ?? "",
            pool.nodes,
            `${pool.kind}${pool.matchesOutboundType ? "" : " (!)"}`,
            pool.snatBy,
            pool.sources.state === "known" ? pool.sources.cidrs.join(" ") : pool.sources.state.toUpperCase(),
          ]),
        },
        "  ",
      );
      return [
        paint("bold", "Node pools"),
        paint("gray", table[0] ?? ""),
        ...table.slice(1),
        ...part.pools.flatMap((pool) => [
          paint(
            "gray",
            `  ${pool.name}: ${pool.hops.map((hop) => (hop.note && hop.role === "routeTable" ? `${hop.label} (${hop.note})` : hop.label)).join(" → ")} (${pool.routes})`,
          ),
          ...(pool.sources.state !== "known"
            ? [
                paint(
                  pool.sources.state === "none" ? "red" : "yellow",
                  `  ${pool.name} sources ${describeSources(pool.sources)}`,
                ),
              ]
            : []),
          ...(pool.pods ? [paint("gray", `  ${pool.name} pods: ${pool.pods}`)] : []),
        ]),
      ];
    }
    case "proof":
      return [
        paint("bold", "Proof set"),
        ...part.items.map((item) => {
          const [mark, style] = proofMarks[item.status] ?? ["?", "yellow"];
          return `  ${paint(style, mark)} ${item.name.padEnd(15)} ${item.summary}`;
        }),
      ];
    case "findings":
      return [
        paint("bold", `Findings (${part.items.length})`),
        ...(part.items.length === 0 ? ["  none"] : []),
        ...part.items.flatMap((finding) => [
          `  ${paint(levelStyle[finding.severity] ?? "bold", finding.severity.padEnd(8))}  ${paint("bold", finding.code)}  ${finding.title}`,
          ...(finding.detail ? [`            ${finding.detail}`] : []),
          `            fix: ${finding.remediation}`,
          ...(finding.evidenceIds.length > 0
            ? [paint("gray", `            evidence: ${finding.evidenceIds.join(", ")}`)]
            : []),
        ]),
      ];
    case "outputs":
      return part.entries.flatMap((entry) => [
        paint("bold", entry.name),
        ...entry.text.split("\n").map((line) => `  ${line}`),
      ]);
  }
}

/** The answer for a terminal: the verdict headline and the run's status, then every section in order. */
export function formatViewText(view: AnswerView, paint: Paint): string[] {
  const lines = [
    `${paint("bold", view.title)}  ${paint(levelStyle[view.verdict.level] ?? "bold", view.verdict.text)}${view.simulated ? `  ${paint("magenta", "SIMULATED")}` : ""}`,
    paint("gray", `run ${view.runStatus} · as of ${view.asOf} · ${view.runId}`),
    ...(view.about ? [`Cluster ${view.about}`] : []),
  ];
  for (const part of view.sections) lines.push("", ...sectionLines(part, view, paint));
  return lines;
}
