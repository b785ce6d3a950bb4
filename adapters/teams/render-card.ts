import {
  chatTableRows,
  deniesTable,
  describeSources,
  resumedNote,
  snatTable,
  type AnswerView,
  type ProgressView,
  type ViewSection,
} from "../../src/index.js";

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
const verdictColours: Record<string, string> = { ...severityColours, ok: "Good", incomplete: "Warning" };
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
    ...(view.resumed ? [text(`↻ ${resumedNote}`, { size: "Small", isSubtle: true })] : []),
    ...(view.simulated ? [text(simulatedNote, { color: "Warning", size: "Small" })] : []),
    ...view.steps.map((step) => text(`${stepMarks[step.status] ?? "•"} ${plain(step.name)}`, { spacing: "None" })),
  ]);
}

/** Teams refuses a message over about 28 KB; cards are split below this (JSON characters). */
export const cardBudget = 24_000;

// One TextBlock per line: Teams reads TextBlock text as Markdown, where a single line break is a space.
const monospace = (lines: readonly string[]): Record<string, unknown> => ({
  type: "Container",
  spacing: "Small",
  items: lines.map((line) => text(plain(line), { fontType: "Monospace", size: "Small", spacing: "None" })),
});

/** A table as an Adaptive Card 1.5 Table, its first row the header. */
const cardTable = (
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  widths: readonly number[] = [],
): Record<string, unknown> => ({
  type: "Table",
  firstRowAsHeader: true,
  showGridLines: false,
  columns: headers.map((_header, index) => ({ width: widths[index] ?? 1 })),
  rows: [headers, ...rows].map((cells, index) => ({
    type: "TableRow",
    cells: cells.map((cell) => ({
      type: "TableCell",
      items: [text(plain(cell), { size: "Small", ...(index === 0 ? { weight: "Bolder" } : {}) })],
    })),
  })),
});

/** The path picture a card shows: a PNG data URI when small enough, else the signed link to it. */
export interface CardPicture {
  readonly url: string;
  readonly altText: string;
}

/** A section of the view as card elements. */
function sectionElements(part: ViewSection, runStatus: string, picture: CardPicture | null): unknown[] {
  const heading = (value: string, extra: Record<string, unknown> = {}): Record<string, unknown> =>
    text(value, { weight: "Bolder", separator: true, ...extra });
  switch (part.kind) {
    case "notice":
      return [text(plain(part.text), { color: part.level === "ok" ? "Good" : "Attention", weight: "Bolder" })];
    case "problems":
      return [
        heading(`What went wrong (run ${runStatus})`, { color: "Attention" }),
        ...part.items.map((item) => text(`${plain(item.step)}: ${plain(item.message)}`, { spacing: "None" })),
      ];
    case "denies":
      return [
        heading(
          `Denies over ${plain(part.window)}: ${part.total} from ${plain(part.firewalls.join(", ") || "no firewall")}`,
        ),
        ...(part.rows.length === 0 ? [text(plain(part.logs ?? "none"), { spacing: "None" })] : []),
        // Twenty rows per table, so a long table splits across cards between rows.
        ...chunk(deniesTable(part.rows).rows, 20).map((rows) =>
          cardTable(deniesTable([]).headers, rows, [4, 2, 2, 3, 3, 2, 4]),
        ),
        ...(part.more > 0
          ? [text(`… ${part.more} more destination(s): raise --top or narrow --since`, { isSubtle: true })]
          : []),
      ];
    case "table":
      return [
        heading(`${plain(part.title)}: ${plain(part.summary)}`),
        ...chunk(part.table.rows.slice(0, chatTableRows), 20).map((rows) =>
          cardTable(part.table.headers, rows, [4, 3, 2, 3, 2, 3, 5]),
        ),
        ...(part.table.rows.length > chatTableRows
          ? [
              text(
                `… ${part.table.rows.length - chatTableRows} more row(s): the evidence bundle has them all, and egress fleet --output csv writes them as CSV`,
                { isSubtle: true },
              ),
            ]
          : []),
        ...(part.note ? [text(plain(part.note), { isSubtle: true })] : []),
      ];
    case "whois":
      return [
        heading(`Who owns ${plain(part.ip)}`),
        ...(part.owners.length === 0 ? [text("no Azure resource in the searched subscriptions")] : []),
        ...part.owners.map((chain) => text(plain(chain.map((link) => link.label).join(" → ")), { spacing: "None" })),
        ...(part.note ? [text(plain(part.note), { isSubtle: true })] : []),
      ];
    case "allowlist":
      return [
        heading(
          `Allowlist${part.partner ? ` for ${plain(part.partner)}` : ""} (${plain(part.cluster)}, as of ${plain(part.asOf)})${part.stable ? "" : ": not stable, see the grades"}`,
        ),
        monospace(part.block ? part.block.split("\n") : ["(none)"]),
        {
          type: "FactSet",
          facts: part.entries.map((entry) => ({
            title: plain(entry.cidr),
            value: `${plain(entry.grade)}: ${plain(entry.why)} (${plain(entry.from)})`,
          })),
        },
      ];
    case "snat":
      return [
        heading("SNAT per node pool"),
        cardTable(snatTable(part.rows).headers, snatTable(part.rows).rows, [2, 3, 2, 2, 2, 2, 4]),
      ];
    case "paths":
      return [
        heading("Node pools"),
        ...(picture ? [{ type: "Image", url: picture.url, altText: picture.altText, size: "Stretch" }] : []),
        ...part.pools.map((pool) => ({
          type: "Container",
          items: [
            text(
              `${plain(pool.name)}: ${pool.kind}${pool.matchesOutboundType ? "" : " (not the declared outbound type)"}, SNAT by ${plain(pool.snatBy)}, sources ${plain(describeSources(pool.sources))} (${plain(pool.routes)})`,
              { spacing: "None" },
            ),
            text(plain(pool.hops.map((hop) => hop.label).join(" → ")), {
              isSubtle: true,
              size: "Small",
              spacing: "None",
            }),
            ...(pool.pods
              ? [text(`pods: ${plain(pool.pods)}`, { isSubtle: true, size: "Small", spacing: "None" })]
              : []),
          ],
        })),
      ];
    case "proof":
      return [
        heading("Proof set"),
        {
          type: "FactSet",
          facts: part.items.map((item) => ({
            title: `${proofMarks[item.status] ?? "•"} ${item.name}`,
            value: plain(item.summary),
          })),
        },
      ];
    case "findings":
      return [
        heading(part.items.length > 0 ? "Findings" : "Findings: none"),
        ...part.items.map((finding) => ({
          type: "Container",
          items: [
            text(`${finding.severity.toUpperCase()} ${finding.code}: ${plain(finding.title)}`, {
              color: severityColours[finding.severity] ?? "Default",
              weight: "Bolder",
            }),
            ...(finding.detail ? [text(plain(finding.detail), { spacing: "None" })] : []),
            text(`Fix: ${plain(finding.remediation)}`, { spacing: "None", size: "Small" }),
            ...(finding.evidenceIds.length > 0
              ? [text(`evidence ${finding.evidenceIds.join(", ")}`, { spacing: "None", size: "Small", isSubtle: true })]
              : []),
          ],
        })),
      ];
    case "outputs":
      return part.entries.flatMap((entry) => [heading(plain(entry.name)), monospace(entry.text.split("\n"))]);
  }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}

/**
 * The answer as one card, or several when Teams' size limit needs it (split between elements, never
 * cut): the verdict as the title, the run's status beside it, then the same sections as every other
 * view; Action.Execute buttons for `next` steps and the bundle link on the last card.
 */
export function renderSummaryCards(
  view: AnswerView,
  buttonKeys: readonly string[],
  bundleUrl: string | null,
  picture: CardPicture | null = null,
): AdaptiveCard[] {
  const head: unknown[] = [
    text(plain(view.headline), {
      size: "Large",
      weight: "Bolder",
      color: verdictColours[view.verdict.level] ?? "Default",
    }),
    text(`run ${view.runStatus} · as of ${view.asOf} · run ${view.runId}`, {
      isSubtle: true,
      size: "Small",
      spacing: "None",
    }),
  ];
  if (view.about) head.push(text(plain(view.about), { size: "Small", spacing: "None" }));
  if (view.simulated) head.push(text(simulatedNote, { color: "Warning", weight: "Bolder" }));
  const elements = view.sections.flatMap((part) => sectionElements(part, view.runStatus, picture));
  const actions: unknown[] = view.next.flatMap((suggestion, index) => {
    const key = buttonKeys[index];
    return key
      ? [{ type: "Action.Execute", title: suggestion.label.slice(0, 80), verb: nextVerb, data: { egressKey: key } }]
      : [];
  });
  if (bundleUrl) actions.push({ type: "Action.OpenUrl", title: "Evidence bundle (JSON)", url: bundleUrl });
  const bodies: unknown[][] = [head];
  let size = JSON.stringify(head).length;
  for (const element of elements) {
    const weight = JSON.stringify(element).length;
    if (size + weight > cardBudget && (bodies[bodies.length - 1] ?? []).length > 0) {
      bodies.push([text(`${plain(view.title)} (continued)`, { weight: "Bolder", isSubtle: true })]);
      size = 0;
    }
    (bodies[bodies.length - 1] as unknown[]).push(element);
    size += weight;
  }
  return bodies.map((body, index) => card(body, index === bodies.length - 1 ? actions.slice(0, 6) : []));
}
