import { describe, expect, it } from "@jest/globals";
import { createHash } from "node:crypto";
import { computeDigest, verifyDigest } from "../../../src/core/evidence/digest.js";

describe("computeDigest", () => {
  it("hashes the RFC 8785 canonical JSON without the digest field", () => {
    const canonical = '{"a":[1,"x",true,null],"b":{"c":1.5,"d":"é"}}';
    const expected = `sha256:${createHash("sha256").update(canonical).digest("hex")}`;
    expect(computeDigest({ b: { d: "é", c: 1.5 }, a: [1, "x", true, null], digest: "ignored" })).toBe(expected);
  });
  it("does not depend on key order", () => {
    expect(computeDigest({ x: 1, y: { p: 1, q: 2 } })).toBe(computeDigest({ y: { q: 2, p: 1 }, x: 1 }));
  });
  it("verifies a stored digest", () => {
    const body = { schema: "egress.evidence/v1", runId: "r" };
    expect(verifyDigest({ ...body, digest: computeDigest(body) })).toBe(true);
    expect(verifyDigest({ ...body, runId: "other", digest: computeDigest(body) })).toBe(false);
  });
});
