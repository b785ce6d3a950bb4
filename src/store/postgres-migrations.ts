import type { PoolClient } from "pg";

/**
 * The PostgreSQL schema, version by version. Applied at start-up, in one transaction, under an
 * advisory lock, so replicas starting together apply each migration once and start on the same schema.
 * Never edit a shipped migration: add the next one.
 */
export const postgresMigrations: readonly string[] = [
  `
  create table egress_dedupe (key text primary key, expires_at bigint not null);
  create index egress_dedupe_expires on egress_dedupe (expires_at);
  create table egress_buttons (key text primary key, context jsonb not null, expires_at bigint not null);
  create index egress_buttons_expires on egress_buttons (expires_at);
  create table egress_conversations (key text primary key, reference jsonb not null);
  create table egress_progress (run_id text primary key, message_id text not null);
  create table egress_running (key text primary key, record jsonb not null, started_at text not null);
  create table egress_audit (
    seq bigint primary key,
    id text not null unique,
    platform text not null,
    "user" text,
    channel text,
    thread text,
    command text not null,
    runbook text,
    outcome text not null,
    digest text,
    started_at text not null,
    finished_at text not null,
    previous_hash text not null,
    hash text not null
  );
  create index egress_audit_started on egress_audit (started_at);
  `,
  `
  create table egress_rate_hits (key text not null, at bigint not null);
  create index egress_rate_hits_key on egress_rate_hits (key, at);
  create table egress_bundles (run_id text primary key, bundle jsonb not null, expires_at bigint not null);
  create index egress_bundles_expires on egress_bundles (expires_at);
  create table egress_shared_keys (name text primary key, value text not null);
  `,
  `
  create table egress_partner_handovers (
    id text primary key, partner_key text not null, handed_at text not null, seq bigserial, body jsonb not null
  );
  create index egress_partner_handovers_partner on egress_partner_handovers (partner_key, handed_at);
  create table egress_snapshots (
    cluster_key text not null, taken_at text not null, seq bigserial, body jsonb not null
  );
  create index egress_snapshots_cluster on egress_snapshots (cluster_key, taken_at);
  `,
];

/**
 * The advisory lock keys: migrations, appends to the audit chain (one writer at a time, across
 * replicas), and rate decisions (a two-key lock: this class, and the rate key's hash).
 */
export const advisoryLocks = { migrations: 0x6567_7201, auditChain: 0x6567_7202, rateKeys: 0x6567_7203 } as const;

/** Applies the migrations a database lacks; returns how many it applied. */
export async function migratePostgres(client: PoolClient): Promise<number> {
  await client.query("begin");
  try {
    await client.query("select pg_advisory_xact_lock($1)", [advisoryLocks.migrations]);
    await client.query(
      "create table if not exists egress_schema_migrations (version integer primary key, applied_at timestamptz not null default now())",
    );
    const { rows } = await client.query<{ version: number }>(
      "select coalesce(max(version), 0) as version from egress_schema_migrations",
    );
    const current = Number(rows[0]?.version ?? 0);
    const pending = postgresMigrations.slice(current);
    for (const [index, sql] of pending.entries()) {
      await client.query(sql);
      await client.query("insert into egress_schema_migrations (version) values ($1)", [current + index + 1]);
    }
    await client.query("commit");
    return pending.length;
  } catch (error) {
    await client.query("rollback");
    throw error;
  }
}
