import type { EvidenceBundle } from "../evidence/bundle.js";
import { buildAnswerView, type AnswerView, type ViewSection } from "./answer-view.js";
import { bundleOutputs } from "./bundle-outputs.js";
import { renderPathSvg } from "./path-picture.js";
import { describeSources } from "./pool-path.js";
import { deniesTable, snatTable, type ViewTable } from "./view-tables.js";

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
const table = (content: ViewTable): string[] => [
  `| ${content.headers.map(cell).join(" | ")} |`,
  `|${content.headers.map(() => "---").join("|")}|`,
  ...content.rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
];
const fence = (lines: readonly string[]): string[] => [
  "```",
  ...lines.map((line) => line.replace(/```/g, "'''")),
  "```",
];

/** One section of the answer as Markdown. */
function sectionMarkdown(part: ViewSection, view: AnswerView): string[] {
  switch (part.kind) {
    case "notice":
      return [`> ${part.level === "ok" ? "✅" : "⛔"} ${cell(part.text)}`];
    case "problems":
      return [
        `## What went wrong (run ${view.runStatus})`,
        "",
        ...part.items.map((item) => `- **${cell(item.step)}**: ${cell(item.message)}`),
      ];
    case "denies":
      return [
        `## Denies over ${part.window}`,
        "",
        `${part.total} denied, from ${part.firewalls.join(", ") || "no firewall"}${part.rows.length === 0 ? `: ${cell(part.logs ?? "none")}` : "."}`,
        ...(part.rows.length > 0 ? ["", ...table(deniesTable(part.rows))] : []),
        ...(part.more > 0 ? ["", `… ${part.more} more destination(s).`] : []),
      ];
    case "table":
      return [
        `## ${cell(part.title)}`,
        "",
        cell(part.summary),
        "",
        ...table(part.table),
        ...(part.note ? ["", ...part.note.split("\n").map((line) => `- ${cell(line)}`)] : []),
      ];
    case "whois":
      return [
        `## Who owns ${part.ip}`,
        "",
        ...(part.owners.length === 0 ? ["No Azure resource in the searched subscriptions."] : []),
        ...part.owners.map((chain) => `- ${chain.map((link) => cell(link.label)).join(" → ")}`),
        ...(part.note ? ["", cell(part.note)] : []),
      ];
    case "allowlist":
      return [
        `## Allowlist${part.partner ? ` for ${cell(part.partner)}` : ""}`,
        "",
        `${cell(part.cluster)}, as of ${part.asOf}${part.stable ? "" : " (not stable: see the grades)"}`,
        "",
        ...fence(part.block ? part.block.split("\n") : ["(none)"]),
        "",
        ...table({
          headers: ["CIDR", "GRADE", "WHY", "FROM"],
          rows: part.entries.map((entry) => [entry.cidr, entry.grade, entry.why, entry.from]),
        }),
      ];
    case "snat":
      return ["## SNAT per node pool", "", ...table(snatTable(part.rows))];
    case "paths": {
      // The picture inline, as a data URI of the SVG (viewers that show images show it in place).
      const svg = renderPathSvg(part.pools, `Egress paths: ${view.title}`);
      return [
        "## Node pools",
        "",
        `![Egress paths of ${cell(view.title)}](data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")})`,
        "",
        ...part.pools.flatMap((pool) => [
          `- **${cell(pool.name)}**: ${pool.kind}, SNAT by ${cell(pool.snatBy)}, sources ${cell(describeSources(pool.sources))} _(${cell(pool.routes)})_`,
          `  - path: ${pool.hops.map((hop) => cell(hop.label)).join(" → ")}`,
          ...(pool.pods ? [`  - pods: ${cell(pool.pods)}`] : []),
        ]),
      ];
    }
    case "proof":
      return [
        "## Proof set",
        "",
        ...table({
          headers: ["ITEM", "STATUS", "SUMMARY"],
          rows: part.items.map((item) => [item.name, item.status, item.summary]),
        }),
      ];
    case "findings":
      return [
        "## Findings",
        "",
        ...(part.items.length === 0
          ? ["None."]
          : table({
              headers: ["SEVERITY", "CODE", "FINDING", "FIX", "EVIDENCE"],
              rows: part.items.map((finding) => [
                finding.severity,
                `\`${finding.code}\``,
                `${finding.title}${finding.detail ? `<br>${finding.detail}` : ""}`,
                finding.remediation,
                finding.evidenceIds.join(", "),
              ]),
            })),
      ];
    case "outputs":
      return part.entries.flatMap((entry) => [`## ${cell(entry.name)}`, "", ...fence(entry.text.split("\n")), ""]);
  }
}

/** The bundle as Markdown, for pasting into an incident document or ticket: the answer view, then the data, steps and evidence. */
export function formatBundleMarkdown(bundle: EvidenceBundle): string {
  const view = buildAnswerView(bundle);
  const lines = [
    `# ${view.headline}${view.simulated ? " (SIMULATED)" : ""}`,
    "",
    `- Run: \`${bundle.runId}\` (${bundle.runbook.name} ${bundle.runbook.version}), **${bundle.status}**`,
    ...(view.about ? [`- Cluster: ${view.about}`] : []),
    `- Started: ${bundle.startedAt}`,
    `- Finished: ${bundle.finishedAt}`,
    `- Digest: \`${bundle.digest}\``,
    "",
  ];
  for (const part of view.sections) lines.push(...sectionMarkdown(part, view), "");
  lines.push("## Data", "");
  for (const [key, value] of bundleOutputs(bundle))
    lines.push(`### ${key}`, "", "```json", JSON.stringify(value, null, 2), "```", "");
  lines.push("## Steps", "", "| Step | Uses | Status | Attempts | Duration (ms) | Note |", "|---|---|---|---|---|---|");
  for (const step of bundle.steps)
    lines.push(
      `| ${step.id} | \`${step.uses}\` | ${step.status} | ${step.attempts} | ${step.durationMs} | ${cell(step.error?.message ?? step.reason ?? "")} |`,
    );
  lines.push("", "## Evidence", "");
  for (const item of bundle.evidence) {
    const where = [
      item.source.operation,
      item.source.resourceId,
      item.source.apiVersion && `api-version ${item.source.apiVersion}`,
    ]
      .filter(Boolean)
      .join(" · ");
    lines.push(`- **${item.id}**: ${cell(item.summary)} (${cell(where)})`);
  }
  if (bundle.next.length > 0) {
    lines.push("", "## Next steps", "");
    for (const suggestion of bundle.next) lines.push(`- ${cell(suggestion.label)}: \`${suggestion.command}\``);
  }
  return `${lines.join("\n")}\n`;
}
