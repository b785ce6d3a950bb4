const mentionPrefix = /^\s*<@[A-Z0-9]+(?:\|[^>]*)?>\s*/;
const codeBlock = /```([\s\S]*?)```/;
const inlineCode = /`([^`\n]+)`/;

/**
 * The command a message carries, for the message shortcut: the first code block or inline code when
 * the message has one (people quote commands: "run `triage aks-prod` please"), else the whole text;
 * then without a leading mention of the bot and without a leading `egress` or `/egress`.
 */
export function commandFromMessage(text: string): string {
  const code = codeBlock.exec(text)?.[1] ?? inlineCode.exec(text)?.[1];
  return (code ?? text)
    .trim()
    .replace(mentionPrefix, "")
    .replace(/^\/?egress\s+/, "")
    .trim();
}
