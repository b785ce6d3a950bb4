import ipaddr from "ipaddr.js";
import { KqlDate, KqlUnsupportedError, type KqlExpr, type KqlQuery, type NamedExpr } from "./kql-ast.js";
import { asText, asTime, compareValues, hasTerm, valuesEqual } from "./kql-values.js";

type Row = Record<string, unknown>;

/** A query result: column names in order and the rows. */
export interface KqlResult {
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
}

/** Where the evaluator finds tables, and what "now" is for ago() and now(). */
export interface KqlContext {
  table(name: string): readonly Row[] | undefined;
  readonly nowMs: number;
}

/** Evaluates a parsed query over in-memory rows. Unknown tables and functions throw, naming them. */
export function evaluateKql(query: KqlQuery, context: KqlContext): KqlResult {
  const source = context.table(query.table);
  if (!source) throw new KqlUnsupportedError(`unknown table "${query.table}"`);
  let rows: Row[] = [...source];
  let columns = [...new Set(source.flatMap((row) => Object.keys(row)))];
  const evaluate = (expr: KqlExpr, row: Row): unknown => evaluateScalar(expr, row, context.nowMs);
  const named = (list: readonly NamedExpr[], row: Row): Row =>
    Object.fromEntries(list.map(({ name, expr }) => [name, evaluate(expr, row)]));

  for (const operator of query.operators) {
    switch (operator.kind) {
      case "where":
        rows = rows.filter((row) => evaluate(operator.predicate, row) === true);
        break;
      case "project":
        rows = rows.map((row) => named(operator.columns, row));
        columns = operator.columns.map((column) => column.name);
        break;
      case "extend":
        rows = rows.map((row) => ({ ...row, ...named(operator.columns, row) }));
        columns = [...new Set([...columns, ...operator.columns.map((column) => column.name)])];
        break;
      case "summarize": {
        const groups = new Map<string, { key: Row; members: Row[] }>();
        for (const row of rows) {
          const key = named(operator.by, row);
          const id = JSON.stringify(key);
          const group = groups.get(id) ?? { key, members: [] };
          group.members.push(row);
          groups.set(id, group);
        }
        if (groups.size === 0 && operator.by.length === 0) groups.set("{}", { key: {}, members: [] });
        rows = [...groups.values()].map(({ key, members }) => ({
          ...key,
          ...Object.fromEntries(
            operator.aggregates.map(({ name, expr }) => [name, aggregate(expr, members, context.nowMs)]),
          ),
        }));
        columns = [...operator.by.map((column) => column.name), ...operator.aggregates.map((column) => column.name)];
        break;
      }
      case "sort":
        rows = [...rows].sort((a, b) => {
          for (const { expr, descending } of operator.by) {
            const order = compareValues(evaluate(expr, a), evaluate(expr, b));
            if (order !== 0) return descending ? -order : order;
          }
          return 0;
        });
        break;
      case "top": {
        const { expr, descending } = operator.by;
        rows = [...rows]
          .sort((a, b) => (descending ? -1 : 1) * compareValues(evaluate(expr, a), evaluate(expr, b)))
          .slice(0, operator.count);
        break;
      }
      case "take":
        rows = rows.slice(0, operator.count);
        break;
      case "distinct": {
        const seen = new Set<string>();
        rows = rows
          .map((row) => named(operator.columns, row))
          .filter((row) => !seen.has(JSON.stringify(row)) && seen.add(JSON.stringify(row)));
        columns = operator.columns.map((column) => column.name);
        break;
      }
      case "count":
        rows = [{ Count: rows.length }];
        columns = ["Count"];
        break;
    }
  }
  return { columns, rows };
}

function aggregate(expr: KqlExpr, rows: readonly Row[], nowMs: number): unknown {
  if (expr.kind !== "call")
    throw new KqlUnsupportedError("summarize takes aggregation functions such as count() or max(x)");
  const [first] = expr.args;
  const values = (): unknown[] => (first ? rows.map((row) => evaluateScalar(first, row, nowMs)) : []);
  switch (expr.name) {
    case "count":
      return rows.length;
    case "countif":
      return first ? rows.filter((row) => evaluateScalar(first, row, nowMs) === true).length : 0;
    case "dcount":
      return new Set(values().map((value) => JSON.stringify(value))).size;
    case "sum":
      return values().reduce<number>((total, value) => total + (typeof value === "number" ? value : 0), 0);
    case "avg": {
      const numbers = values().filter((value): value is number => typeof value === "number");
      return numbers.length === 0 ? null : numbers.reduce((total, value) => total + value, 0) / numbers.length;
    }
    case "max":
    case "min": {
      const present = values().filter((value) => value !== null && value !== undefined);
      if (present.length === 0) return null;
      return present.reduce((best, value) =>
        (expr.name === "max" ? compareValues(value, best) > 0 : compareValues(value, best) < 0) ? value : best,
      );
    }
    case "make_set":
      return [...new Map(values().map((value) => [JSON.stringify(value), value])).values()];
    case "make_list":
      return values();
    case "take_any":
    case "any":
      return values()[0] ?? null;
    default:
      throw new KqlUnsupportedError(`the simulator does not support the aggregation ${expr.name}()`);
  }
}

function column(row: Row, path: readonly string[]): unknown {
  let value: unknown = row;
  for (const key of path) {
    if (value === null || typeof value !== "object" || value instanceof KqlDate) return null;
    value = (value as Row)[key];
  }
  return value ?? null;
}

/** Evaluates one scalar expression for one row. */
export function evaluateScalar(expr: KqlExpr, row: Row, nowMs: number): unknown {
  const evaluate = (inner: KqlExpr): unknown => evaluateScalar(inner, row, nowMs);
  switch (expr.kind) {
    case "literal":
      return expr.value;
    case "column":
      return column(row, expr.path);
    case "not":
      return evaluate(expr.operand) !== true;
    case "negate": {
      const value = evaluate(expr.operand);
      return typeof value === "number" ? -value : null;
    }
    case "between": {
      const value = evaluate(expr.left);
      const inside = compareValues(value, evaluate(expr.low)) >= 0 && compareValues(value, evaluate(expr.high)) <= 0;
      return expr.negated ? !inside : inside;
    }
    case "in": {
      const value = evaluate(expr.left);
      const candidates = expr.values
        .map(evaluate)
        .flatMap((candidate) => (Array.isArray(candidate) ? (candidate as unknown[]) : [candidate]));
      const insensitive = expr.op.endsWith("~");
      const found =
        expr.op === "has_any"
          ? candidates.some((candidate) => hasTerm(value, candidate))
          : candidates.some((candidate) =>
              insensitive
                ? asText(candidate).toLowerCase() === asText(value).toLowerCase()
                : valuesEqual(value, candidate),
            );
      return expr.op.startsWith("!") ? !found : found;
    }
    case "binary":
      return binary(expr.op, evaluate(expr.left), () => evaluate(expr.right));
    case "call":
      return call(expr.name, expr.args.map(evaluate), nowMs);
  }
}

function binary(op: string, left: unknown, rightThunk: () => unknown): unknown {
  if (op === "and") return left === true && rightThunk() === true;
  if (op === "or") return left === true || rightThunk() === true;
  const right = rightThunk();
  const lower = (value: unknown): string => asText(value).toLowerCase();
  switch (op) {
    case "==":
      return valuesEqual(left, right);
    case "!=":
      return !valuesEqual(left, right);
    case "=~":
      return lower(left) === lower(right);
    case "!~":
      return lower(left) !== lower(right);
    case "<":
      return compareValues(left, right) < 0;
    case ">":
      return compareValues(left, right) > 0;
    case "<=":
      return compareValues(left, right) <= 0;
    case ">=":
      return compareValues(left, right) >= 0;
    case "has":
      return hasTerm(left, right);
    case "!has":
      return !hasTerm(left, right);
    case "has_cs":
      return hasTerm(left, right, true);
    case "contains":
      return lower(left).includes(lower(right));
    case "!contains":
      return !lower(left).includes(lower(right));
    case "contains_cs":
      return asText(left).includes(asText(right));
    case "startswith":
      return lower(left).startsWith(lower(right));
    case "!startswith":
      return !lower(left).startsWith(lower(right));
    case "endswith":
      return lower(left).endsWith(lower(right));
    case "!endswith":
      return !lower(left).endsWith(lower(right));
    case "matches regex":
      return new RegExp(asText(right)).test(asText(left));
    case "+":
    case "-": {
      const time = asTime(left);
      const span =
        typeof right === "object" && right !== null && "timespanMs" in right
          ? (right as { timespanMs: number }).timespanMs
          : undefined;
      if (time !== undefined && span !== undefined) return new KqlDate(op === "+" ? time + span : time - span);
      if (typeof left === "number" && typeof right === "number") return op === "+" ? left + right : left - right;
      return null;
    }
    case "*":
      return typeof left === "number" && typeof right === "number" ? left * right : null;
    case "/":
      return typeof left === "number" && typeof right === "number" && right !== 0 ? left / right : null;
    default:
      throw new KqlUnsupportedError(`the simulator does not support the KQL operator "${op}"`);
  }
}

/** True when an IPv4 address is inside any of the CIDR ranges (a bare address counts as /32). */
function ipInRanges(address: unknown, ranges: readonly unknown[]): boolean | null {
  if (typeof address !== "string" || !ipaddr.IPv4.isValidFourPartDecimal(address)) return null;
  const ip = ipaddr.IPv4.parse(address);
  return ranges.some((range) => {
    const text = asText(range);
    try {
      const [network, bits] = text.includes("/") ? ipaddr.IPv4.parseCIDR(text) : [ipaddr.IPv4.parse(text), 32];
      return ip.match(network, bits);
    } catch {
      return false;
    }
  });
}

function call(name: string, args: readonly unknown[], nowMs: number): unknown {
  const [first, second, third] = args;
  const spanMs = (value: unknown): number =>
    typeof value === "object" && value !== null && "timespanMs" in value
      ? (value as { timespanMs: number }).timespanMs
      : 0;
  switch (name) {
    case "ago":
      return new KqlDate(nowMs - spanMs(first));
    case "now":
      return new KqlDate(nowMs + spanMs(first));
    case "tolower":
      return asText(first).toLowerCase();
    case "toupper":
      return asText(first).toUpperCase();
    case "tostring":
      return asText(first);
    case "toint":
    case "tolong":
    case "todouble":
    case "toreal": {
      const number = Number(asText(first));
      return first === null || Number.isNaN(number) ? null : number;
    }
    case "tobool":
      return first === true || asText(first).toLowerCase() === "true";
    case "todatetime": {
      const ms = asTime(first);
      return ms === undefined ? null : new KqlDate(ms);
    }
    case "isempty":
      return first === null || first === undefined || asText(first) === "";
    case "isnotempty":
      return !(first === null || first === undefined || asText(first) === "");
    case "isnull":
      return first === null || first === undefined;
    case "isnotnull":
      return !(first === null || first === undefined);
    case "strcat":
      return args.map(asText).join("");
    case "iff":
    case "iif":
      return first === true ? second : third;
    case "coalesce":
      return args.find((value) => value !== null && value !== undefined && value !== "") ?? null;
    case "split":
      return asText(first).split(asText(second));
    case "pack":
    case "bag_pack": {
      // Pairs of key and value; a null value keeps its key, as Kusto does.
      const bag: Record<string, unknown> = {};
      for (let index = 0; index + 1 < args.length; index += 2) bag[asText(args[index])] = args[index + 1] ?? null;
      return bag;
    }
    case "array_length":
      return Array.isArray(first) ? first.length : null;
    case "ipv4_is_in_range":
      return ipInRanges(first, [second]);
    case "ipv4_is_in_any_range":
      return ipInRanges(first, Array.isArray(second) ? (second as unknown[]) : args.slice(1));
    default:
      throw new KqlUnsupportedError(`the simulator does not support the KQL function ${name}()`);
  }
}
