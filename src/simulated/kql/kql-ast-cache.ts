import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { ParsedTextCache } from "../parsed-text-cache.js";
import type { KqlQuery } from "./kql-ast.js";
import { reviveKqlDate, tagKqlDate } from "./kql-ast-codec.js";

// Bump when the AST's shape changes in a way the parser's source would not show.
const formatVersion = "kql-ast-2";

/**
 * What a cached AST depends on besides the query: the format and the parser's own source
 * (parse-kql, the AST types, its codec and this module), so changing the conversion never serves an entry the old one made.
 */
function parserFingerprint(): string {
  const extension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const hash = createHash("sha256").update(formatVersion);
  for (const name of ["parse-kql", "kql-ast", "kql-ast-cache", "kql-ast-codec"]) {
    try {
      hash.update(readFileSync(new URL(`./${name}${extension}`, import.meta.url)));
    } catch {
      hash.update(`${name}: unreadable`);
    }
  }
  return hash.digest("hex");
}

/**
 * Parsed KQL by query text, between processes too. Microsoft's Kusto language service builds its
 * grammar on first use (about a second of CPU per process); the simulator receives the same few
 * queries run after run, so a later process reads the converted AST and never loads the service.
 * @param directory the cache directory; null keeps ASTs in memory only.
 */
export function createKqlAstCache(directory?: string | null): ParsedTextCache<KqlQuery> {
  return new ParsedTextCache<KqlQuery>({
    namespace: "kql",
    fingerprint: parserFingerprint,
    ...(directory !== undefined ? { directory } : {}),
    // Datetimes are the AST's one class.
    tag: tagKqlDate,
    reviver: reviveKqlDate,
  });
}
