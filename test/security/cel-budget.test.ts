import { describe, expect, it } from "@jest/globals";
import { compileExpression, expressionLimits, toCelInput } from "../../src/core/runbooks/expression.js";

// Expressions a careless (or hostile) runbook author could write: each must end with a clear
// reason within the time bound instead of holding the server's only thread.
const hundred = `[${Array.from({ length: 100 }, (_, index) => index).join(",")}]`;
const attacks: readonly [string, string, Record<string, unknown>][] = [
  [
    "four nested loops over 100 items (10^8 steps)",
    `${hundred}.all(a, ${hundred}.all(b, ${hundred}.all(c, ${hundred}.all(d, a + b + c + d >= 0))))`,
    {},
  ],
  [
    "nested loops over a bound list",
    "inputs.xs.exists(a, inputs.xs.exists(b, inputs.xs.exists(c, a + b + c < 0)))",
    { inputs: { xs: Array.from({ length: 200 }, (_, index) => index) } },
  ],
  ["allocation: a list of lists of lists", `${hundred}.map(a, ${hundred}.map(b, ${hundred}.map(c, [a, b, c])))`, {}],
  [
    "an absorbed error: the outer || would hide the inner failure",
    `${hundred}.exists(a, ${hundred}.exists(b, ${hundred}.exists(c, false))) || true`,
    {},
  ],
  ["filter inside map inside all", `${hundred}.all(a, ${hundred}.map(b, ${hundred}.filter(c, c > b)).size() > 0)`, {}],
];

describe("CEL expressions are bounded in cost and time", () => {
  it.each(attacks)("%s", (_name, source, bindings) => {
    const compiled = compileExpression(source);
    if (!compiled.ok) throw new Error(compiled.reason);
    const started = performance.now();
    const result = compiled.expression.evaluate(toCelInput(bindings) as Record<string, unknown>);
    const elapsed = performance.now() - started;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/cost limit of 100000 steps|time limit of 100 ms/);
    // Generous ceiling for a busy machine: the point is that 10^8 steps never run.
    expect(elapsed).toBeLessThan(5000);
  });

  it("still evaluates ordinary expressions, including loops under the limit", () => {
    const compiled = compileExpression("inputs.xs.filter(x, x % 2 == 0).size() == 500 && inputs.xs.all(x, x >= 0)");
    if (!compiled.ok) throw new Error(compiled.reason);
    const xs = Array.from({ length: 1000 }, (_, index) => index);
    expect(compiled.expression.evaluate(toCelInput({ inputs: { xs } }) as Record<string, unknown>)).toEqual({
      ok: true,
      value: true,
    });
  });

  it("refuses sources that are too long or nest too deeply before parsing them", () => {
    const long = compileExpression(`"${"a".repeat(expressionLimits.maxSourceLength)}"`);
    expect(long).toEqual({
      ok: false,
      reason: `the expression is longer than ${expressionLimits.maxSourceLength} characters`,
    });
    const deep = compileExpression(`${"(".repeat(500)}1${")".repeat(500)}`);
    expect(deep).toEqual({
      ok: false,
      reason: `the expression nests deeper than ${expressionLimits.maxNesting} levels`,
    });
  });

  it("matches regular expressions in linear time (RE2): a catastrophic pattern answers at once", () => {
    const compiled = compileExpression('inputs.text.matches("(a+)+$")');
    if (!compiled.ok) throw new Error(compiled.reason);
    const started = performance.now();
    expect(compiled.expression.evaluate({ inputs: { text: `${"a".repeat(50_000)}!` } })).toEqual({
      ok: true,
      value: false,
    });
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
