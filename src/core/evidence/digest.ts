import { createHash } from "node:crypto";
import canonicalize from "canonicalize";

/**
 * `sha256:<hex>` of the RFC 8785 canonical JSON of `value` without its `digest` field. The same
 * content gives the same digest whatever the key order.
 */
export function computeDigest(value: Readonly<Record<string, unknown>>): string {
  const { digest: _ignored, ...rest } = value;
  const canonical = canonicalize(JSON.parse(JSON.stringify(rest)) as object);
  return `sha256:${createHash("sha256")
    .update(canonical ?? "")
    .digest("hex")}`;
}

/** True when the bundle's `digest` matches its content. */
export function verifyDigest(value: Readonly<Record<string, unknown>>): boolean {
  return value.digest === computeDigest(value);
}
