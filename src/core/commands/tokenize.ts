/** Tokens of a command line, or the reason it could not be split. */
export type Tokens = { ok: true; tokens: string[] } | { ok: false; reason: string };

/**
 * Splits a command line on white space, honouring single and double quotes. No escapes are
 * interpreted: chat users type paths and hostnames, not shell.
 */
export function tokenize(text: string): Tokens {
  const tokens: string[] = [];
  let current = "";
  let inToken = false;
  let quote: '"' | "'" | null = null;
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = null;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inToken = true;
    } else if (/\s/u.test(char)) {
      if (inToken) tokens.push(current);
      current = "";
      inToken = false;
    } else {
      current += char;
      inToken = true;
    }
  }
  if (quote) return { ok: false, reason: `a ${quote === '"' ? "double" : "single"} quote is not closed` };
  if (inToken) tokens.push(current);
  return { ok: true, tokens };
}
