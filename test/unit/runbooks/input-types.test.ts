import { describe, expect, it } from "@jest/globals";
import { coerceInput, validateInputs } from "../../../src/core/runbooks/input-types.js";
import type { InputDefinition } from "../../../src/core/runbooks/runbook.js";

const input = (type: InputDefinition["type"], extra: Partial<InputDefinition> = {}): InputDefinition => ({
  name: "x",
  type,
  required: false,
  ...extra,
});

describe("input types", () => {
  it.each([
    [input("cluster"), "rg/aks-prod", "rg/aks-prod"],
    [input("string"), "  hello ", "hello"],
    [input("int"), "42", 42],
    [input("int"), 7, 7],
    [input("bool"), "yes", true],
    [input("bool"), false, false],
    [input("duration"), "90M", "90m"],
    [input("ip"), "2001:DB8::1", "2001:db8::1"],
    [input("destination"), "API.vendor.example:443", "api.vendor.example:443"],
  ])("%o accepts %p", (definition, raw, expected) => {
    expect(coerceInput(definition, raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    [input("cluster"), "a/b/c/d", "a cluster is a name"],
    [input("int"), "4.5", "expected a whole number"],
    [input("int", { min: 1, max: 10 }), "11", "at most 10"],
    [input("int", { min: 1, max: 10 }), "0", "at least 1"],
    [input("bool"), "maybe", "expected true or false"],
    [input("duration", { max: "30d" }), "31d", "at most 30d"],
    [input("ip"), "300.1.1.1", "an IP address looks like"],
    [input("destination"), "no spaces.example", "a destination is a host name"],
    [input("string"), "x".repeat(501), "at most 500 characters"],
    [input("string"), { object: true }, "expected a single value"],
  ])("%o refuses %p", (definition, raw, reason) => {
    const result = coerceInput(definition, raw);
    expect(result.ok ? "" : result.reason).toContain(reason);
  });

  it("validates a whole set of inputs, applying defaults and naming every problem", () => {
    const definitions: InputDefinition[] = [
      { name: "cluster", type: "cluster", required: true },
      { name: "since", type: "duration", required: false, default: "1h" },
      { name: "top", type: "int", required: false, max: 100 },
    ];
    expect(validateInputs(definitions, { cluster: "aks-prod" })).toEqual({
      ok: true,
      values: { cluster: "aks-prod", since: "1h" },
    });
    expect(validateInputs(definitions, { top: "x", colour: "red" })).toEqual({
      ok: false,
      problems: [
        { input: "colour", reason: "is not an input of this runbook (inputs: cluster, since, top)" },
        { input: "cluster", reason: "is required" },
        { input: "top", reason: "expected a whole number" },
      ],
    });
  });
});
