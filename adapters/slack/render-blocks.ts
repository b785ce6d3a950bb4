import type { types } from "@slack/bolt";
import { describeSources, type ChatSummary, type ProgressView } from "../../src/index.js";
import { chunkLines, escapeMrkdwn, fit, slackLimits } from "./slack-text.js";

/** A Block Kit block, as @slack/types defines them. */
export type Block = types.KnownBlock;

/** One message: fallback text (notifications, screen readers) and its blocks. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Block[];
}

/** The action ID of `next` buttons; the value is a short key into the state store. */
export const nextActionId = "egress_next";

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
const severityMarks: Record<string, string> = { critical: "🟥", error: "🔴", warning: "🟠", info: "🔵" };
const simulatedLabel = "⚠️ *SIMULATED*: data from a simulated Azure world, not from your subscriptions";

const section = (text: string): types.SectionBlock => ({
  type: "section",
  text: { type: "mrkdwn", text: fit(text, slackLimits.sectionText) },
});
const context = (text: string): types.ContextBlock => ({
  type: "context",
  elements: [{ type: "mrkdwn", text: fit(text, slackLimits.sectionText) }],
});

/** The progress message: the command, one line per step, and the SIMULATED label when it applies. */
export function renderProgress(view: ProgressView): SlackMessage {
  const state = view.outcome === null ? "running" : view.outcome;
  const lines = view.steps.map((step) => `${stepMarks[step.status] ?? "•"} ${escapeMrkdwn(step.name)}`);
  const blocks: Block[] = [section(`*egress ${escapeMrkdwn(view.title)}*: ${state}`)];
  for (const chunk of chunkLines(lines, slackLimits.sectionText).slice(0, slackLimits.blocksPerMessage - 3))
    blocks.push(section(chunk));
  if (view.simulated) blocks.push(context(simulatedLabel));
  return {
    text: fit(
      `egress ${escapeMrkdwn(view.title)}: ${state}${view.simulated ? " (SIMULATED)" : ""}`,
      slackLimits.fallbackText,
    ),
    blocks,
  };
}

/**
 * The final summary and its details, as as many messages as Slack's limits need: the first has the
 * status, proof set, findings by severity, source IPs and `next` buttons; later ones carry what did not fit.
 */
export function renderSummary(summary: ChatSummary, buttonKeys: readonly string[]): SlackMessage[] {
  const head: Block[] = [
    { type: "header", text: { type: "plain_text", text: fit(summary.headline, slackLimits.headerText) } },
  ];
  const contextLine = [`as of ${summary.asOf}`, `run \`${summary.runId}\``, summary.simulated ? "*SIMULATED*" : null]
    .filter(Boolean)
    .join(" · ");
  head.push(context(contextLine));
  if (summary.simulated) head.push(context(simulatedLabel));

  const detailLines: string[] = [];
  if (summary.stepErrors.length > 0)
    detailLines.push(
      "*What went wrong*",
      ...summary.stepErrors.map((problem) => `❌ *${escapeMrkdwn(problem.step)}*: ${escapeMrkdwn(problem.message)}`),
      "",
    );
  if (summary.proofSet.length > 0)
    detailLines.push(
      "*Proof set*",
      ...summary.proofSet.map(
        (item) => `${proofMarks[item.status] ?? "•"} *${item.name}*: ${escapeMrkdwn(item.summary)}`,
      ),
      "",
    );
  if (summary.pools.length > 0)
    detailLines.push(
      "*Node pools*",
      ...summary.pools.map(
        (pool) =>
          `• *${escapeMrkdwn(pool.name)}*: ${pool.kind}, SNAT by ${escapeMrkdwn(pool.snatBy)}, sources ${pool.sourcesState === "known" ? pool.sources.map((cidr) => `\`${cidr}\``).join(" ") : `*${escapeMrkdwn(describeSources(pool))}*`} _(${escapeMrkdwn(pool.routes)})_`,
      ),
      "",
    );
  const findingLines: string[] = [];
  for (const [severity, findings] of Object.entries(summary.findings)) {
    for (const finding of findings) {
      findingLines.push(
        `${severityMarks[severity] ?? "•"} *${severity}* \`${finding.code}\`: ${escapeMrkdwn(finding.title)}${finding.remediation ? `\n    ↳ ${escapeMrkdwn(finding.remediation)}` : ""}`,
      );
    }
  }
  detailLines.push(findingLines.length > 0 ? "*Findings*" : "*Findings*: none", ...findingLines);
  if (summary.sourceAddresses.length > 0)
    detailLines.push("", `*Source IPs*: ${summary.sourceAddresses.map((cidr) => `\`${cidr}\``).join(" ")}`);

  const buttons: types.Button[] = summary.next.slice(0, slackLimits.actionsElements).flatMap((suggestion, index) => {
    const key = buttonKeys[index];
    return key
      ? [
          {
            type: "button" as const,
            text: { type: "plain_text" as const, text: fit(suggestion.label, slackLimits.buttonText) },
            action_id: `${nextActionId}_${index}`,
            value: key,
          },
        ]
      : [];
  });

  const bodyBlocks = chunkLines(detailLines, slackLimits.sectionText).map(section);
  const messages: Block[][] = [head];
  for (const block of bodyBlocks) {
    const current = messages[messages.length - 1] as Block[];
    if (current.length >= slackLimits.blocksPerMessage - 1) messages.push([block]);
    else current.push(block);
  }
  if (buttons.length > 0) {
    const last = messages[messages.length - 1] as Block[];
    const actions: Block = { type: "actions", elements: buttons };
    if (last.length >= slackLimits.blocksPerMessage) messages.push([actions]);
    else last.push(actions);
  }
  const fallback = fit(
    `${escapeMrkdwn(summary.headline)}${summary.simulated ? " (SIMULATED)" : ""}`,
    slackLimits.fallbackText,
  );
  return messages.map((blocks, index) => ({ text: index === 0 ? fallback : `${fallback} (continued)`, blocks }));
}
