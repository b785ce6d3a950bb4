import { describe, expect, it } from "@jest/globals";
import { formatCommandLine } from "../../../src/core/commands/format-command.js";
import { parseCommand } from "../../../src/core/commands/parse-command.js";

describe("formatCommandLine", () => {
  it.each([
    [
      "Triage  aks-prod --since=2H --dest API.vendor.example:443",
      "triage aks-prod --dest api.vendor.example:443 --since 2h",
    ],
    ["source-ips rg/aks --partner 'Acme Payments'", 'source-ips rg/aks --partner "Acme Payments"'],
    ["run show-cluster cluster=aks-prod", "run show-cluster cluster=aks-prod"],
    ["whois 2001:0db8::0001", "whois 2001:db8::1"],
  ])("%s → %s, which parses back to the same command", (text, canonical) => {
    const parsed = parseCommand(text);
    if (!parsed.ok) throw new Error(parsed.error.reason);
    expect(formatCommandLine(parsed.command)).toBe(canonical);
    const again = parseCommand(canonical);
    expect(again.ok && again.command.args).toEqual(parsed.command.args);
  });
});
