import type { EvidenceBundle } from "../evidence/bundle.js";
import { bundleOutputs } from "./bundle-outputs.js";

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** The bundle as Markdown, for pasting into an incident document or ticket. */
export function formatBundleMarkdown(bundle: EvidenceBundle): string {
  const lines = [
    `# ${bundle.runbook.name} ${bundle.runbook.version}: ${bundle.status}${bundle.simulated ? " (SIMULATED)" : ""}`,
    "",
  ];
  lines.push(
    `- Run: \`${bundle.runId}\``,
    `- Started: ${bundle.startedAt}`,
    `- Finished: ${bundle.finishedAt}`,
    `- Digest: \`${bundle.digest}\``,
    "",
  );
  lines.push("## Findings", "");
  if (bundle.findings.length === 0) lines.push("None.", "");
  else {
    lines.push("| Severity | Code | Title | Remediation | Evidence |", "|---|---|---|---|---|");
    for (const finding of bundle.findings) {
      lines.push(
        `| ${finding.severity} | \`${finding.code}\` | ${cell(finding.title)}${finding.detail ? `<br>${cell(finding.detail)}` : ""} | ${cell(finding.remediation)} | ${finding.evidenceIds.join(", ")} |`,
      );
    }
    lines.push("");
  }
  for (const [key, value] of bundleOutputs(bundle))
    lines.push(`## ${key}`, "", "```json", JSON.stringify(value, null, 2), "```", "");
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
