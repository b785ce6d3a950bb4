import { alignTable } from "../../src/index.js";

/** Lays out rows as aligned columns under a header; the last column is not padded. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], indent = "  "): string[] {
  return alignTable({ headers, rows }, indent);
}

/** Formats a duration in ms for people: `850ms`, `1.2s`, `2m 5s`. */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`;
}
