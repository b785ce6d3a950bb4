import { parseDuration } from "../../core/runbooks/duration.js";
import {
  KqlDate,
  KqlUnsupportedError,
  type KqlExpr,
  type KqlOperator,
  type KqlQuery,
  type KqlValue,
  type NamedExpr,
} from "./kql-ast.js";
import { loadKusto, type KustoSyntaxNode } from "./load-kusto.js";

type Node = KustoSyntaxNode;

const kindOf = (node: Node | null | undefined): string => (node?.$$name ?? "").replace("Kusto.Language.Syntax.", "");
const child = (node: Node, property: string): Node | null => (node[property] as Node | null | undefined) ?? null;
const text = (node: Node | null): string => {
  if (!node) return "";
  // Tokens have Text; nodes print their source through ToString.
  const printable = node as unknown as { ToString?: () => string };
  return (node.IsToken || typeof printable.ToString !== "function" ? node.Text : printable.ToString()).trim();
};

/** The elements of a Kusto separated syntax list. */
function elements(list: unknown): Node[] {
  const typed = list as { Count: number; getItem(index: number): { Element: Node } } | null;
  if (!typed) return [];
  return Array.from({ length: typed.Count }, (_value, index) => typed.getItem(index).Element);
}

/**
 * Parses a KQL query with Microsoft's Kusto language service and converts its syntax tree into the
 * small AST the simulator evaluates. Syntax errors and unsupported constructs throw, naming them.
 */
export function parseKql(query: string): KqlQuery {
  const code = loadKusto().Language.KustoCode.Parse(query);
  const diagnostics = code.GetDiagnostics();
  if (diagnostics.Count > 0) {
    const first = diagnostics.getItem(0);
    throw new KqlUnsupportedError(`KQL syntax error at offset ${first.Start}: ${first.Message}`);
  }
  const statements = elements(child(code.Syntax, "Statements"));
  if (statements.length !== 1 || kindOf(statements[0]) !== "ExpressionStatement")
    throw new KqlUnsupportedError("the simulator answers single-statement queries (no let or set statements)");
  const operators: KqlOperator[] = [];
  let node = child(statements[0] as Node, "Expression");
  while (node && kindOf(node) === "PipeExpression") {
    operators.unshift(toOperator(child(node, "Operator") as Node));
    node = child(node, "Expression");
  }
  if (!node || kindOf(node) !== "NameReference")
    throw new KqlUnsupportedError(`a query starts with a table name, not ${kindOf(node) || "nothing"}`);
  return { table: String(node.SimpleName), operators };
}

function toOperator(node: Node): KqlOperator {
  switch (kindOf(node)) {
    case "FilterOperator":
      return { kind: "where", predicate: toExpr(child(node, "Condition")) };
    case "ProjectOperator":
      return { kind: "project", columns: elements(node.Expressions).map(toNamed) };
    case "ExtendOperator":
      return { kind: "extend", columns: elements(node.Expressions).map(toNamed) };
    case "SummarizeOperator": {
      const by = child(node, "ByClause");
      if (by && child(by, "BinClause"))
        throw new KqlUnsupportedError("summarize … by bin() is not supported by the simulator");
      return {
        kind: "summarize",
        aggregates: elements(node.Aggregates).map(toNamed),
        by: by ? elements(by.Expressions).map(toNamed) : [],
      };
    }
    case "SortOperator":
      return { kind: "sort", by: elements(node.Expressions).map(toOrdered) };
    case "TopOperator":
      return {
        kind: "top",
        count: toCount(child(node, "Expression")),
        by: toOrdered(child(node, "ByExpression") as Node),
      };
    case "TakeOperator":
      return { kind: "take", count: toCount(child(node, "Expression")) };
    case "DistinctOperator":
      return { kind: "distinct", columns: elements(node.Expressions).map(toNamed) };
    case "CountOperator":
      return { kind: "count" };
    default: {
      const keyword = text(node.GetChild(0)) || kindOf(node);
      throw new KqlUnsupportedError(`the simulator does not support the KQL operator "${keyword}"`);
    }
  }
}

function toCount(node: Node | null): number {
  const expr = toExpr(node);
  if (expr.kind !== "literal" || typeof expr.value !== "number")
    throw new KqlUnsupportedError("take and top need a literal count");
  return expr.value;
}

function toOrdered(node: Node): { expr: KqlExpr; descending: boolean } {
  if (kindOf(node) === "OrderedExpression") {
    const ordering = child(node, "Ordering");
    const keyword = ordering ? text(child(ordering, "AscOrDescKeyword")).toLowerCase() : "";
    return { expr: toExpr(child(node, "Expression")), descending: keyword !== "asc" };
  }
  return { expr: toExpr(node), descending: true };
}

function toNamed(node: Node): NamedExpr {
  if (kindOf(node) === "SimpleNamedExpression") {
    return { name: String((child(node, "Name") as Node).SimpleName), expr: toExpr(child(node, "Expression")) };
  }
  const expr = toExpr(node);
  return { name: defaultName(expr), expr };
}

/** The column name KQL gives an unnamed expression: `properties.x` → `properties_x`, `count()` → `count_`. */
function defaultName(expr: KqlExpr): string {
  if (expr.kind === "column") return expr.path.join("_");
  if (expr.kind === "call") {
    const first = expr.args[0];
    return `${expr.name}_${first ? defaultName(first) : ""}`;
  }
  return "Column1";
}

function toExpr(node: Node | null): KqlExpr {
  if (!node) throw new KqlUnsupportedError("an expression is missing");
  switch (kindOf(node)) {
    case "LiteralExpression":
      return { kind: "literal", value: toLiteral(child(node, "Token") as Node) };
    case "NameReference":
      return { kind: "column", path: [String(node.SimpleName)] };
    case "BracketedName":
    case "BracketedExpression":
      return toExpr(child(node, "Expression"));
    case "PathExpression":
    case "ElementExpression": {
      const base = toExpr(child(node, "Expression"));
      const selector = toExpr(child(node, "Selector"));
      const key =
        selector.kind === "column"
          ? selector.path[0]
          : selector.kind === "literal" && (typeof selector.value === "string" || typeof selector.value === "number")
            ? String(selector.value)
            : undefined;
      if (base.kind !== "column" || key === undefined)
        throw new KqlUnsupportedError("only property paths like properties.a.b or properties['a'] are supported");
      return { kind: "column", path: [...base.path, key] };
    }
    case "ParenthesizedExpression":
      return toExpr(child(node, "Expression"));
    case "DynamicExpression":
      return { kind: "literal", value: toJson(child(node, "Expression")) };
    case "PrefixUnaryExpression": {
      const operand = toExpr(child(node, "Expression"));
      return text(child(node, "Operator")) === "-" ? { kind: "negate", operand } : operand;
    }
    case "BinaryExpression":
      return {
        kind: "binary",
        op: text(child(node, "Operator")).toLowerCase(),
        left: toExpr(child(node, "Left")),
        right: toExpr(child(node, "Right")),
      };
    case "InExpression":
    case "HasAnyExpression":
      return {
        kind: "in",
        op: text(child(node, "Operator")).toLowerCase(),
        left: toExpr(child(node, "Left")),
        values: elements((child(node, "Right") as Node).Expressions).map(toExpr),
      };
    case "BetweenExpression": {
      const couple = child(node, "Right") as Node;
      return {
        kind: "between",
        negated: text(child(node, "Operator")).startsWith("!"),
        left: toExpr(child(node, "Left")),
        low: toExpr(child(couple, "First")),
        high: toExpr(child(couple, "Second")),
      };
    }
    case "FunctionCallExpression": {
      const name = String((child(node, "Name") as Node).SimpleName).toLowerCase();
      const args = elements((child(node, "ArgumentList") as Node).Expressions).map(toExpr);
      return name === "not" && args[0] ? { kind: "not", operand: args[0] } : { kind: "call", name, args };
    }
    default:
      throw new KqlUnsupportedError(`the simulator does not support the KQL expression "${text(node).slice(0, 40)}"`);
  }
}

/** A `dynamic(...)` value: JSON arrays and objects of literals. */
function toJson(node: Node | null): KqlValue {
  switch (kindOf(node)) {
    case "JsonArrayExpression":
      return elements((node as Node).Values ?? (node as Node).Expressions).map((element) => toJson(element) as unknown);
    case "LiteralExpression":
      return toLiteral(child(node as Node, "Token") as Node);
    default:
      throw new KqlUnsupportedError(
        `the simulator supports dynamic() arrays of literals, not ${text(node).slice(0, 40)}`,
      );
  }
}

function toLiteral(token: Node): KqlValue {
  const raw = token.Text.trim();
  if (typeof token.Value === "string") return token.Value;
  if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() === "true";
  const dated = /^datetime\((.*)\)$/i.exec(raw);
  if (dated) return new KqlDate(Date.parse((dated[1] ?? "").trim()));
  const span = /^(\d+(?:\.\d+)?)(d|h|m|s|ms)$/.exec(raw);
  if (span) return { timespanMs: parseDuration(`${span[1]}${span[2]}`) ?? Number(span[1]) };
  if (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(raw)) return Number(raw);
  if (/^(dynamic\(null\)|null)$/i.test(raw)) return null;
  throw new KqlUnsupportedError(`the simulator does not support the literal ${raw.slice(0, 40)}`);
}
