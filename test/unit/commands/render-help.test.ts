import { describe, expect, it } from "@jest/globals";
import { commandDefinitions } from "../../../src/core/commands/command-definitions.js";
import { parseCommand } from "../../../src/core/commands/parse-command.js";
import { formatUsage, renderHelp } from "../../../src/core/commands/render-help.js";

describe("help is rendered from the parser's definitions", () => {
  it("lists every chat command in chat and every command in the terminal", () => {
    const chat = renderHelp("chat");
    const cli = renderHelp("cli");
    for (const definition of commandDefinitions) {
      const usage = formatUsage(definition).replace(/^usage: /, "");
      expect(cli).toContain(usage);
      if (definition.cliOnly) expect(chat).not.toContain(usage);
      else expect(chat).toContain(usage);
    }
  });

  it("explains one command with its arguments and flags", () => {
    const text = renderHelp("chat", "denies");
    expect(text.split("\n")[0]).toBe("denies <cluster> [--since <duration>] [--dest <fqdn|ip>[:port]] [--top <n>]");
    expect(text).toContain("--top      how many destinations to list (1-100, default 20)");
    expect(renderHelp("cli", "denies")).toContain("--fail-on");
  });

  it("uses the same usage line in refusals", () => {
    for (const definition of commandDefinitions.filter(
      (candidate) => !candidate.cliOnly && candidate.positionals.some((arg) => !arg.optional),
    )) {
      const result = parseCommand(definition.words.join(" "));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.usage).toBe(formatUsage(definition));
    }
  });
});
