/** A KQL scalar expression, as far as the simulator understands KQL. */
export type KqlExpr =
  | { readonly kind: "literal"; readonly value: KqlValue }
  | { readonly kind: "column"; readonly path: readonly string[] }
  | { readonly kind: "binary"; readonly op: string; readonly left: KqlExpr; readonly right: KqlExpr }
  | { readonly kind: "not"; readonly operand: KqlExpr }
  | { readonly kind: "negate"; readonly operand: KqlExpr }
  | { readonly kind: "in"; readonly op: string; readonly left: KqlExpr; readonly values: readonly KqlExpr[] }
  | {
      readonly kind: "between";
      readonly negated: boolean;
      readonly left: KqlExpr;
      readonly low: KqlExpr;
      readonly high: KqlExpr;
    }
  | { readonly kind: "call"; readonly name: string; readonly args: readonly KqlExpr[] };

/** A named column expression (`Name = expr`, or a bare column). */
export interface NamedExpr {
  readonly name: string;
  readonly expr: KqlExpr;
}

/** A tabular operator after a pipe. */
export type KqlOperator =
  | { readonly kind: "where"; readonly predicate: KqlExpr }
  | { readonly kind: "project"; readonly columns: readonly NamedExpr[] }
  | { readonly kind: "extend"; readonly columns: readonly NamedExpr[] }
  | { readonly kind: "summarize"; readonly aggregates: readonly NamedExpr[]; readonly by: readonly NamedExpr[] }
  | { readonly kind: "sort"; readonly by: readonly { expr: KqlExpr; descending: boolean }[] }
  | { readonly kind: "top"; readonly count: number; readonly by: { expr: KqlExpr; descending: boolean } }
  | { readonly kind: "take"; readonly count: number }
  | { readonly kind: "distinct"; readonly columns: readonly NamedExpr[] }
  | { readonly kind: "count" };

/** A query: one table, then operators in order. */
export interface KqlQuery {
  readonly table: string;
  readonly operators: readonly KqlOperator[];
}

/** A point in time, kept apart from numbers and strings as KQL's datetime is. */
export class KqlDate {
  constructor(readonly ms: number) {}
  toJSON(): string {
    return new Date(this.ms).toISOString();
  }
}

/** A KQL value: scalars, datetimes, timespans (as ms), and dynamic objects and arrays. */
export type KqlValue =
  | string
  | number
  | boolean
  | null
  | KqlDate
  | { readonly timespanMs: number }
  | readonly unknown[]
  | Readonly<Record<string, unknown>>;

/** A query the simulator cannot answer; the HTTP layer turns it into a 400 naming the reason. */
export class KqlUnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KqlUnsupportedError";
  }
}
