import { describe, expect, it } from "@jest/globals";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ParsedTextCache } from "../../../src/simulated/parsed-text-cache.js";
import { createKqlAstCache } from "../../../src/simulated/kql/kql-ast-cache.js";
import { KqlDate } from "../../../src/simulated/kql/kql-ast.js";
import { parseKql } from "../../../src/simulated/kql/parse-kql.js";

const freshDirectory = (): string => mkdtempSync(join(tmpdir(), "egress-parse-cache-"));

/** A parser that counts its calls. */
function countingParser(): { parse: (text: string) => { words: string[] }; calls: () => number } {
  let calls = 0;
  return {
    parse: (text) => {
      calls++;
      return { words: text.split(" ") };
    },
    calls: () => calls,
  };
}

describe("parsed text cache", () => {
  it("parses once per process, and a later process reads the result from disk without parsing", () => {
    const directory = freshDirectory();
    const first = countingParser();
    const cache = new ParsedTextCache<{ words: string[] }>({ namespace: "t", fingerprint: () => "v1", directory });
    expect(cache.parse("a b", first.parse)).toEqual({ words: ["a", "b"] });
    expect(cache.parse("a b", first.parse)).toEqual({ words: ["a", "b"] });
    expect(first.calls()).toBe(1);
    expect(readdirSync(join(directory, "t")).filter((name) => name.endsWith(".json"))).toHaveLength(1);

    const later = countingParser();
    const next = new ParsedTextCache<{ words: string[] }>({ namespace: "t", fingerprint: () => "v1", directory });
    expect(next.parse("a b", later.parse)).toEqual({ words: ["a", "b"] });
    expect(later.calls()).toBe(0);
    // Another text is another entry.
    expect(next.parse("a c", later.parse)).toEqual({ words: ["a", "c"] });
    expect(later.calls()).toBe(1);
  });

  it("never serves an entry made by another parser (fingerprint) or a corrupt one", () => {
    const directory = freshDirectory();
    new ParsedTextCache({ namespace: "t", fingerprint: () => "v1", directory }).parse("x", () => "old");
    const parser = countingParser();
    const upgraded = new ParsedTextCache<unknown>({ namespace: "t", fingerprint: () => "v2", directory });
    expect(upgraded.parse("x", parser.parse)).toEqual({ words: ["x"] });
    expect(parser.calls()).toBe(1);
    for (const name of readdirSync(join(directory, "t"))) writeFileSync(join(directory, "t", name), "{not json");
    const again = countingParser();
    expect(
      new ParsedTextCache<unknown>({ namespace: "t", fingerprint: () => "v2", directory }).parse("x", again.parse),
    ).toEqual({ words: ["x"] });
    expect(again.calls()).toBe(1);
  });

  it("a cache it cannot write to costs a parse, never an error; a failed parse is thrown and not kept", () => {
    // A file where the cache directory should be: nothing can be created under it (even by root).
    const directory = join(freshDirectory(), "a-file");
    writeFileSync(directory, "");
    const parser = countingParser();
    const cache = new ParsedTextCache<unknown>({ namespace: "t", fingerprint: () => "v1", directory });
    expect(cache.parse("y", parser.parse)).toEqual({ words: ["y"] });
    expect(() =>
      cache.parse("bad", () => {
        throw new Error("syntax error");
      }),
    ).toThrow("syntax error");
    expect(cache.parse("bad", parser.parse)).toEqual({ words: ["bad"] });
  });

  it("KQL ASTs come back from disk with their datetimes as datetimes", () => {
    const directory = freshDirectory();
    const query = "resources | where TimeGenerated > datetime(2026-11-24T10:00:00Z) | take 3";
    const parsed = createKqlAstCache(directory).parse(query, parseKql);
    const fromDisk = createKqlAstCache(directory).parse(query, () => {
      throw new Error("should not parse");
    });
    expect(fromDisk).toEqual(parsed);
    const where = fromDisk.operators[0] as { predicate: { right: { value: unknown } } };
    expect(where.predicate.right.value).toBeInstanceOf(KqlDate);
    expect((where.predicate.right.value as KqlDate).ms).toBe(Date.parse("2026-11-24T10:00:00Z"));
  });
});
