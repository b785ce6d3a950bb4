import { describeSources, type ChatSummary, type ProgressView } from "../../src/index.js";

/** An Adaptive Card as JSON (Teams renders schema version 1.5 at most). */
export type AdaptiveCard = Record<string, unknown> & { type: "AdaptiveCard"; version: "1.5" };

/** The Action.Execute verb of `next` buttons; `data.egressKey` is a short key into the state store. */
export const nextVerb = "egress.next";

const stepMarks: Record<string, string> = {
  pending: "◻️",
  running: "⏳",
  succeeded: "✅",
  failed: "❌",
  skipped: "➖",
  timedOut: "⌛",
  cancelled: "⏹️",
};
const proofMarks: Record<string, string> = { collected: "✅", missing: "❌", failed: "❌", notApplicable: "➖" };
const severityColours: Record<string, string> = {
  critical: "Attention",
  error: "Attention",
  warning: "Warning",
  info: "Accent",
};
const simulatedNote = "SIMULATED: data from a simulated Azure world, not from your subscriptions";

/**
 * Teams renders TextBlock text and message text as a Markdown subset (and message text also as a
 * little HTML): neutralises what a value could use to format, mention or link.
 */
export const escapeTeamsText = (text: string): string => text.replace(/[\\*_~`[\]<>#|&]/g, (char) => `\\${char}`);
const plain = escapeTeamsText;
const text = (value: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: "TextBlock",
  text: value,
  wrap: true,
  ...extra,
});
const card = (body: unknown[], actions: unknown[] = []): AdaptiveCard => ({
  type: "AdaptiveCard",
  version: "1.5",
  $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
  body,
  ...(actions.length > 0 ? { actions } : {}),
});

/** The progress card: the command, one line per step, and the SIMULATED label when it applies. */
export function renderProgressCard(view: ProgressView): AdaptiveCard {
  const state = view.outcome ?? "running";
  return card([
    text(`egress ${plain(view.title)}: ${state}`, { weight: "Bolder" }),
    ...(view.simulated ? [text(simulatedNote, { color: "Warning", size: "Small" })] : []),
    ...view.steps.map((step) => text(`${stepMarks[step.status] ?? "•"} ${plain(step.name)}`, { spacing: "None" })),
  ]);
}

/** The summary card: the same content as Slack's summary, with Action.Execute buttons for `next` steps. */
export function renderSummaryCard(
  summary: ChatSummary,
  buttonKeys: readonly string[],
  bundleUrl: string | null,
): AdaptiveCard {
  const body: unknown[] = [
    text(plain(summary.headline), { size: "Large", weight: "Bolder" }),
    text(`as of ${summary.asOf} · run ${summary.runId}`, { isSubtle: true, size: "Small", spacing: "None" }),
  ];
  if (summary.simulated) body.push(text(simulatedNote, { color: "Warning", weight: "Bolder" }));
  if (summary.stepErrors.length > 0) {
    body.push(text("What went wrong", { weight: "Bolder", separator: true, color: "Attention" }));
    for (const problem of summary.stepErrors)
      body.push(text(`${plain(problem.step)}: ${plain(problem.message)}`, { spacing: "None" }));
  }
  if (summary.proofSet.length > 0) {
    body.push(text("Proof set", { weight: "Bolder", separator: true }));
    body.push({
      type: "FactSet",
      facts: summary.proofSet.map((item) => ({
        title: `${proofMarks[item.status] ?? "•"} ${item.name}`,
        value: plain(item.summary),
      })),
    });
  }
  if (summary.pools.length > 0) {
    body.push(text("Node pools", { weight: "Bolder", separator: true }));
    body.push({
      type: "FactSet",
      facts: summary.pools.map((pool) => ({
        title: plain(pool.name),
        value: `${pool.kind}, SNAT by ${plain(pool.snatBy)}, sources ${plain(describeSources(pool))} (${plain(pool.routes)})`,
      })),
    });
  }
  const findings = Object.entries(summary.findings).flatMap(([severity, list]) =>
    list.map((finding) => ({ severity, finding })),
  );
  body.push(text(findings.length > 0 ? "Findings" : "Findings: none", { weight: "Bolder", separator: true }));
  for (const { severity, finding } of findings) {
    body.push({
      type: "Container",
      items: [
        text(`${severity.toUpperCase()} ${finding.code}: ${plain(finding.title)}`, {
          color: severityColours[severity] ?? "Default",
          weight: "Bolder",
        }),
        ...(finding.remediation ? [text(plain(finding.remediation), { spacing: "None", size: "Small" })] : []),
      ],
    });
  }
  if (summary.sourceAddresses.length > 0)
    body.push(text(`Source IPs: ${summary.sourceAddresses.join(" ")}`, { separator: true }));
  const actions: unknown[] = summary.next.flatMap((suggestion, index) => {
    const key = buttonKeys[index];
    return key
      ? [{ type: "Action.Execute", title: suggestion.label.slice(0, 80), verb: nextVerb, data: { egressKey: key } }]
      : [];
  });
  if (bundleUrl) actions.push({ type: "Action.OpenUrl", title: "Evidence bundle (JSON)", url: bundleUrl });
  return card(body, actions.slice(0, 6));
}
