import { parseResourceId } from "../azure/resource-id.js";
import {
  cliGlobalFlags,
  commandDefinitions,
  type ArgDefinition,
  type CommandArgsById,
  type CommandDefinition,
  type CommandId,
  type Surface,
} from "./command-definitions.js";
import { decodeChatText } from "./decode-chat-text.js";
import { formatUsage, formatCommandList } from "./render-help.js";
import { tokenize } from "./tokenize.js";
import {
  checkClusterText,
  checkDestinationText,
  checkDurationText,
  checkInteger,
  checkIp,
  type ValueCheck,
} from "./value-syntax.js";

/** A parsed argument value: canonical text, a number, a list of paths, or key=value inputs. */
export type ArgValue = string | number | boolean | readonly string[] | Readonly<Record<string, string>>;

/** Options only the terminal has. */
export interface CliOptions {
  readonly output?: "text" | "json" | "markdown" | "csv";
  readonly world?: string;
  readonly failOn?: "error" | "warning";
}

/** A command that passed the grammar: its id and normalised arguments, typed by id. */
export type ParsedCommand = {
  [Id in CommandId]: {
    readonly id: Id;
    readonly definition: CommandDefinition;
    readonly args: Readonly<CommandArgsById[Id]>;
    readonly cliOptions: CliOptions;
  };
}[CommandId];

/** Why a command line was refused: one line, plus the usage line of the command meant. */
export interface CommandError {
  readonly reason: string;
  readonly usage: string;
  readonly commandId?: CommandId;
}

/** The result of {@link parseCommand}. */
export type ParseResult = { ok: true; command: ParsedCommand } | { ok: false; error: CommandError };

/** Options for {@link parseCommand}. */
export interface ParseOptions {
  /** `chat` refuses CLI-only commands and flags. @default "chat" */
  surface?: Surface;
}

/** Longest command line accepted, in characters. */
export const maxCommandLength = 2000;
const maxTokens = 64;
const partnerName = /^[\p{L}\p{N}][\p{L}\p{N} ._&'-]{0,63}$/u;
const runbookName = /^[a-z0-9][a-z0-9-]{0,63}$/;
const subscriptionId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const inputKey = /^[a-zA-Z][a-zA-Z0-9_]{0,63}$/;

/** Shows a piece of user text inside a one-line reason: no control characters, at most 40 characters. */
export function quoteUserText(text: string): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, " ");
  return `"${clean.length > 40 ? `${clean.slice(0, 39)}…` : clean}"`;
}

const fail = (reason: string, definition?: CommandDefinition): ParseResult => ({
  ok: false,
  error: definition
    ? { reason, usage: formatUsage(definition), commandId: definition.id }
    : { reason, usage: formatCommandList() },
});

/** Finds the command whose words start the token list (longest match, case-insensitive). */
export function matchCommand(tokens: readonly string[], surface: Surface): CommandDefinition | undefined {
  let best: CommandDefinition | undefined;
  for (const definition of commandDefinitions) {
    if (surface === "chat" && definition.cliOnly) continue;
    const matches = definition.words.every((word, index) => tokens[index]?.toLowerCase() === word);
    if (matches && (!best || definition.words.length > best.words.length)) best = definition;
  }
  return best;
}

function checkValue(arg: ArgDefinition, text: string): ValueCheck<ArgValue> {
  switch (arg.kind) {
    case "cluster":
      return checkClusterText(text);
    case "duration":
      return checkDurationText(text, arg.maxInMs, arg.maxText);
    case "destination":
      return checkDestinationText(text);
    case "ip":
      return checkIp(text);
    case "count":
      return checkInteger(text, arg.min ?? 0, arg.max ?? Number.MAX_SAFE_INTEGER);
    case "name":
      return partnerName.test(text)
        ? { ok: true, value: text }
        : { ok: false, reason: "a name has up to 64 letters, digits, spaces or . _ & ' -" };
    case "runbook":
      return runbookName.test(text)
        ? { ok: true, value: text }
        : { ok: false, reason: "a runbook name has lower-case letters, digits and '-'" };
    case "choice": {
      // Case-insensitive, answered in the canonical spelling (`loadbalancer` is `loadBalancer`).
      const choice = arg.choices?.find((candidate) => candidate.toLowerCase() === text.toLowerCase());
      return choice !== undefined
        ? { ok: true, value: choice }
        : { ok: false, reason: `expected one of ${(arg.choices ?? []).join(", ")}` };
    }
    case "switch":
      return { ok: true, value: true };
    case "resourceId":
      return parseResourceId(text) && text.length <= 1024
        ? { ok: true, value: text }
        : { ok: false, reason: "an ARM resource ID looks like /subscriptions/<id>/resourceGroups/<rg>/providers/…" };
    case "subscription":
      return subscriptionId.test(text)
        ? { ok: true, value: text.toLowerCase() }
        : { ok: false, reason: "a subscription ID is a GUID" };
    case "path":
    case "paths":
    case "command":
    case "keyValue":
      return text.length > 0 ? { ok: true, value: text } : { ok: false, reason: "a value is required" };
  }
}

function parseKeyValues(
  tokens: readonly string[],
  definition: CommandDefinition,
): ParseResult | Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const token of tokens) {
    const equals = token.indexOf("=");
    const key = equals === -1 ? token : token.slice(0, equals);
    if (equals === -1 || !inputKey.test(key))
      return fail(`expected key=value, got ${quoteUserText(token)}`, definition);
    if (Object.hasOwn(inputs, key)) return fail(`input "${key}" is given twice`, definition);
    inputs[key] = token.slice(equals + 1);
  }
  return inputs;
}

/**
 * Parses a command line of the grammar (chat text or CLI words) into a typed command, or a one-line
 * reason with the usage line. Never throws, whatever the input.
 */
export function parseCommand(text: string, options: ParseOptions = {}): ParseResult {
  const surface = options.surface ?? "chat";
  if (text.length > maxCommandLength)
    return fail(`the command is too long (${text.length} characters; at most ${maxCommandLength})`);
  const split = tokenize(surface === "chat" ? decodeChatText(text) : text);
  if (!split.ok) return fail(split.reason);
  return parseTokens(split.tokens, options);
}

/** Parses a command already split into words (the CLI's argv). Never throws. */
export function parseTokens(words: readonly string[], options: ParseOptions = {}): ParseResult {
  const surface = options.surface ?? "chat";
  const tokens = [...words];
  if (tokens.join(" ").length > maxCommandLength)
    return fail(`the command is too long (at most ${maxCommandLength} characters)`);
  if (tokens.length > maxTokens) return fail(`too many words (${tokens.length}; at most ${maxTokens})`);
  if (tokens.length === 0) tokens.push("help");

  const definition = matchCommand(tokens, surface);
  if (!definition) {
    const cliOnly = matchCommand(tokens, "cli");
    if (cliOnly)
      return fail(
        `"${cliOnly.words.join(" ")}" works only in the terminal (egress ${cliOnly.words.join(" ")})`,
        cliOnly,
      );
    return fail(`unknown command ${quoteUserText(tokens.slice(0, 2).join(" "))}`);
  }
  return parseArguments(definition, tokens.slice(definition.words.length), surface);
}

function parseArguments(definition: CommandDefinition, rest: readonly string[], surface: Surface): ParseResult {
  const flagDefinitions = surface === "cli" ? [...definition.flags, ...cliGlobalFlags] : definition.flags;
  const args: Record<string, ArgValue> = {};
  const cliOptions: Record<string, string> = {};
  const positionals: string[] = [];
  for (let index = 0; index < rest.length; index++) {
    const token = rest[index] ?? "";
    if (!token.startsWith("--") || token === "--") {
      positionals.push(token);
      continue;
    }
    const equals = token.indexOf("=");
    const name = (equals === -1 ? token.slice(2) : token.slice(2, equals)).toLowerCase();
    const flag = flagDefinitions.find((candidate) => candidate.name === name);
    if (!flag) {
      const cliOnly = surface === "chat" && cliGlobalFlags.some((candidate) => candidate.name === name);
      return fail(
        cliOnly ? `--${name} works only in the terminal` : `unknown option ${quoteUserText(`--${name}`)}`,
        definition,
      );
    }
    const isGlobal = cliGlobalFlags.includes(flag);
    if (flag.kind === "switch") {
      // A switch takes no value: it is on when written.
      if (equals !== -1) return fail(`--${name} takes no value`, definition);
      if (Object.hasOwn(args, name)) return fail(`--${name} is given twice`, definition);
      args[name] = true;
      continue;
    }
    const value = equals === -1 ? rest[++index] : token.slice(equals + 1);
    if (value === undefined || (equals === -1 && value.startsWith("--")))
      return fail(`--${name} needs a value`, definition);
    if (Object.hasOwn(isGlobal ? cliOptions : args, isGlobal ? camel(name) : name))
      return fail(`--${name} is given twice`, definition);
    const checked = checkValue(flag, value);
    if (!checked.ok) return fail(`--${name} ${quoteUserText(value)}: ${checked.reason}`, definition);
    if (isGlobal) cliOptions[camel(name)] = value;
    else args[name] = checked.value;
  }
  for (const flag of definition.flags) {
    if (flag.required && !Object.hasOwn(args, flag.name)) return fail(`--${flag.name} is required`, definition);
  }
  const positionalResult = assignPositionals(definition, positionals, args);
  if (positionalResult) return positionalResult;
  // The definitions table and CommandArgsById describe the same arguments; this is the one place they meet.
  const command = { id: definition.id, definition, args, cliOptions: cliOptions as CliOptions };
  return { ok: true, command: command as unknown as ParsedCommand };
}

/** A dashed flag name as a key (`outbound-type` → `outboundType`): CLI options and runbook inputs alike. */
export function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

/** Assigns positionals in order; the last may take the rest (`help`, `run`, `runbook lint`). Returns a failure or undefined. */
function assignPositionals(
  definition: CommandDefinition,
  positionals: readonly string[],
  args: Record<string, ArgValue>,
): ParseResult | undefined {
  const list = definition.positionals;
  for (let index = 0; index < list.length; index++) {
    const arg = list[index] as ArgDefinition;
    if (arg.kind === "keyValue" || arg.kind === "paths" || arg.kind === "command") {
      const remaining = positionals.slice(index);
      if (arg.kind === "keyValue") {
        const inputs = parseKeyValues(remaining, definition);
        if ("ok" in inputs) return inputs as ParseResult;
        args[arg.name] = inputs;
      } else if (arg.kind === "paths") {
        args[arg.name] = remaining;
      } else if (remaining.length > 0) {
        const named = matchCommand(remaining, "cli");
        if (!named || named.words.length !== remaining.length)
          return fail(`no command is named ${quoteUserText(remaining.join(" "))}`, definition);
        args[arg.name] = named.id;
      }
      return undefined;
    }
    const text = positionals[index];
    if (text === undefined) {
      if (arg.optional) continue;
      return fail(`missing ${formatPlaceholder(arg)}`, definition);
    }
    const checked = checkValue(arg, text);
    if (!checked.ok) return fail(`${quoteUserText(text)} is not a valid ${arg.name}: ${checked.reason}`, definition);
    args[arg.name] = checked.value;
  }
  if (positionals.length > list.length)
    return fail(`unexpected ${quoteUserText(positionals[list.length] ?? "")}`, definition);
  return undefined;
}

function formatPlaceholder(arg: ArgDefinition): string {
  return `<${arg.name}>`;
}
