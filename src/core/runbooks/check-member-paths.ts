import { z } from "zod";
import type { Expr } from "./expression.js";

/** What the checker knows of a value: the `steps` map, one step, a schema, or nothing. */
type Known =
  | { readonly kind: "steps" }
  | { readonly kind: "step"; readonly id: string }
  | { readonly kind: "outputs"; readonly schema: z.ZodObject; readonly path: string }
  | { readonly kind: "schema"; readonly schema: z.ZodType; readonly path: string }
  | { readonly kind: "unknown" };

const unknown: Known = { kind: "unknown" };

/** The schema under optional, nullable, default, readonly and preprocess wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (let depth = 0; depth < 10; depth++) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodDefault) current = current.removeDefault() as z.ZodType;
    else if (current instanceof z.ZodReadonly) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.out as z.ZodType;
    else return current;
  }
  return current;
}

/**
 * Field names an expression reads on step outputs whose schema does not have them: `p.egress.knd`
 * inside `steps.egress.outputs.nodePools.map(p, …)` is caught here, at lint time, rather than failing
 * the run. Macro variables take the element schema of the list they range over; anything the schema
 * does not describe (records, unknown values, inputs) is not judged.
 */
export function checkMemberPaths(root: Expr, outputsOf: (stepId: string) => z.ZodObject | undefined): string[] {
  const problems: string[] = [];
  const typeOf = (expr: Expr | undefined, vars: ReadonlyMap<string, Known>): Known => {
    if (!expr) return unknown;
    const kind = expr.exprKind;
    switch (kind.case) {
      case "identExpr":
        return vars.get(kind.value.name) ?? (kind.value.name === "steps" ? { kind: "steps" } : unknown);
      case "selectExpr": {
        const base = typeOf(kind.value.operand, vars);
        const field = kind.value.field;
        if (kind.value.testOnly) return unknown;
        if (base.kind === "steps") return { kind: "step", id: field };
        if (base.kind === "step") {
          const outputs = field === "outputs" ? outputsOf(base.id) : undefined;
          return outputs ? { kind: "outputs", schema: outputs, path: `steps.${base.id}.outputs` } : unknown;
        }
        if (base.kind === "outputs") {
          // Output names themselves are checked with the step's other references.
          const next = (base.schema.shape as Record<string, z.ZodType>)[field];
          return next ? { kind: "schema", schema: next, path: `${base.path}.${field}` } : unknown;
        }
        if (base.kind !== "schema") return unknown;
        const schema = unwrap(base.schema);
        if (schema instanceof z.ZodObject) {
          const shape = schema.shape as Record<string, z.ZodType>;
          const next = shape[field];
          if (next) return { kind: "schema", schema: next, path: `${base.path}.${field}` };
          problems.push(`${base.path} has no field "${field}" (fields: ${Object.keys(shape).join(", ")})`);
          return unknown;
        }
        if (schema instanceof z.ZodArray)
          problems.push(`${base.path} is a list: read "${field}" of its items with .map(x, x.${field}) or [index]`);
        return unknown;
      }
      case "callExpr": {
        const call = kind.value;
        const target = typeOf(call.target, vars);
        const args = call.args.map((arg) => typeOf(arg, vars));
        const list = args[0];
        if (call.function === "_[_]" && list?.kind === "schema") {
          const schema = unwrap(list.schema);
          if (schema instanceof z.ZodArray)
            return { kind: "schema", schema: schema.element as z.ZodType, path: `${list.path}[]` };
        }
        void target;
        return unknown;
      }
      case "listExpr":
        kind.value.elements.forEach((element) => typeOf(element, vars));
        return unknown;
      case "structExpr":
        for (const entry of kind.value.entries) {
          if (entry.keyKind.case === "mapKey") typeOf(entry.keyKind.value, vars);
          typeOf(entry.value, vars);
        }
        return unknown;
      case "comprehensionExpr": {
        const loop = kind.value;
        const range = typeOf(loop.iterRange, vars);
        const rangeSchema = range.kind === "schema" ? unwrap(range.schema) : undefined;
        const element: Known =
          range.kind === "schema" && rangeSchema instanceof z.ZodArray
            ? { kind: "schema", schema: rangeSchema.element as z.ZodType, path: `${range.path}[]` }
            : unknown;
        typeOf(loop.accuInit, vars);
        const inner = new Map(vars);
        inner.set(loop.iterVar, element);
        if (loop.iterVar2) inner.set(loop.iterVar2, unknown);
        inner.set(loop.accuVar, unknown);
        typeOf(loop.loopCondition, inner);
        typeOf(loop.loopStep, inner);
        typeOf(loop.result, inner);
        return unknown;
      }
      default:
        return unknown;
    }
  };
  typeOf(root, new Map());
  return [...new Set(problems)];
}
