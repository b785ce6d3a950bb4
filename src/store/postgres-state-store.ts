import { randomBytes } from "node:crypto";
import pg from "pg";
import { auditColumns, auditRecordOfRow, auditRowValues, type AuditRow } from "./audit-row.js";
import { genesisHash } from "../core/audit/audit-chain.js";
import type {
  EgressSnapshot,
  LedgerEntry,
  PartnerHandover,
  RateDecision,
  RunningRecord,
  StateStore,
} from "../core/ports/state-store.js";
import { advisoryLocks, migratePostgres } from "./postgres-migrations.js";

/** How the bot reaches PostgreSQL. */
export interface PostgresOptions {
  /** `EGRESS_DATABASE_URL`: postgres://user@host:5432/db?sslmode=require … */
  readonly connectionString: string;
  /** Connections kept at most (per replica). @default 10 */
  readonly maxConnections?: number;
  /**
   * A password per connection, for Microsoft Entra authentication to Azure Database for PostgreSQL
   * (a token from `@azure/identity`, refreshed as it expires); the URL's password otherwise.
   */
  readonly password?: () => Promise<string>;
  /** TLS settings beyond the URL's `sslmode` (a CA bundle, for example). */
  readonly ssl?: pg.ConnectionConfig["ssl"];
}

/** How often expired dedupe keys and buttons are pruned (on the next write after it). */
const pruneIntervalInMs = 60_000;

/**
 * The state store on PostgreSQL (`pg`, a bounded pool): what several replicas share, so a Slack retry
 * or a Teams resend landing on another replica is deduplicated, a button posted by one works on
 * another, and the audit is one chain. Migrations are applied on open under an advisory lock; audit
 * appends take a transaction-scoped advisory lock, so the chain has one writer at a time.
 */
export async function openPostgresStateStore(options: PostgresOptions): Promise<StateStore> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    ...(options.password ? { password: options.password } : {}),
    ...(options.ssl !== undefined ? { ssl: options.ssl } : {}),
  });
  // An idle client's error (the server restarted) must not crash the process: the pool replaces it.
  pool.on("error", () => undefined);
  const client = await pool.connect();
  try {
    await migratePostgres(client);
  } finally {
    client.release();
  }

  let prunedAt = Number.NEGATIVE_INFINITY;
  const prune = async (nowMs: number): Promise<void> => {
    if (nowMs - prunedAt < pruneIntervalInMs) return;
    prunedAt = nowMs;
    await pool.query("delete from egress_dedupe where expires_at <= $1", [nowMs]);
    // Expired buttons are kept a day so a late click hears "expired" rather than "unknown".
    await pool.query("delete from egress_buttons where expires_at <= $1", [nowMs - 86_400_000]);
    await pool.query("delete from egress_bundles where expires_at <= $1", [nowMs]);
    // No rate window is longer than a day.
    await pool.query("delete from egress_rate_hits where at <= $1", [nowMs - 86_400_000]);
  };
  /** Runs `work` in one transaction on one connection. */
  const inTransaction = async <T>(work: (connection: pg.PoolClient) => Promise<T>): Promise<T> => {
    const connection = await pool.connect();
    try {
      await connection.query("begin");
      const result = await work(connection);
      await connection.query("commit");
      return result;
    } catch (error) {
      await connection.query("rollback").catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
  };

  return {
    shared: true,
    async claimOnce(key, nowMs, ttlInMs) {
      await prune(nowMs);
      // A new key is inserted; a key whose time is up is taken again; a live one is not touched.
      const { rowCount } = await pool.query(
        `insert into egress_dedupe (key, expires_at) values ($1, $2)
         on conflict (key) do update set expires_at = excluded.expires_at where egress_dedupe.expires_at <= $3`,
        [key, nowMs + ttlInMs, nowMs],
      );
      return rowCount === 1;
    },
    async putButton(key, context, nowMs, ttlInMs) {
      await prune(nowMs);
      await pool.query(
        `insert into egress_buttons (key, context, expires_at) values ($1, $2, $3)
         on conflict (key) do update set context = excluded.context, expires_at = excluded.expires_at`,
        [key, JSON.stringify(context), nowMs + ttlInMs],
      );
    },
    async getButton(key, nowMs) {
      const { rows } = await pool.query<{ context: unknown; expires_at: string }>(
        "select context, expires_at from egress_buttons where key = $1",
        [key],
      );
      const row = rows[0];
      if (!row) return { kind: "missing" };
      if (Number(row.expires_at) <= nowMs) return { kind: "expired" };
      return { kind: "found", context: row.context as never };
    },
    async putConversation(key, reference) {
      await pool.query(
        `insert into egress_conversations (key, reference) values ($1, $2)
         on conflict (key) do update set reference = excluded.reference`,
        [key, JSON.stringify(reference)],
      );
    },
    async getConversation(key) {
      const { rows } = await pool.query<{ reference: unknown }>(
        "select reference from egress_conversations where key = $1",
        [key],
      );
      return rows[0]?.reference;
    },
    async putProgressMessage(runId, messageId) {
      await pool.query(
        `insert into egress_progress (run_id, message_id) values ($1, $2)
         on conflict (run_id) do update set message_id = excluded.message_id`,
        [runId, messageId],
      );
    },
    async getProgressMessage(runId) {
      const { rows } = await pool.query<{ message_id: string }>(
        "select message_id from egress_progress where run_id = $1",
        [runId],
      );
      return rows[0]?.message_id ?? null;
    },
    async startRun(record: RunningRecord) {
      await pool.query(
        `insert into egress_running (key, record, started_at) values ($1, $2, $3)
         on conflict (key) do update set record = excluded.record`,
        [record.key, JSON.stringify(record), record.startedAt],
      );
    },
    async startRunOnce(record: RunningRecord) {
      const result = await pool.query(
        "insert into egress_running (key, record, started_at) values ($1, $2, $3) on conflict (key) do nothing",
        [record.key, JSON.stringify(record), record.startedAt],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async finishRun(key) {
      await pool.query("delete from egress_running where key = $1", [key]);
    },
    async unfinishedRuns() {
      const { rows } = await pool.query<{ record: RunningRecord }>(
        "select record from egress_running order by started_at",
      );
      return rows.map((row) => row.record);
    },
    async getRun(key) {
      const { rows } = await pool.query<{ record: RunningRecord }>("select record from egress_running where key = $1", [
        key,
      ]);
      return rows[0]?.record ?? null;
    },
    async recordAudit(record) {
      await inTransaction(async (connection) => {
        // One appender at a time across replicas: the head read and the append are one step.
        await connection.query("select pg_advisory_xact_lock($1)", [advisoryLocks.auditChain]);
        const head = await connection.query<{ seq: string; hash: string }>(
          "select seq, hash from egress_audit order by seq desc limit 1",
        );
        const previous = { seq: Number(head.rows[0]?.seq ?? 0), hash: head.rows[0]?.hash ?? genesisHash };
        await connection.query(
          `insert into egress_audit (${auditColumns})
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          auditRowValues(record, previous),
        );
      });
    },
    async listAudit(sinceMs, limit = 1000) {
      const { rows } = await pool.query<AuditRow>(
        "select * from egress_audit where started_at >= $1 order by started_at desc, seq desc limit $2",
        [new Date(sinceMs).toISOString(), limit],
      );
      return rows.map(auditRecordOfRow);
    },
    async listLedger(afterSeq = 0, limit = 10_000) {
      const { rows } = await pool.query<AuditRow>("select * from egress_audit where seq > $1 order by seq limit $2", [
        afterSeq,
        limit,
      ]);
      return rows.map((row): LedgerEntry => ({
        seq: Number(row.seq),
        record: auditRecordOfRow(row),
        previousHash: String(row.previous_hash),
        hash: String(row.hash),
      }));
    },
    async takeRate(key, nowMs, limit) {
      await prune(nowMs);
      return inTransaction(async (connection): Promise<RateDecision> => {
        // One decision at a time per key, across replicas: the count and the hit are one step.
        await connection.query("select pg_advisory_xact_lock($1, hashtext($2))", [advisoryLocks.rateKeys, key]);
        const { rows } = await connection.query<{ at: string }>(
          "select at from egress_rate_hits where key = $1 and at > $2 order by at",
          [key, nowMs - limit.perInMs],
        );
        if (rows.length >= limit.count)
          return { allowed: false, retryInMs: Number(rows[0]?.at ?? nowMs) + limit.perInMs - nowMs };
        await connection.query("insert into egress_rate_hits (key, at) values ($1, $2)", [key, nowMs]);
        return { allowed: true };
      });
    },
    async putBundle(runId, bundle, nowMs, ttlInMs) {
      await prune(nowMs);
      await pool.query(
        `insert into egress_bundles (run_id, bundle, expires_at) values ($1, $2, $3)
         on conflict (run_id) do update set bundle = excluded.bundle, expires_at = excluded.expires_at`,
        [runId, JSON.stringify(bundle), nowMs + ttlInMs],
      );
    },
    async getBundle(runId, nowMs) {
      const { rows } = await pool.query<{ bundle: unknown }>(
        "select bundle from egress_bundles where run_id = $1 and expires_at > $2",
        [runId, nowMs],
      );
      return rows[0]?.bundle;
    },
    async sharedKey(name) {
      await pool.query("insert into egress_shared_keys (name, value) values ($1, $2) on conflict (name) do nothing", [
        name,
        randomBytes(32).toString("base64url"),
      ]);
      const { rows } = await pool.query<{ value: string }>("select value from egress_shared_keys where name = $1", [
        name,
      ]);
      return String(rows[0]?.value);
    },
    async recordHandover(handover) {
      await pool.query(
        "insert into egress_partner_handovers (id, partner_key, handed_at, body) values ($1, $2, $3, $4)",
        [handover.id, handover.partnerKey, handover.handedAt, JSON.stringify(handover)],
      );
    },
    async listHandovers(partnerKey) {
      const { rows } = await pool.query<{ body: PartnerHandover }>(
        partnerKey === undefined
          ? "select body from egress_partner_handovers order by handed_at desc, seq desc"
          : "select body from egress_partner_handovers where partner_key = $1 order by handed_at desc, seq desc",
        partnerKey === undefined ? [] : [partnerKey],
      );
      return rows.map((row) => row.body);
    },
    async putSnapshot(snapshot) {
      await pool.query("insert into egress_snapshots (cluster_key, taken_at, body) values ($1, $2, $3)", [
        snapshot.clusterId.toLowerCase(),
        snapshot.takenAt,
        JSON.stringify(snapshot),
      ]);
    },
    async latestSnapshots() {
      const { rows } = await pool.query<{ body: EgressSnapshot }>(
        "select distinct on (cluster_key) body from egress_snapshots order by cluster_key, taken_at desc, seq desc",
      );
      return rows.map((row) => row.body);
    },
    async listSnapshots(clusterId, limit = 50) {
      const { rows } = await pool.query<{ body: EgressSnapshot }>(
        "select body from egress_snapshots where cluster_key = $1 order by taken_at desc, seq desc limit $2",
        [clusterId.toLowerCase(), limit],
      );
      return rows.map((row) => row.body);
    },
    async close() {
      await pool.end();
    },
  };
}
