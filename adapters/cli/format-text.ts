import { buildAnswerView, type EvidenceBundle } from "../../src/index.js";
import type { Paint, Style } from "./cli-io.js";
import { formatElapsed, formatTable } from "./format-table.js";
import { formatViewText } from "./format-view-text.js";

const statusStyle: Record<string, Style> = {
  succeeded: "green",
  partial: "yellow",
  failed: "red",
  skipped: "gray",
  timedOut: "red",
  cancelled: "yellow",
};

/** The bundle for a terminal: the answer view (verdict, the command's answer, paths, proof, findings), then steps and next steps. */
export function formatBundleText(bundle: EvidenceBundle, paint: Paint): string {
  const elapsed = Date.parse(bundle.finishedAt) - Date.parse(bundle.startedAt);
  const lines: string[] = [
    paint("gray", `${bundle.runbook.name} ${bundle.runbook.version} · ${bundle.startedAt} · ${formatElapsed(elapsed)}`),
    ...formatViewText(buildAnswerView(bundle), paint),
  ];
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
