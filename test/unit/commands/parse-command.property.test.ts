import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { commandDefinitions } from "../../../src/core/commands/command-definitions.js";
import { parseCommand, parseTokens } from "../../../src/core/commands/parse-command.js";

const slackFragments = fc.constantFrom(
  "&lt;",
  "&gt;",
  "&amp;",
  "<@U123>",
  "<@U123|bob>",
  "<#C42|inc-1>",
  "<!here>",
  "<!subteam^S1|@oncall>",
  "<https://x.example|x>",
  "<mailto:a@b.example|a>",
  "\u201C",
  "\u2019",
  "\u2014since",
  "'",
  '"',
  "--",
  "=",
  "\u0000",
  "\n",
  "\u202E",
);
const words = fc.constantFrom(
  ...commandDefinitions.flatMap((definition) => definition.words),
  "--dest",
  "--since",
  "--top",
  "--partner",
  "--output",
  "aks-prod",
  "1h",
  "203.0.113.7",
);
const messy = fc
  .array(fc.oneof(fc.string({ unit: "binary" }), slackFragments, words), { maxLength: 30 })
  .map((parts) => parts.join(" "));

describe("parseCommand never throws", () => {
  it("on arbitrary unicode, quotes, Slack escapes and grammar words, in chat and CLI", () => {
    fc.assert(
      fc.property(messy, fc.constantFrom("chat" as const, "cli" as const), (text, surface) => {
        const result = parseCommand(text, { surface });
        if (result.ok) expect(result.command.id).toBeDefined();
        else {
          expect(result.error.reason.length).toBeGreaterThan(0);
          expect(result.error.reason).not.toMatch(/[\n\r]/);
          expect(result.error.reason).not.toContain(String.fromCharCode(0));
          expect(result.error.usage.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("on very long text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1000, maxLength: 5000 }), (text) => {
        expect(() => parseCommand(`show cluster ${text}`)).not.toThrow();
      }),
      { numRuns: 100 },
    );
  });

  it("on arbitrary argv arrays", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), words), { maxLength: 80 }), (argv) => {
        expect(() => parseTokens(argv, { surface: "cli" })).not.toThrow();
      }),
    );
  });
});

describe("parseCommand accepts what it should", () => {
  const clusterName = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,30}$/);
  it("any valid cluster name with any valid duration", () => {
    fc.assert(
      fc.property(clusterName, fc.integer({ min: 1, max: 720 }), (name, hours) => {
        const result = parseCommand(`triage ${name} --since ${hours}h`);
        expect(result.ok && result.command.args).toEqual({ cluster: name, since: `${hours}h` });
      }),
    );
  });

  it("any IPv4 address for whois, in canonical form", () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        const result = parseCommand(`whois ${ip}`);
        expect(result.ok && result.command.id === "whois" && result.command.args.ip).toBe(
          ip.split(".").map(Number).join("."),
        );
      }),
    );
  });
});
