import type { DenyRow, SnatRow } from "./answer-view.js";

/** A table of a view: headers and rows of text, laid out by each renderer its own way. */
export interface ViewTable {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * How many rows of a result table a chat message shows: the rest is in the evidence bundle (and the
 * CLI's `--output csv`). A fleet of thousands of pools would otherwise be a wall no one reads.
 */
export const chatTableRows = 30;

const count = (value: number | null): string => (value === null ? "—" : value.toLocaleString("en-GB"));

/** The denies table: destination, protocol, count, first and last seen, rule, AKS-required. */
export function deniesTable(rows: readonly DenyRow[]): ViewTable {
  return {
    headers: ["DESTINATION", "PROTO", "DENIES", "FIRST SEEN", "LAST SEEN", "AKS", "RULE"],
    rows: rows.map((row) => [
      row.destination,
      row.protocol,
      String(row.count),
      row.firstSeen ?? "",
      row.lastSeen ?? "",
      row.requiredEndpoint ? "required" : "",
      row.rule,
    ]),
  };
}

/** The SNAT table: per pool, ports per node and nodes at full scale with surge, ports available, failures. */
export function snatTable(rows: readonly SnatRow[]): ViewTable {
  return {
    headers: ["POOL", "VIA", "PORTS/NODE AT SCALE", "NODES AT SCALE", "PORTS", "FAILED", "VERDICT"],
    rows: rows.map((row) => [
      row.pool,
      row.via,
      count(row.portsPerNodeAtScale),
      count(row.nodesAtScale),
      count(row.portsAvailable),
      row.failedConnections === null ? "—" : `${count(row.failedConnections)} in ${row.window ?? "?"}`,
      row.verdict,
    ]),
  };
}

/** Lays a table out as aligned monospace lines; the last column is not padded. */
export function alignTable(table: ViewTable, indent = ""): string[] {
  const widths = table.headers.map((header, column) =>
    Math.max(header.length, ...table.rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]): string =>
    indent +
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(table.headers), ...table.rows.map(line)];
}
