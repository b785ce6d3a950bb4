import { compileExpression, type CompiledExpression } from "./expression.js";

/**
 * A value from YAML in which strings may embed `${{ expression }}`. A string that is exactly one
 * expression yields the expression's typed value; otherwise the parts are joined as text.
 */
export type CompiledTemplate =
  | { readonly kind: "literal"; readonly value: unknown }
  | { readonly kind: "expression"; readonly expression: CompiledExpression }
  | { readonly kind: "text"; readonly parts: readonly (string | CompiledExpression)[] }
  | { readonly kind: "list"; readonly items: readonly CompiledTemplate[] }
  | { readonly kind: "object"; readonly entries: readonly (readonly [string, CompiledTemplate])[] };

/** A template problem with the path (inside the value) where it occurred. */
export interface TemplateProblem {
  readonly path: readonly (string | number)[];
  readonly reason: string;
}

const placeholder = /\$\{\{([\s\S]*?)\}\}/g;

/** Compiles every `${{ }}` inside a YAML value, collecting every problem rather than stopping at the first. */
export function compileTemplate(
  value: unknown,
  problems: TemplateProblem[],
  path: (string | number)[] = [],
): CompiledTemplate {
  if (typeof value === "string") return compileString(value, problems, path);
  if (Array.isArray(value))
    return {
      kind: "list",
      items: value.map((item: unknown, index) => compileTemplate(item, problems, [...path, index])),
    };
  if (value !== null && typeof value === "object") {
    return {
      kind: "object",
      entries: Object.entries(value).map(
        ([key, item]) => [key, compileTemplate(item, problems, [...path, key])] as const,
      ),
    };
  }
  return { kind: "literal", value };
}

function compileString(text: string, problems: TemplateProblem[], path: (string | number)[]): CompiledTemplate {
  const matches = [...text.matchAll(placeholder)];
  if (matches.length === 0) {
    if (text.includes("${{")) problems.push({ path, reason: "an expression opened with ${{ is not closed with }}" });
    return { kind: "literal", value: text };
  }
  const parts: (string | CompiledExpression)[] = [];
  let last = 0;
  for (const match of matches) {
    const start = match.index;
    if (start > last) parts.push(text.slice(last, start));
    const compiled = compileExpression((match[1] ?? "").trim());
    if (compiled.ok) parts.push(compiled.expression);
    else problems.push({ path, reason: `expression ${JSON.stringify((match[1] ?? "").trim())}: ${compiled.reason}` });
    last = start + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  const only = parts[0];
  if (parts.length === 1 && only !== undefined && typeof only !== "string")
    return { kind: "expression", expression: only };
  return { kind: "text", parts };
}

/** Every expression inside a compiled template, for static reference checks. */
export function templateExpressions(template: CompiledTemplate): CompiledExpression[] {
  switch (template.kind) {
    case "literal":
      return [];
    case "expression":
      return [template.expression];
    case "text":
      return template.parts.filter((part): part is CompiledExpression => typeof part !== "string");
    case "list":
      return template.items.flatMap(templateExpressions);
    case "object":
      return template.entries.flatMap(([, item]) => templateExpressions(item));
  }
}

/** Result of rendering a template: the value, or the first expression that failed. */
export type RenderResult = { ok: true; value: unknown } | { ok: false; reason: string };

/** Evaluates a compiled template against bindings. */
export function renderTemplate(template: CompiledTemplate, bindings: Readonly<Record<string, unknown>>): RenderResult {
  switch (template.kind) {
    case "literal":
      return { ok: true, value: template.value };
    case "expression": {
      const result = template.expression.evaluate(bindings);
      return result.ok ? result : { ok: false, reason: `${template.expression.source}: ${result.reason}` };
    }
    case "text": {
      let text = "";
      for (const part of template.parts) {
        if (typeof part === "string") {
          text += part;
          continue;
        }
        const result = part.evaluate(bindings);
        if (!result.ok) return { ok: false, reason: `${part.source}: ${result.reason}` };
        text += typeof result.value === "string" ? result.value : JSON.stringify(result.value);
      }
      return { ok: true, value: text };
    }
    case "list": {
      const items: unknown[] = [];
      for (const item of template.items) {
        const result = renderTemplate(item, bindings);
        if (!result.ok) return result;
        items.push(result.value);
      }
      return { ok: true, value: items };
    }
    case "object": {
      const object: Record<string, unknown> = {};
      for (const [key, item] of template.entries) {
        const result = renderTemplate(item, bindings);
        if (!result.ok) return result;
        object[key] = result.value;
      }
      return { ok: true, value: object };
    }
  }
}
