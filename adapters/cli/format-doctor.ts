import type { DoctorReport } from "../../src/index.js";
import type { Paint } from "./cli-io.js";

/** The doctor report for a terminal: a line per check, marked ✓ or ✗, and what to fix. */
export function formatDoctorText(report: DoctorReport, paint: Paint): string {
  const mark = (ok: boolean): string => (ok ? paint("green", "✓") : paint("red", "✗"));
  const lines = [paint("bold", "Azure")];
  lines.push(
    `  ${mark(true)} ${report.azure.mode === "simulated" ? `${paint("magenta", "SIMULATED")} world ${report.azure.world ?? ""}` : `live, cloud ${report.azure.cloud} (${report.azure.resourceManager})`}`,
  );
  const who = [
    report.identity.name,
    report.identity.objectId && `object ${report.identity.objectId}`,
    report.identity.tenantId && `tenant ${report.identity.tenantId}`,
  ]
    .filter(Boolean)
    .join(", ");
  lines.push(
    `  ${mark(report.identity.ok)} identity: ${report.identity.ok ? who : (report.identity.problem ?? "none")}`,
  );
  for (const { subscriptionId, checks } of report.subscriptions) {
    lines.push("", paint("bold", `Subscription ${subscriptionId}`));
    for (const check of checks) lines.push(`  ${mark(check.ok)} ${check.action}: ${check.detail}`);
  }
  lines.push("", paint("bold", "Chat"));
  for (const check of report.chat)
    lines.push(`  ${mark(check.status !== "incomplete")} ${check.platform}: ${check.status} (${check.detail})`);
  lines.push(
    "",
    report.problems.length === 0
      ? paint("green", "No problems found.")
      : paint("bold", `${report.problems.length} problem(s):`),
  );
  for (const problem of report.problems) lines.push(`  - ${problem}`);
  return `${lines.join("\n")}\n`;
}
