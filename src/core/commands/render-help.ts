import {
  cliGlobalFlags,
  commandDefinitions,
  placeholders,
  type ArgDefinition,
  type CommandDefinition,
  type CommandId,
  type Surface,
} from "./command-definitions.js";

function formatArg(arg: ArgDefinition): string {
  if (arg.kind === "keyValue" || arg.kind === "paths") return placeholders[arg.kind];
  const shown =
    arg.kind === "cluster" || arg.kind === "ip" || arg.kind === "runbook" ? placeholders[arg.kind] : `<${arg.name}>`;
  return arg.optional ? `[${shown}]` : shown;
}

function formatFlag(flag: ArgDefinition): string {
  const value = flag.kind === "choice" ? (flag.choices ?? []).join("|") : placeholders[flag.kind];
  const text = flag.kind === "switch" ? `--${flag.name}` : `--${flag.name} ${value}`;
  return flag.required ? text : `[${text}]`;
}

/** The usage line of one command, e.g. `usage: triage <cluster> [--dest <fqdn|ip>[:port]] [--since <duration>]`. */
export function formatUsage(definition: CommandDefinition): string {
  const parts = [...definition.words, ...definition.positionals.map(formatArg), ...definition.flags.map(formatFlag)];
  return `usage: ${parts.join(" ")}`;
}

/** One line naming every command, for errors about unknown commands. */
export function formatCommandList(surface: Surface = "chat"): string {
  const names = commandDefinitions
    .filter((definition) => surface === "cli" || !definition.cliOnly)
    .map((definition) => definition.words.join(" "));
  return `commands: ${names.join(", ")} (try: help <command>)`;
}

/** The text of `help` or `help <command>`, rendered from the same definitions the parser uses. */
export function renderHelp(surface: Surface, commandId?: CommandId): string {
  if (commandId) {
    const definition = commandDefinitions.find((candidate) => candidate.id === commandId);
    if (!definition) return formatCommandList(surface);
    const lines = [formatUsage(definition).replace(/^usage: /, ""), "", definition.summary];
    const details = [...definition.positionals, ...definition.flags];
    if (surface === "cli") details.push(...cliGlobalFlags);
    if (details.length > 0) lines.push("");
    const labels = details.map((arg) =>
      definition.flags.includes(arg) || cliGlobalFlags.includes(arg) ? `--${arg.name}` : formatArg(arg),
    );
    const width = Math.max(...labels.map((label) => label.length));
    details.forEach((arg, index) => lines.push(`  ${(labels[index] ?? "").padEnd(width)}  ${arg.summary}`));
    if (definition.cliOnly) lines.push("", "Terminal only.");
    return lines.join("\n");
  }
  const visible = commandDefinitions.filter((definition) => surface === "cli" || !definition.cliOnly);
  const lines = visible.flatMap((definition) => [
    `  ${formatUsage(definition).replace(/^usage: /, "")}`,
    `      ${definition.summary}`,
  ]);
  const head =
    surface === "cli"
      ? "egress <command> [--output text|json|markdown|csv] [--world <file|demo>] [--fail-on error|warning]"
      : "/egress <command>";
  return [
    head,
    "",
    "Commands:",
    ...lines,
    "",
    "<cluster> is a name, rg/name, subscription/rg/name, ARM ID or alias. Durations look like 15m, 1h, 7d.",
  ].join("\n");
}
