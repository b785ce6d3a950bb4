import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { auditColumns, auditRecordOfRow, auditRowValues, type AuditRow } from "./audit-row.js";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { auditHash, genesisHash } from "../core/audit/audit-chain.js";
import type {
  AuditRecord,
  ButtonContext,
  ButtonLookup,
  EgressSnapshot,
  LedgerEntry,
  PartnerHandover,
  RateDecision,
  RunningRecord,
  StateStore,
} from "../core/ports/state-store.js";

/**
 * The schema, version by version (`pragma user_version` says how far a file is): a file an older
 * release wrote is brought up to date on open, its audit records chained in the order they were written.
 */
const migrations: readonly ((db: DatabaseSync) => void)[] = [
  (db) =>
    db.exec(`
      create table if not exists dedupe (key text primary key, expires_at integer not null);
      create table if not exists buttons (key text primary key, context text not null, expires_at integer not null);
      create table if not exists conversations (key text primary key, reference text not null);
      create table if not exists progress (run_id text primary key, message_id text not null);
      create table if not exists audit (
        id text primary key, platform text not null, user text, channel text, thread text, command text not null,
        runbook text, outcome text not null, digest text, started_at text not null, finished_at text not null);
      create index if not exists audit_started on audit (started_at);
      create table if not exists running (key text primary key, record text not null, started_at text not null);
      create index if not exists dedupe_expires on dedupe (expires_at);
      create index if not exists buttons_expires on buttons (expires_at);
    `),
  (db) => {
    db.exec(`
      alter table audit add column seq integer;
      alter table audit add column previous_hash text;
      alter table audit add column hash text;
    `);
    // Records written before the ledger are chained in the order they were written.
    let previous = genesisHash;
    let seq = 0;
    const update = db.prepare("update audit set seq = ?, previous_hash = ?, hash = ? where id = ?");
    for (const row of db.prepare("select * from audit order by rowid").all() as Record<string, string | null>[]) {
      const hash = auditHash(previous, auditRecordOfRow(row));
      update.run(++seq, previous, hash, String(row.id));
      previous = hash;
    }
    db.exec("create unique index audit_seq on audit (seq)");
  },
  (db) =>
    db.exec(`
      create table rate_hits (key text not null, at integer not null);
      create index rate_hits_key on rate_hits (key, at);
      create table bundles (run_id text primary key, bundle text not null, expires_at integer not null);
      create index bundles_expires on bundles (expires_at);
      create table shared_keys (name text primary key, value text not null);
    `),
  (db) =>
    db.exec(`
      create table partner_handovers (id text primary key, partner_key text not null, handed_at text not null, body text not null);
      create index partner_handovers_partner on partner_handovers (partner_key, handed_at);
      create table snapshots (cluster_key text not null, taken_at text not null, body text not null);
      create index snapshots_cluster on snapshots (cluster_key, taken_at);
    `),
];

/** How often expired dedupe keys and buttons are pruned (on the next write after it). */
export const pruneIntervalInMs = 60_000;

/**
 * The embedded state store on `node:sqlite` (built into Node 24): one file under the state directory,
 * or in memory (`":memory:"`) for tests. WAL with `synchronous = NORMAL` (a crash of the process
 * loses nothing; a power cut may lose the last writes: dedupe keys and buttons, never evidence);
 * expiry columns are indexed and expired rows pruned at most once a minute, so a write costs the
 * same with 150,000 buttons kept as with none. One process uses a file: the embedded store is the
 * single-replica deployment (PostgreSQL serves several).
 */
export function openSqliteStateStore(directory: string): StateStore {
  let location = ":memory:";
  if (directory !== ":memory:") {
    mkdirSync(directory, { recursive: true });
    location = join(directory, "egress-state.db");
  }
  const db = new DatabaseSync(location);
  db.exec("pragma journal_mode = wal; pragma synchronous = normal; pragma busy_timeout = 2000;");
  const version = Number((db.prepare("pragma user_version").get() as { user_version: number }).user_version);
  migrations.slice(version).forEach((migrate, index) => {
    db.exec("begin immediate");
    try {
      migrate(db);
      db.exec(`pragma user_version = ${version + index + 1}`);
      db.exec("commit");
    } catch (error) {
      db.exec("rollback");
      throw error;
    }
  });
  const statements = {
    sweepDedupe: db.prepare("delete from dedupe where expires_at <= ?"),
    claim: db.prepare("insert into dedupe (key, expires_at) values (?, ?) on conflict (key) do nothing"),
    claimedAt: db.prepare("select expires_at from dedupe where key = ?"),
    sweepButtons: db.prepare("delete from buttons where expires_at <= ?"),
    putButton: db.prepare(
      "insert into buttons (key, context, expires_at) values (?, ?, ?) on conflict (key) do update set context = excluded.context, expires_at = excluded.expires_at",
    ),
    getButton: db.prepare("select context, expires_at from buttons where key = ?"),
    putConversation: db.prepare(
      "insert into conversations (key, reference) values (?, ?) on conflict (key) do update set reference = excluded.reference",
    ),
    getConversation: db.prepare("select reference from conversations where key = ?"),
    putProgress: db.prepare(
      "insert into progress (run_id, message_id) values (?, ?) on conflict (run_id) do update set message_id = excluded.message_id",
    ),
    getProgress: db.prepare("select message_id from progress where run_id = ?"),
    chainHead: db.prepare("select seq, hash from audit where seq is not null order by seq desc limit 1"),
    audit: db.prepare(`insert into audit (${auditColumns}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    listAudit: db.prepare("select * from audit where started_at >= ? order by started_at desc limit ?"),
    listLedger: db.prepare("select * from audit where seq > ? order by seq limit ?"),
    startRun: db.prepare(
      "insert into running (key, record, started_at) values (?, ?, ?) on conflict (key) do update set record = excluded.record",
    ),
    startRunOnce: db.prepare(
      "insert into running (key, record, started_at) values (?, ?, ?) on conflict (key) do nothing",
    ),
    finishRun: db.prepare("delete from running where key = ?"),
    listRunning: db.prepare("select record from running order by started_at"),
    getRunning: db.prepare("select record from running where key = ?"),
    rateHits: db.prepare("select at from rate_hits where key = ? and at > ? order by at"),
    rateHit: db.prepare("insert into rate_hits (key, at) values (?, ?)"),
    sweepRates: db.prepare("delete from rate_hits where at <= ?"),
    putBundle: db.prepare(
      "insert into bundles (run_id, bundle, expires_at) values (?, ?, ?) on conflict (run_id) do update set bundle = excluded.bundle, expires_at = excluded.expires_at",
    ),
    getBundle: db.prepare("select bundle, expires_at from bundles where run_id = ?"),
    sweepBundles: db.prepare("delete from bundles where expires_at <= ?"),
    makeKey: db.prepare("insert into shared_keys (name, value) values (?, ?) on conflict (name) do nothing"),
    getKey: db.prepare("select value from shared_keys where name = ?"),
    putHandover: db.prepare("insert into partner_handovers (id, partner_key, handed_at, body) values (?, ?, ?, ?)"),
    allHandovers: db.prepare("select body from partner_handovers order by handed_at desc, rowid desc"),
    partnerHandovers: db.prepare(
      "select body from partner_handovers where partner_key = ? order by handed_at desc, rowid desc",
    ),
    putSnapshot: db.prepare("insert into snapshots (cluster_key, taken_at, body) values (?, ?, ?)"),
    latestSnapshots: db.prepare(
      "select body from snapshots s where rowid = (select rowid from snapshots t where t.cluster_key = s.cluster_key order by taken_at desc, rowid desc limit 1)",
    ),
    clusterSnapshots: db.prepare(
      "select body from snapshots where cluster_key = ? order by taken_at desc, rowid desc limit ?",
    ),
  };
  const bodies = <T>(rows: unknown[]): T[] => rows.map((row) => JSON.parse((row as { body: string }).body) as T);
  let prunedAt = Number.NEGATIVE_INFINITY;
  const prune = (nowMs: number): void => {
    if (nowMs - prunedAt < pruneIntervalInMs) return;
    prunedAt = nowMs;
    statements.sweepDedupe.run(nowMs);
    // Expired buttons are kept a day so a late click hears "expired" rather than "unknown".
    statements.sweepButtons.run(nowMs - 86_400_000);
    statements.sweepBundles.run(nowMs);
    // No rate window is longer than a day.
    statements.sweepRates.run(nowMs - 86_400_000);
  };
  // node:sqlite is synchronous: each answer is ready at once, handed over as a settled promise.
  const now = <T>(work: () => T): Promise<T> => {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };
  return {
    shared: false,
    claimOnce: (key, nowMs, ttlInMs) =>
      now(() => {
        prune(nowMs);
        // A key whose time is up (not yet pruned) can be claimed again.
        const held = statements.claimedAt.get(key) as { expires_at: number } | undefined;
        if (held && held.expires_at <= nowMs) statements.sweepDedupe.run(nowMs);
        return Number(statements.claim.run(key, nowMs + ttlInMs).changes) === 1;
      }),
    putButton: (key, context: ButtonContext, nowMs, ttlInMs) =>
      now(() => {
        prune(nowMs);
        statements.putButton.run(key, JSON.stringify(context), nowMs + ttlInMs);
      }),
    getButton: (key, nowMs) =>
      now((): ButtonLookup => {
        const row = statements.getButton.get(key) as { context: string; expires_at: number } | undefined;
        if (!row) return { kind: "missing" };
        if (row.expires_at <= nowMs) return { kind: "expired" };
        return { kind: "found", context: JSON.parse(row.context) as ButtonContext };
      }),
    putConversation: (key, reference) => now(() => void statements.putConversation.run(key, JSON.stringify(reference))),
    getConversation: (key) =>
      now(() => {
        const row = statements.getConversation.get(key) as { reference: string } | undefined;
        return row ? (JSON.parse(row.reference) as unknown) : undefined;
      }),
    putProgressMessage: (runId, messageId) => now(() => void statements.putProgress.run(runId, messageId)),
    getProgressMessage: (runId) =>
      now(() => (statements.getProgress.get(runId) as { message_id: string } | undefined)?.message_id ?? null),
    startRun: (record: RunningRecord) =>
      now(() => void statements.startRun.run(record.key, JSON.stringify(record), record.startedAt)),
    finishRun: (key) => now(() => void statements.finishRun.run(key)),
    unfinishedRuns: () =>
      now(() =>
        (statements.listRunning.all() as { record: string }[]).map((row) => JSON.parse(row.record) as RunningRecord),
      ),
    startRunOnce: (record: RunningRecord) =>
      now(() => statements.startRunOnce.run(record.key, JSON.stringify(record), record.startedAt).changes > 0),
    getRun: (key) =>
      now(() => {
        const row = statements.getRunning.get(key) as { record: string } | undefined;
        return row ? (JSON.parse(row.record) as RunningRecord) : null;
      }),
    recordAudit: (record: AuditRecord) =>
      now(() => {
        // One transaction: the head read and the append cannot interleave with another writer's.
        db.exec("begin immediate");
        try {
          const head = statements.chainHead.get() as { seq: number; hash: string } | undefined;
          statements.audit.run(...auditRowValues(record, head ?? { seq: 0, hash: genesisHash }));
          db.exec("commit");
        } catch (error) {
          db.exec("rollback");
          throw error;
        }
      }),
    listAudit: (sinceMs, limit = 1000) =>
      now(() => (statements.listAudit.all(new Date(sinceMs).toISOString(), limit) as AuditRow[]).map(auditRecordOfRow)),
    listLedger: (afterSeq = 0, limit = 10_000) =>
      now(() =>
        (statements.listLedger.all(afterSeq, limit) as AuditRow[]).map((row): LedgerEntry => ({
          seq: Number(row.seq),
          record: auditRecordOfRow(row),
          previousHash: String(row.previous_hash),
          hash: String(row.hash),
        })),
      ),
    takeRate: (key, nowMs, limit) =>
      now((): RateDecision => {
        prune(nowMs);
        const hits = statements.rateHits.all(key, nowMs - limit.perInMs) as { at: number }[];
        if (hits.length >= limit.count)
          return { allowed: false, retryInMs: (hits[0]?.at ?? nowMs) + limit.perInMs - nowMs };
        statements.rateHit.run(key, nowMs);
        return { allowed: true };
      }),
    putBundle: (runId, bundle, nowMs, ttlInMs) =>
      now(() => {
        prune(nowMs);
        statements.putBundle.run(runId, JSON.stringify(bundle), nowMs + ttlInMs);
      }),
    getBundle: (runId, nowMs) =>
      now(() => {
        const row = statements.getBundle.get(runId) as { bundle: string; expires_at: number } | undefined;
        return row && row.expires_at > nowMs ? (JSON.parse(row.bundle) as unknown) : undefined;
      }),
    sharedKey: (name) =>
      now(() => {
        statements.makeKey.run(name, randomBytes(32).toString("base64url"));
        return String((statements.getKey.get(name) as { value: string }).value);
      }),
    recordHandover: (handover) =>
      now(() => {
        statements.putHandover.run(handover.id, handover.partnerKey, handover.handedAt, JSON.stringify(handover));
      }),
    listHandovers: (partnerKey) =>
      now(() =>
        bodies<PartnerHandover>(
          partnerKey === undefined ? statements.allHandovers.all() : statements.partnerHandovers.all(partnerKey),
        ),
      ),
    putSnapshot: (snapshot) =>
      now(() => {
        statements.putSnapshot.run(snapshot.clusterId.toLowerCase(), snapshot.takenAt, JSON.stringify(snapshot));
      }),
    latestSnapshots: () => now(() => bodies<EgressSnapshot>(statements.latestSnapshots.all())),
    listSnapshots: (clusterId, limit = 50) =>
      now(() => bodies<EgressSnapshot>(statements.clusterSnapshots.all(clusterId.toLowerCase(), limit))),
    close: () => now(() => db.close()),
  };
}
