import { KqlDate } from "./kql-ast.js";

/** A value as ms when it is a datetime (or an ISO-8601 string), else undefined. */
export function asTime(value: unknown): number | undefined {
  if (value instanceof KqlDate) return value.ms;
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/** Text of a value as KQL's tostring gives it. */
export function asText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (value instanceof KqlDate) return new Date(value.ms).toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return typeof value === "number" || typeof value === "boolean" ? String(value) : (JSON.stringify(value) ?? "");
}

/** Compares two values the way KQL orders them: datetimes by time, numbers by value, else as text. */
export function compareValues(left: unknown, right: unknown): number {
  const leftTime = asTime(left);
  const rightTime = asTime(right);
  if (leftTime !== undefined && rightTime !== undefined) return leftTime - rightTime;
  if (typeof left === "number" && typeof right === "number") return left - right;
  if (left === null || left === undefined) return right === null || right === undefined ? 0 : -1;
  if (right === null || right === undefined) return 1;
  return asText(left).localeCompare(asText(right));
}

/** KQL `==`: equal values of the same kind (datetimes by time). */
export function valuesEqual(left: unknown, right: unknown): boolean {
  const leftTime = asTime(left);
  const rightTime = asTime(right);
  if (leftTime !== undefined && rightTime !== undefined && (left instanceof KqlDate || right instanceof KqlDate))
    return leftTime === rightTime;
  if (typeof left === "object" && left !== null && !(left instanceof KqlDate))
    return JSON.stringify(left) === JSON.stringify(right);
  return left === right;
}

/** KQL `has`: the term appears as a whole word (case-insensitive). */
export function hasTerm(haystack: unknown, term: unknown, caseSensitive = false): boolean {
  const text = caseSensitive ? asText(haystack) : asText(haystack).toLowerCase();
  const needle = caseSensitive ? asText(term) : asText(term).toLowerCase();
  if (needle.length === 0) return true;
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\p{L}\\p{N}_])${escaped}($|[^\\p{L}\\p{N}_])`, "u").test(text);
}
