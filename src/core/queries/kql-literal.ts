import ipaddr from "ipaddr.js";
import { EgressError, ErrorCode } from "../errors.js";

/**
 * A KQL string literal for any text: single-quoted with backslash escapes, so a value can never end
 * the literal early. Control characters are refused rather than escaped: no legitimate value has them.
 */
export function kqlString(value: string): string {
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(value))
    throw new EgressError(ErrorCode.InputInvalid, "A value sent to a query contains a control character.");
  if (value.length > 1024)
    throw new EgressError(ErrorCode.InputInvalid, "A value sent to a query is longer than 1,024 characters.");
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** A KQL `dynamic([...])` array of string literals. */
export function kqlStringArray(values: readonly string[]): string {
  return `dynamic([${values.map(kqlString).join(", ")}])`;
}

/** A KQL list of CIDR ranges, each checked to be a real IPv4 or IPv6 range first. */
export function kqlCidrArray(values: readonly string[]): string {
  for (const value of values) {
    try {
      ipaddr.parseCIDR(value);
    } catch {
      throw new EgressError(ErrorCode.InputInvalid, `"${value.slice(0, 60)}" is not a CIDR range.`);
    }
  }
  return kqlStringArray(values);
}

/** A KQL integer literal, checked to be a whole number in range. */
export function kqlInt(value: number, min: number, max: number): string {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new EgressError(ErrorCode.InputInvalid, `Expected a whole number from ${min} to ${max}.`);
  return String(value);
}
