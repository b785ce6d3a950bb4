import { stringifyTagged } from "../parsed-text-cache.js";
import { KqlDate, type KqlQuery } from "./kql-ast.js";

/** The stored form of the AST's one class: datetimes. */
export const tagKqlDate = (value: unknown): unknown => (value instanceof KqlDate ? { $kqlDate: value.ms } : undefined);

/** Turns a stored datetime back into a {@link KqlDate} (a `JSON.parse` reviver). */
export const reviveKqlDate = (_key: string, value: unknown): unknown =>
  value !== null && typeof value === "object" && typeof (value as { $kqlDate?: unknown }).$kqlDate === "number"
    ? new KqlDate((value as { $kqlDate: number }).$kqlDate)
    : value;

/** A parsed query as text: how it is kept on disk and sent from the parser's worker thread. */
export function kqlAstToText(query: KqlQuery): string {
  return stringifyTagged(query, tagKqlDate);
}

/** A parsed query back from {@link kqlAstToText}'s text. */
export function kqlAstFromText(text: string): KqlQuery {
  return JSON.parse(text, reviveKqlDate) as KqlQuery;
}
