#!/usr/bin/env node
// Exits 0 when the PostgreSQL at the given URL answers a query within 5 s, 1 otherwise (for .ci/run).
import pg from "pg";

const url = process.argv[2];
if (!url) {
  console.error("usage: node scripts/postgres-ready.mjs <postgres-url>");
  process.exit(2);
}
const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
try {
  await client.connect();
  await client.query("select 1");
  process.exitCode = 0;
} catch (error) {
  console.error(`postgres-ready: ${url}: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await client.end().catch(() => undefined);
}
