import { randomBytes } from "node:crypto";
import pg from "pg";

/** The PostgreSQL tests use: `EGRESS_TEST_DATABASE_URL`, or the machine's on 127.0.0.1:5432 (database `test`). */
export const testDatabaseUrl = process.env.EGRESS_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Whether that PostgreSQL answers (within 3 s). */
export async function postgresReachable(url = testDatabaseUrl): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Whether the PostgreSQL tests can run here. PostgreSQL is on CI's machine (and .ci/run insists on
 * it), so under CI a missing one fails the suite; a developer's machine without one runs the rest and
 * says which tests (`what`) are skipped and why.
 */
export async function postgresForTests(what: string): Promise<boolean> {
  if (await postgresReachable()) return true;
  if (process.env.CI) throw new Error(`CI needs PostgreSQL at ${testDatabaseUrl} for ${what}`);
  console.warn(`PostgreSQL not reachable at ${testDatabaseUrl}: ${what} skipped`);
  return false;
}

/**
 * A schema of its own for one test (created now, dropped by `drop`), and a connection string whose
 * sessions use it: tests share the database, never each other's tables.
 */
export async function freshSchema(url = testDatabaseUrl): Promise<{
  /** The schema's name (`egress_test_…`). */
  name: string;
  connectionString: string;
  query: (sql: string, values?: unknown[]) => Promise<pg.QueryResult>;
  drop: () => Promise<void>;
}> {
  const schema = `egress_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.query(`set search_path to ${schema}`);
  const separator = url.includes("?") ? "&" : "?";
  return {
    name: schema,
    connectionString: `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    query: (sql, values) => admin.query(sql, values),
    drop: async () => {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
  };
}
