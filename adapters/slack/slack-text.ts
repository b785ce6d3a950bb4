/** Slack's limits on the parts of a message we post (docs.slack.dev, Block Kit reference). */
export const slackLimits = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionsElements: 25,
  contextElements: 10,
  fallbackText: 4000,
} as const;

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export const escapeMrkdwn = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Cuts text to `limit` characters, saying so with a visible ellipsis (never silently). */
export const fit = (text: string, limit: number): string =>
  text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;

/**
 * Splits lines into chunks of at most `limit` characters, breaking only between lines, so long
 * evidence becomes several blocks instead of being cut.
 */
export function chunkLines(lines: readonly string[], limit: number): string[] {
  const chunks: string[] = [];
  let current = "";
  for (const raw of lines) {
    const line = fit(raw, limit);
    if (current.length > 0 && current.length + 1 + line.length > limit) {
      chunks.push(current);
      current = "";
    }
    current = current.length > 0 ? `${current}\n${line}` : line;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
