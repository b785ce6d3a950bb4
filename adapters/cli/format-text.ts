import type { EvidenceBundle, Severity } from "../../src/index.js";
import { bundleOutputs, formatValue } from "./bundle-extras.js";
import { egressKeys, formatEgressText } from "./format-egress-text.js";
import { formatResultsText, resultKeys } from "./format-results-text.js";
import type { Paint, Style } from "./cli-io.js";
import { formatElapsed, formatTable } from "./format-table.js";

const severityStyle: Record<Severity, Style> = { critical: "magenta", error: "red", warning: "yellow", info: "cyan" };
const statusStyle: Record<string, Style> = {
  succeeded: "green",
  partial: "yellow",
  failed: "red",
  skipped: "gray",
  timedOut: "red",
  cancelled: "yellow",
};

/** The bundle for a terminal: status, findings, steps, outputs and next steps, aligned. */
export function formatBundleText(bundle: EvidenceBundle, paint: Paint): string {
  const lines: string[] = [];
  const elapsed = Date.parse(bundle.finishedAt) - Date.parse(bundle.startedAt);
  const label = bundle.simulated ? `  ${paint("magenta", "SIMULATED")}` : "";
  lines.push(
    `${paint("bold", `${bundle.runbook.name} ${bundle.runbook.version}`)}  ${paint(statusStyle[bundle.status] ?? "bold", bundle.status)}${label}`,
  );
  lines.push(paint("gray", `run ${bundle.runId} · ${bundle.startedAt} · ${formatElapsed(elapsed)}`));

  const broken = bundle.steps.filter((step) => step.status !== "succeeded" && step.status !== "skipped");
  if (bundle.status !== "succeeded" && broken.length > 0) {
    lines.push("", paint(statusStyle[bundle.status] ?? "bold", `Why ${bundle.status}:`));
    for (const step of broken) lines.push(`  ${step.id}: ${step.error?.message ?? step.reason ?? step.status}`);
  }

  lines.push(...formatEgressText(bundle, paint), ...formatResultsText(bundle, paint));
  lines.push("", paint("bold", `Findings (${bundle.findings.length})`));
  if (bundle.findings.length === 0) lines.push("  none");
  for (const finding of bundle.findings) {
    lines.push(
      `  ${paint(severityStyle[finding.severity], finding.severity.padEnd(8))}  ${paint("bold", finding.code)}  ${finding.title}`,
    );
    if (finding.detail) lines.push(`            ${finding.detail}`);
    lines.push(`            fix: ${finding.remediation}`);
    if (finding.nodePools.length > 0)
      lines.push(paint("gray", `            node pools: ${finding.nodePools.join(", ")}`));
    for (const id of finding.resourceIds) lines.push(paint("gray", `            ${id}`));
    if (finding.evidenceIds.length > 0)
      lines.push(paint("gray", `            evidence: ${finding.evidenceIds.join(", ")}`));
  }

  const egressShown = formatEgressText(bundle, paint).length > 0;
  for (const [key, value] of bundleOutputs(bundle)) {
    if ((egressShown && egressKeys.has(key)) || resultKeys.has(key)) continue;
    lines.push("", paint("bold", key), ...formatValue(value, "  "));
  }

  lines.push("", paint("bold", "Steps"));
  // Long reasons (a whole skipped condition) are cut here; the JSON bundle keeps them whole.
  const note = (text: string): string => (text.length > 72 ? `${text.slice(0, 71)}…` : text);
  const rows = bundle.steps.map((step) => [
    step.id,
    step.status,
    String(step.attempts),
    formatElapsed(step.durationMs),
    note(step.error?.message ?? step.reason ?? ""),
  ]);
  const table = formatTable(["STEP", "STATUS", "TRIES", "TIME", "NOTE"], rows);
  lines.push(paint("gray", table[0] ?? ""));
  table.slice(1).forEach((line, index) => {
    const status = bundle.steps[index]?.status ?? "";
    lines.push(line.replace(` ${status} `, ` ${paint(statusStyle[status] ?? "bold", status)} `));
  });

  if (bundle.next.length > 0) {
    lines.push("", paint("bold", "Next"));
    for (const suggestion of bundle.next)
      lines.push(`  → ${suggestion.label}: ${paint("cyan", `egress ${suggestion.command}`)}`);
  }
  lines.push(
    "",
    paint("gray", `${bundle.evidence.length} evidence item(s); --output json for the data · ${bundle.digest}`),
  );
  return `${lines.join("\n")}\n`;
}
