import type { types } from "@slack/bolt";
import {
  alignTable,
  chatTableRows,
  deniesTable,
  describeSources,
  resumedNote,
  snatTable,
  type AnswerView,
  type ProgressView,
  type ViewSection,
} from "../../src/index.js";
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
const severityMarks: Record<string, string> = {
  critical: "🟥",
  error: "🔴",
  warning: "🟠",
  info: "🔵",
  ok: "✅",
  incomplete: "⚠️",
};
const simulatedLabel = "⚠️ *SIMULATED*: data from a simulated Azure world, not from your subscriptions";

const section = (text: string): types.SectionBlock => ({
  type: "section",
  text: { type: "mrkdwn", text: fit(text, slackLimits.sectionText) },
});
const context = (text: string): types.ContextBlock => ({
  type: "context",
  elements: [{ type: "mrkdwn", text: fit(text, slackLimits.sectionText) }],
});

/** Monospace lines as code blocks of at most a section's length each: split between lines, never cut. */
function codeBlocks(lines: readonly string[]): string[] {
  const fence = "```";
  return chunkLines(
    lines.map((line) => escapeMrkdwn(line.replace(/```/g, "'''"))),
    slackLimits.sectionText - 2 * fence.length - 2,
  ).map((chunk) => `${fence}\n${chunk}\n${fence}`);
}

/** A section of the view as mrkdwn texts, each within a section block's limit. */
function sectionTexts(part: ViewSection, runStatus: string): string[] {
  const lines = (items: readonly string[]): string[] => chunkLines(items, slackLimits.sectionText);
  switch (part.kind) {
    case "notice":
      return lines([`${part.level === "ok" ? "✅" : "⛔"} ${escapeMrkdwn(part.text)}`]);
    case "problems":
      return lines([
        `*What went wrong* (run ${runStatus})`,
        ...part.items.map((item) => `❌ *${escapeMrkdwn(item.step)}*: ${escapeMrkdwn(item.message)}`),
      ]);
    case "denies":
      return [
        `*Denies over ${escapeMrkdwn(part.window)}*: ${part.total} from ${escapeMrkdwn(part.firewalls.join(", ") || "no firewall")}${part.rows.length === 0 ? ` — ${escapeMrkdwn(part.logs ?? "none")}` : ""}`,
        ...(part.rows.length > 0 ? codeBlocks(alignTable(deniesTable(part.rows))) : []),
        ...(part.more > 0 ? [`… ${part.more} more destination(s): raise \`--top\` or narrow \`--since\``] : []),
      ];
    case "whois":
      return lines([
        `*Who owns ${escapeMrkdwn(part.ip)}*`,
        ...(part.owners.length === 0 ? ["no Azure resource in the searched subscriptions"] : []),
        ...part.owners.map((chain) => `• ${chain.map((link) => escapeMrkdwn(link.label)).join(" → ")}`),
        ...(part.note ? [`_${escapeMrkdwn(part.note)}_`] : []),
      ]);
    case "allowlist":
      return [
        `*Allowlist${part.partner ? ` for ${escapeMrkdwn(part.partner)}` : ""}* (${escapeMrkdwn(part.cluster)}, as of ${escapeMrkdwn(part.asOf)})${part.stable ? "" : ": *not stable*, see the grades"}`,
        ...codeBlocks(part.block ? part.block.split("\n") : ["(none)"]),
        ...lines(
          part.entries.map(
            (entry) =>
              `• \`${escapeMrkdwn(entry.cidr)}\` *${escapeMrkdwn(entry.grade)}*: ${escapeMrkdwn(entry.why)} (${escapeMrkdwn(entry.from)})`,
          ),
        ),
      ];
    case "table":
      return [
        `*${escapeMrkdwn(part.title)}*: ${escapeMrkdwn(part.summary)}`,
        ...codeBlocks(alignTable({ headers: part.table.headers, rows: part.table.rows.slice(0, chatTableRows) })),
        ...(part.table.rows.length > chatTableRows
          ? [
              `… ${part.table.rows.length - chatTableRows} more row(s): the evidence bundle has them all, and \`egress fleet --output csv\` writes them as CSV`,
            ]
          : []),
        ...(part.note ? lines(part.note.split("\n").map((line) => `_${escapeMrkdwn(line)}_`)) : []),
      ];
    case "snat":
      return ["*SNAT per node pool*", ...codeBlocks(alignTable(snatTable(part.rows)))];
    case "paths":
      return lines([
        "*Node pools*",
        ...part.pools.flatMap((pool) => [
          `• *${escapeMrkdwn(pool.name)}*: ${pool.kind}${pool.matchesOutboundType ? "" : " (not the declared outbound type)"}, SNAT by ${escapeMrkdwn(pool.snatBy)}, sources ${pool.sources.state === "known" ? pool.sources.cidrs.map((cidr) => `\`${cidr}\``).join(" ") : `*${escapeMrkdwn(describeSources(pool.sources))}*`} _(${escapeMrkdwn(pool.routes)})_`,
          `    ${escapeMrkdwn(pool.hops.map((hop) => hop.label).join(" → "))}`,
          ...(pool.pods ? [`    pods: ${escapeMrkdwn(pool.pods)}`] : []),
        ]),
      ]);
    case "proof":
      return lines([
        "*Proof set*",
        ...part.items.map((item) => `${proofMarks[item.status] ?? "•"} *${item.name}*: ${escapeMrkdwn(item.summary)}`),
      ]);
    case "findings":
      return lines([
        part.items.length > 0 ? "*Findings*" : "*Findings*: none",
        ...part.items.map(
          (finding) =>
            `${severityMarks[finding.severity] ?? "•"} *${finding.severity}* \`${finding.code}\`: ${escapeMrkdwn(finding.title)}${finding.detail ? `\n    ${escapeMrkdwn(finding.detail)}` : ""}\n    ↳ ${escapeMrkdwn(finding.remediation)}${finding.evidenceIds.length > 0 ? ` _(evidence ${finding.evidenceIds.join(", ")})_` : ""}`,
        ),
      ]);
    case "outputs":
      return part.entries.flatMap((entry) => [`*${escapeMrkdwn(entry.name)}*`, ...codeBlocks(entry.text.split("\n"))]);
  }
}

/** The progress message: the command, one line per step, and the SIMULATED label when it applies. */
export function renderProgress(view: ProgressView): SlackMessage {
  const state = view.outcome === null ? "running" : view.outcome;
  const lines = view.steps.map((step) => `${stepMarks[step.status] ?? "•"} ${escapeMrkdwn(step.name)}`);
  const blocks: Block[] = [section(`*egress ${escapeMrkdwn(view.title)}*: ${state}`)];
  if (view.resumed) blocks.push(context(`↻ ${resumedNote}`));
  for (const chunk of chunkLines(lines, slackLimits.sectionText).slice(0, slackLimits.blocksPerMessage - 4))
    blocks.push(section(chunk));
  if (view.simulated) blocks.push(context(simulatedLabel));
  return {
    text: fit(
      `egress ${escapeMrkdwn(view.title)}: ${state}${view.resumed ? " (resumed)" : ""}${view.simulated ? " (SIMULATED)" : ""}`,
      slackLimits.fallbackText,
    ),
    blocks,
  };
}

/**
 * The answer as as many messages as Slack's limits need: the header says the verdict (the worst
 * finding) and the context the run's status; then the command's own answer, the paths, the proof
 * set and the findings with their specifics; `next` buttons last. Long parts are split across
 * blocks and messages, never cut.
 */
export function renderSummary(view: AnswerView, buttonKeys: readonly string[]): SlackMessage[] {
  const head: Block[] = [
    { type: "header", text: { type: "plain_text", text: fit(view.headline, slackLimits.headerText) } },
  ];
  const contextLine = [
    `${severityMarks[view.verdict.level] ?? ""} run *${view.runStatus}*`,
    view.about ? escapeMrkdwn(view.about) : null,
    `as of ${view.asOf}`,
    `run \`${view.runId}\``,
    view.simulated ? "*SIMULATED*" : null,
  ]
    .filter(Boolean)
    .join(" · ");
  head.push(context(contextLine));
  if (view.simulated) head.push(context(simulatedLabel));

  const bodyBlocks = view.sections.flatMap((part) => sectionTexts(part, view.runStatus)).map(section);
  const buttons: types.Button[] = view.next.slice(0, slackLimits.actionsElements).flatMap((suggestion, index) => {
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
    `${escapeMrkdwn(view.headline)} (run ${view.runStatus})${view.simulated ? " (SIMULATED)" : ""}`,
    slackLimits.fallbackText,
  );
  return messages.map((blocks, index) => ({ text: index === 0 ? fallback : `${fallback} (continued)`, blocks }));
}
