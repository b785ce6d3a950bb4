import { describe, expect, it } from "@jest/globals";
import { compileExpression, toCelInput } from "../../../src/core/runbooks/expression.js";
import { compileTemplate, renderTemplate, type TemplateProblem } from "../../../src/core/runbooks/template.js";

const compile = (source: string) => {
  const result = compileExpression(source);
  if (!result.ok) throw new Error(result.reason);
  return result.expression;
};

describe("CEL expressions", () => {
  it("find the inputs, steps and outputs they read", () => {
    const expression = compile(
      "inputs.since != '' && steps.pools.outputs.list.exists(p, p.kind == 'none') && steps.cluster.status == 'succeeded' && has(steps.rt.outputs.routes)",
    );
    expect([...expression.references.inputs]).toEqual(["since"]);
    expect(Object.fromEntries([...expression.references.steps].map(([id, outputs]) => [id, [...outputs]]))).toEqual({
      pools: ["list"],
      cluster: [],
      rt: ["routes"],
    });
    expect([...expression.references.roots]).toEqual([]);
  });
  it("report names that are neither inputs nor steps, and steps.x.<other>", () => {
    const expression = compile("foo.bar == 1 || steps.a.result == 2");
    expect([...expression.references.roots]).toEqual(["foo"]);
    expect(expression.references.problems).toEqual(['steps.a.result: a step has "outputs" and "status"']);
  });
  it("evaluate to plain JSON values", () => {
    const result = compile(
      "{'n': size(steps.a.outputs.xs), 'doubled': steps.a.outputs.xs.map(x, x * 2), 'u': 3u}",
    ).evaluate(toCelInput({ steps: { a: { outputs: { xs: [1, 2] } } } }) as Record<string, unknown>);
    expect(result).toEqual({ ok: true, value: { n: 2, doubled: [2, 4], u: 3 } });
  });
  it("report evaluation errors instead of throwing", () => {
    expect(compile("1 / 0").evaluate({})).toEqual({ ok: false, reason: "int divide by zero" });
    expect(compile("inputs.x.y").evaluate({ inputs: {} })).toEqual({ ok: false, reason: "field not found: x" });
  });
  it("cannot reach JavaScript: no eval, no globals, no prototype walking", () => {
    expect(compile("inputs.constructor").evaluate({ inputs: {} }).ok).toBe(false);
    expect(compileExpression("process.exit(1)").ok).toBe(true);
    expect(compile("process.exit(1)").evaluate({}).ok).toBe(false);
    expect(compile("inputs['__proto__']").evaluate({ inputs: {} }).ok).toBe(false);
  });
  it("reports syntax errors with their column", () => {
    expect(compileExpression("a ==== b")).toEqual({ ok: false, reason: "at 1:3: found = but expecting end of input" });
  });
});

describe("templates", () => {
  const bindings = toCelInput({ inputs: { cluster: "aks-prod", top: 5, ratio: 0.5 } }) as Record<string, unknown>;
  const render = (value: unknown) => {
    const problems: TemplateProblem[] = [];
    const template = compileTemplate(value, problems);
    expect(problems).toEqual([]);
    return renderTemplate(template, bindings);
  };
  it("keep the type of a string that is one expression", () => {
    expect(render("${{ inputs.top }}")).toEqual({ ok: true, value: 5 });
  });
  it("do integer and float arithmetic on bound numbers", () => {
    expect(render("${{ inputs.top * 2 + 1 }}")).toEqual({ ok: true, value: 11 });
    expect(render("${{ inputs.ratio * 2.0 }}")).toEqual({ ok: true, value: 1 });
  });
  it("join text and expressions", () => {
    expect(render("cluster ${{ inputs.cluster }} top ${{ inputs.top }}")).toEqual({
      ok: true,
      value: "cluster aks-prod top 5",
    });
  });
  it("walk lists and objects", () => {
    expect(render({ list: ["${{ inputs.cluster }}", 1], nested: { n: "${{ inputs.top + 1 }}" } })).toEqual({
      ok: true,
      value: { list: ["aks-prod", 1], nested: { n: 6 } },
    });
  });
  it("report an unclosed expression and bad syntax with their path", () => {
    const problems: TemplateProblem[] = [];
    compileTemplate({ a: ["${{ inputs.x"], b: "${{ 1 + }}" }, problems);
    expect(problems).toEqual([
      { path: ["a", 0], reason: "an expression opened with ${{ is not closed with }}" },
      { path: ["b"], reason: 'expression "1 +": at 1:3: found + but expecting end of input' },
    ]);
  });
});
