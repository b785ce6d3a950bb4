import type { ParsedCommand } from "./parse-command.js";

const quote = (text: string): string => (/[\s"']/.test(text) ? `"${text.replace(/"/g, "'")}"` : text);
const scalar = (value: unknown): string =>
  typeof value === "string" || typeof value === "number" ? String(value) : "";

/**
 * A parsed command written back in canonical form (`triage rg/aks --dest api.example:443 --since 1h`):
 * what the audit and button contexts keep, rather than the raw text a user typed.
 */
export function formatCommandLine(command: ParsedCommand): string {
  const { definition } = command;
  const args = command.args as Readonly<Record<string, unknown>>;
  const parts: string[] = [...definition.words];
  for (const positional of definition.positionals) {
    const value = args[positional.name];
    if (value === undefined) continue;
    if (Array.isArray(value)) parts.push(...value.map((item) => quote(scalar(item))));
    else if (typeof value === "object" && value !== null)
      parts.push(...Object.entries(value).map(([key, item]) => quote(`${key}=${scalar(item)}`)));
    else parts.push(quote(scalar(value)));
  }
  for (const flag of definition.flags) {
    const value = args[flag.name];
    if (value === true) parts.push(`--${flag.name}`);
    else if (value !== undefined) parts.push(`--${flag.name}`, quote(scalar(value)));
  }
  return parts.join(" ");
}
