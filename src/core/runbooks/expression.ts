import {
  celEnv,
  celFunc,
  CelScalar,
  isCelError,
  isCelList,
  isCelMap,
  isCelUint,
  parse,
  plan,
  type CelValue,
} from "@bufbuild/cel";

/** A parsed CEL expression. */
export type Expr = ReturnType<typeof parse>["expr"];

/** What an expression reads: inputs, step outputs and statuses, and any name it does not know. */
export interface ExpressionReferences {
  /** Input names read as `inputs.<name>`. */
  readonly inputs: ReadonlySet<string>;
  /** Step ids read as `steps.<id>…`, with the output names read as `steps.<id>.outputs.<name>`. */
  readonly steps: ReadonlyMap<string, ReadonlySet<string>>;
  /** Problems such as `steps.x.result` (neither `outputs` nor `status`). */
  readonly problems: readonly string[];
  /** Root names other than `inputs` and `steps` (`item`, `run`, or unknown). */
  readonly roots: ReadonlySet<string>;
}

/** A parsed, planned CEL expression with what it reads. Evaluation never throws. */
export interface CompiledExpression {
  readonly source: string;
  readonly references: ExpressionReferences;
  /** The parsed expression, for checks that follow its member paths against output schemas. */
  readonly ast: Expr;
  /** Evaluates over bindings whose values went through {@link toCelInput}. */
  evaluate(bindings: Readonly<Record<string, unknown>>): EvaluationResult;
}

/** The value of an expression as plain JSON, or the reason evaluation failed. */
export type EvaluationResult = { ok: true; value: unknown } | { ok: false; reason: string };

/** Compilation outcome: an expression, or the parser's message. */
export type CompileResult = { ok: true; expression: CompiledExpression } | { ok: false; reason: string };

/**
 * What one expression may cost. CEL has no unbounded loops, but nested macros over lists multiply
 * (four nested `all` over 100 items is 10^8 steps), and evaluation runs on the server's only thread.
 * Every macro iteration is one step; the time bound is checked with the steps, so it holds inside
 * any loop. The parser recurses, so deep nesting is refused before parsing.
 */
export const expressionLimits = {
  /** Characters of source. */
  maxSourceLength: 4096,
  /** Brackets and parentheses open at once. */
  maxNesting: 32,
  /** Macro iterations (`all`, `exists`, `map`, `filter`, …) per evaluation, nested ones included. */
  maxSteps: 100_000,
  /** Milliseconds per evaluation. */
  maxMillis: 100,
} as const;

/** The budget of the evaluation in progress (evaluation is synchronous, so there is one at a time). */
interface Meter {
  steps: number;
  readonly startedAt: number;
  exceeded: string | null;
}
let meter: Meter | null = null;

// A watchdog, not a source of results: it only ever turns a runaway evaluation into an error.
const elapsedMillis = (): number => performance.now();

/** Charged once per macro iteration; past the budget it fails every further iteration at once. */
const budgetFunction = "egress_budget";
const chargeStep = celFunc(budgetFunction, [CelScalar.BOOL], CelScalar.BOOL, (condition: boolean) => {
  if (!meter) return condition;
  meter.steps += 1;
  if (meter.exceeded === null && meter.steps > expressionLimits.maxSteps)
    meter.exceeded = `the expression exceeded its cost limit of ${expressionLimits.maxSteps} steps`;
  if (
    meter.exceeded === null &&
    meter.steps % 256 === 0 &&
    elapsedMillis() - meter.startedAt > expressionLimits.maxMillis
  )
    meter.exceeded = `the expression ran longer than its time limit of ${expressionLimits.maxMillis} ms`;
  if (meter.exceeded !== null) throw new Error(meter.exceeded);
  return condition;
});

const environment = celEnv({ funcs: [chargeStep] });

/** The deepest bracket nesting of a source text (strings included: a bound, not a parse). */
function nestingOf(source: string): number {
  let depth = 0;
  let deepest = 0;
  for (const char of source) {
    if (char === "(" || char === "[" || char === "{") deepest = Math.max(deepest, ++depth);
    else if (char === ")" || char === "]" || char === "}") depth = Math.max(0, depth - 1);
  }
  return deepest;
}

/** Parses a CEL expression once; the plan is reused for every evaluation. */
export function compileExpression(source: string): CompileResult {
  if (source.length > expressionLimits.maxSourceLength)
    return { ok: false, reason: `the expression is longer than ${expressionLimits.maxSourceLength} characters` };
  if (nestingOf(source) > expressionLimits.maxNesting)
    return { ok: false, reason: `the expression nests deeper than ${expressionLimits.maxNesting} levels` };
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: message.replace(/^<input>:/, "at ") };
  }
  const references = collectReferences(parsed.expr);
  chargeMacroIterations(parsed.expr);
  const run = plan(environment, parsed);
  return {
    ok: true,
    expression: {
      source,
      references,
      ast: parsed.expr,
      evaluate(bindings) {
        const outer = meter;
        meter = { steps: 0, startedAt: elapsedMillis(), exceeded: null };
        try {
          const result = run(bindings as Parameters<typeof run>[0]);
          // A logical operator can absorb the error a step raised; the budget still decides.
          if (meter.exceeded !== null) return { ok: false, reason: meter.exceeded };
          if (isCelError(result)) return { ok: false, reason: result.message };
          return { ok: true, value: toPlain(result) };
        } catch (error) {
          return { ok: false, reason: meter.exceeded ?? (error instanceof Error ? error.message : String(error)) };
        } finally {
          meter = outer;
        }
      },
    },
  };
}

/**
 * Rewrites every macro loop so that its loop condition first passes through {@link chargeStep}:
 * `cond` becomes `egress_budget(cond)`, which costs one step per iteration of any loop at any depth.
 */
function chargeMacroIterations(root: Expr): void {
  let nextId = 1n << 40n;
  const visit = (expr: Expr | undefined): void => {
    if (!expr) return;
    const kind = expr.exprKind;
    switch (kind.case) {
      case "selectExpr":
        visit(kind.value.operand);
        break;
      case "callExpr":
        visit(kind.value.target);
        kind.value.args.forEach(visit);
        break;
      case "listExpr":
        kind.value.elements.forEach(visit);
        break;
      case "structExpr":
        for (const entry of kind.value.entries) {
          if (entry.keyKind.case === "mapKey") visit(entry.keyKind.value);
          visit(entry.value);
        }
        break;
      case "comprehensionExpr": {
        const loop = kind.value;
        [loop.iterRange, loop.accuInit, loop.loopCondition, loop.loopStep, loop.result].forEach(visit);
        const condition = loop.loopCondition;
        if (!condition) break;
        loop.loopCondition = {
          ...condition,
          id: nextId++,
          exprKind: {
            case: "callExpr",
            value: { $typeName: "cel.expr.Expr.Call", function: budgetFunction, args: [condition] },
          },
        };
        break;
      }
      default:
        break;
    }
  };
  visit(root);
}

/**
 * Prepares a JSON value for binding: whole numbers become CEL ints, so `inputs.top + 1` and
 * `size(xs) == count` work as authors expect (JS numbers would otherwise bind as doubles). Convert
 * each value once, when it enters the bindings.
 */
export function toCelInput(value: unknown): unknown {
  if (typeof value === "number") return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCelInput);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, toCelInput(entry)]));
  }
  return value;
}

/** Converts a CEL value to plain JSON: ints to numbers, lists to arrays, maps to objects. */
export function toPlain(value: CelValue): unknown {
  if (typeof value === "bigint") return Number(value);
  if (isCelUint(value)) return Number(value.value);
  if (isCelList(value)) return [...value].map(toPlain);
  if (isCelMap(value)) {
    const object: Record<string, unknown> = {};
    for (const [key, entry] of value) object[String(isCelUint(key) ? key.value : key)] = toPlain(entry);
    return object;
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  return value;
}

/** A chain of field selections from a root name: `steps.a.outputs.b` → ["steps","a","outputs","b"]. */
function selectChain(expr: Expr | undefined): string[] | undefined {
  if (!expr) return undefined;
  if (expr.exprKind.case === "identExpr") return [expr.exprKind.value.name];
  if (expr.exprKind.case === "selectExpr") {
    const base = selectChain(expr.exprKind.value.operand);
    return base ? [...base, expr.exprKind.value.field] : undefined;
  }
  return undefined;
}

function collectReferences(root: Expr): ExpressionReferences {
  const inputs = new Set<string>();
  const steps = new Map<string, Set<string>>();
  const problems: string[] = [];
  const roots = new Set<string>();

  const visit = (expr: Expr | undefined, bound: ReadonlySet<string>): void => {
    if (!expr) return;
    const chain = selectChain(expr);
    if (chain) {
      recordChain(chain, bound);
      return;
    }
    const kind = expr.exprKind;
    switch (kind.case) {
      case "selectExpr":
        visit(kind.value.operand, bound);
        break;
      case "callExpr":
        visit(kind.value.target, bound);
        kind.value.args.forEach((arg) => visit(arg, bound));
        break;
      case "listExpr":
        kind.value.elements.forEach((element) => visit(element, bound));
        break;
      case "structExpr":
        for (const entry of kind.value.entries) {
          if (entry.keyKind.case === "mapKey") visit(entry.keyKind.value, bound);
          visit(entry.value, bound);
        }
        break;
      case "comprehensionExpr": {
        const loop = kind.value;
        visit(loop.iterRange, bound);
        const inner = new Set([...bound, loop.iterVar, loop.iterVar2, loop.accuVar].filter(Boolean));
        visit(loop.accuInit, inner);
        visit(loop.loopCondition, inner);
        visit(loop.loopStep, inner);
        visit(loop.result, inner);
        break;
      }
      default:
        break;
    }
  };

  const recordChain = (chain: readonly string[], bound: ReadonlySet<string>): void => {
    const [head = "", second, third, fourth] = chain;
    if (bound.has(head)) return;
    if (head === "inputs") {
      if (second === undefined) problems.push("read inputs.<name>, not the whole inputs map");
      else inputs.add(second);
      return;
    }
    if (head === "steps") {
      if (second === undefined) {
        problems.push("read steps.<id>.outputs.<name> or steps.<id>.status, not the whole steps map");
        return;
      }
      const outputs = steps.get(second) ?? new Set<string>();
      steps.set(second, outputs);
      if (third !== undefined && third !== "outputs" && third !== "status") {
        problems.push(`steps.${second}.${third}: a step has "outputs" and "status"`);
      } else if (third === "outputs" && fourth !== undefined) {
        outputs.add(fourth);
      }
      return;
    }
    roots.add(head);
  };

  visit(root, new Set());
  return { inputs, steps, problems, roots };
}
