import { decodeHTML } from "entities";

/** The parts of a Teams message activity its command text comes from. */
export interface TeamsTextSource {
  readonly text?: string | null;
  readonly recipient?: { readonly id?: string; readonly name?: string } | null;
  readonly entities?: readonly unknown[] | null;
}

interface MentionEntity {
  readonly type?: string;
  readonly text?: string;
  readonly mentioned?: { readonly id?: string; readonly name?: string };
}

const atTag = /<at\b[^>]*>([\s\S]*?)<\/at>/gi;
// Markup Teams wraps a message in when it is sent as HTML (`textFormat: "xml"`, channel posts).
const blockTags = /<\/?(?:p|div|span|br)\b[^>]*>/gi;

/**
 * The command a Teams message carries, normalised once: the bot's own mention removed by the bot's
 * id (by the entity's `text` when it has one, else by the `<at>` tag that names the bot), markup
 * tags dropped, HTML entities decoded (`&nbsp;`, `&amp;`, `&quot;`, `&#39;`, …), non-breaking
 * spaces and CRLF made plain, and the ends trimmed. Mentions of other people stay, as typed.
 */
export function commandTextOf(activity: TeamsTextSource): string {
  let text = activity.text ?? "";
  const botId = activity.recipient?.id;
  const mentions = (activity.entities ?? []).filter(
    (entity): entity is MentionEntity =>
      typeof entity === "object" &&
      entity !== null &&
      (entity as MentionEntity).type === "mention" &&
      botId !== undefined &&
      (entity as MentionEntity).mentioned?.id === botId,
  );
  for (const mention of mentions) {
    if (mention.text) {
      text = text.split(mention.text).join(" ");
      continue;
    }
    // A group chat's mention entity may carry no `text`: remove the `<at>` tag that names the bot.
    const names = [mention.mentioned?.name, activity.recipient?.name].filter(
      (name): name is string => typeof name === "string" && name.length > 0,
    );
    let removed = false;
    text = text.replace(atTag, (tag, inner: string) => {
      const named = names.some((name) => decodeHTML(inner).trim() === name);
      if (removed || (names.length > 0 && !named)) return tag;
      removed = true;
      return " ";
    });
  }
  return decodeHTML(text.replace(blockTags, " "))
    .replace(/\u00a0/g, " ")
    .replace(/\r\n?/g, "\n")
    .trim();
}
