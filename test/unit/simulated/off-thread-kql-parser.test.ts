import { afterEach, describe, expect, it } from "@jest/globals";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { findPackageRoot } from "../../../src/app/package-root.js";
import { KqlDate, KqlUnsupportedError } from "../../../src/simulated/kql/kql-ast.js";
import { OffThreadKqlParser } from "../../../src/simulated/kql/off-thread-kql-parser.js";
import { parseKql } from "../../../src/simulated/kql/parse-kql.js";
import { ParsedTextCache } from "../../../src/simulated/parsed-text-cache.js";

// The worker is the built module (`npm test` builds first): a worker thread runs plain JavaScript.
const builtWorker = pathToFileURL(join(findPackageRoot(), "dist", "src", "simulated", "kql", "kql-parser-worker.js"));
const query = [
  "AZFWNetworkRule",
  "| where TimeGenerated > datetime(2026-11-24T09:00:00Z) and Action == 'Deny'",
  "| summarize Count = count() by DestinationIp, Protocol",
  "| top 20 by Count desc",
].join("\n");

describe("the off-thread KQL parser", () => {
  let parser: OffThreadKqlParser | null = null;
  afterEach(async () => {
    await parser?.close();
    parser = null;
  });

  it("parses on a worker thread into the same AST as the parser on this thread, datetimes included", async () => {
    expect(existsSync(builtWorker)).toBe(true);
    parser = new OffThreadKqlParser(builtWorker);
    expect(parser.usesWorker).toBe(true);
    // Microsoft's language service loads as globals of the thread that parses: not this one.
    expect((globalThis as { Kusto?: unknown }).Kusto).toBeUndefined();
    const parsed = await parser.parse(query);
    expect((globalThis as { Kusto?: unknown }).Kusto).toBeUndefined();
    expect(parser.offThreadParses).toBe(1);
    expect(parsed).toEqual(parseKql(query));
    const where = parsed.operators[0];
    const left = where?.kind === "where" && where.predicate.kind === "binary" ? where.predicate.left : null;
    const date = left?.kind === "binary" && left.right.kind === "literal" ? left.right.value : null;
    expect(date).toBeInstanceOf(KqlDate);
    expect((date as KqlDate).ms).toBe(Date.parse("2026-11-24T09:00:00Z"));
  });

  it("answers concurrent parses each with its own query, and rejects a bad one with the parser's reason", async () => {
    parser = new OffThreadKqlParser(builtWorker);
    const [first, bad, second] = await Promise.allSettled([
      parser.parse("resources | take 3"),
      parser.parse("resources | frobnicate"),
      parser.parse("resources | count"),
    ]);
    expect(first).toEqual({
      status: "fulfilled",
      value: { table: "resources", operators: [{ kind: "take", count: 3 }] },
    });
    expect(second).toEqual({ status: "fulfilled", value: { table: "resources", operators: [{ kind: "count" }] } });
    expect(bad.status).toBe("rejected");
    const reason = (bad as PromiseRejectedResult).reason as Error;
    expect(reason).toBeInstanceOf(KqlUnsupportedError);
    expect(reason.message).toMatch(/KQL syntax error|does not support/);
  });

  it("starts a new worker after the old one is gone", async () => {
    parser = new OffThreadKqlParser(builtWorker);
    await parser.parse("resources | take 1");
    await parser.close();
    expect(await parser.parse("resources | take 2")).toEqual({
      table: "resources",
      operators: [{ kind: "take", count: 2 }],
    });
    expect(parser.offThreadParses).toBe(2);
  });

  it("stops the worker after it has been idle, giving its memory back, and starts one again when asked", async () => {
    parser = new OffThreadKqlParser(builtWorker, 50);
    await parser.parse("resources | take 1");
    expect(parser.running).toBe(true);
    const deadline = Date.now() + 30_000;
    while (parser.running && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(parser.running).toBe(false);
    expect(await parser.parse("resources | count")).toEqual({ table: "resources", operators: [{ kind: "count" }] });
  });

  it("parses on this thread when there is no built worker (running from the TypeScript sources)", async () => {
    parser = new OffThreadKqlParser(pathToFileURL(join(findPackageRoot(), "no-such-worker.js")));
    expect(parser.usesWorker).toBe(false);
    expect(await parser.parse("resources | take 1")).toEqual({
      table: "resources",
      operators: [{ kind: "take", count: 1 }],
    });
    expect(parser.offThreadParses).toBe(0);
  });

  it("shares one parse among callers waiting on the same text, and keeps no failed parse", async () => {
    const cache = new ParsedTextCache<string>({ namespace: "t", fingerprint: () => "v1", directory: null });
    let calls = 0;
    const slow = async (text: string) => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (text === "bad") throw new Error("no");
      return text.toUpperCase();
    };
    expect(await Promise.all([cache.parseAsync("a", slow), cache.parseAsync("a", slow)])).toEqual(["A", "A"]);
    expect(calls).toBe(1);
    await expect(cache.parseAsync("bad", slow)).rejects.toThrow("no");
    await expect(cache.parseAsync("bad", slow)).rejects.toThrow("no");
    expect(calls).toBe(3);
  });
});
