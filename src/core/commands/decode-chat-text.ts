/**
 * Turns Slack's escaped message text into what the user typed: `&lt;` `&gt;` `&amp;` are unescaped,
 * links `<https://x|label>` become their label (or URL), user and channel references become `@U123`
 * and `#name`. Smart quotes and the dashes that autocorrect makes of `--` are restored.
 */
export function decodeChatText(text: string): string {
  return text
    .replace(/<([^<>]*)>/g, (_whole, inner: string) => decodeReference(inner))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'")
    .replace(/(^|\s)[\u2013\u2014\u2012\u2015](?=[a-z])/g, "$1--")
    .replace(/\u00A0/g, " ");
}

function decodeReference(inner: string): string {
  const [target = "", label] = inner.split("|", 2);
  if (target.startsWith("@")) return `@${label ?? target.slice(1)}`;
  if (target.startsWith("#")) return `#${label ?? target.slice(1)}`;
  if (target.startsWith("!")) return `@${label ?? target.slice(1).replace(/^subteam\^/, "")}`;
  if (/^(https?|mailto):/i.test(target)) {
    if (label !== undefined) return label;
    return target
      .replace(/^mailto:/i, "")
      .replace(/^https?:\/\//i, "")
      .replace(/\/$/, "");
  }
  return inner;
}
