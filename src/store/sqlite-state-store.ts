import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { AuditRecord, ButtonContext, ButtonLookup, RunningRecord, StateStore } from "../core/ports/state-store.js";

const schema = `
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
`;

/** How often expired dedupe keys and buttons are pruned (on the next write after it). */
export const pruneIntervalInMs = 60_000;

/**
 * The embedded state store on `node:sqlite` (built into Node 24): one file under the state directory,
 * or in memory (`":memory:"`) for tests. WAL with `synchronous = NORMAL` (a crash of the process
 * loses nothing; a power cut may lose the last writes: dedupe keys and buttons, never evidence);
 * expiry columns are indexed and expired rows pruned at most once a minute, so a write costs the
 * same with 150,000 buttons kept as with none.
 */
export function openSqliteStateStore(directory: string): StateStore {
  let location = ":memory:";
  if (directory !== ":memory:") {
    mkdirSync(directory, { recursive: true });
    location = join(directory, "egress-state.db");
  }
  const db = new DatabaseSync(location);
  db.exec("pragma journal_mode = wal; pragma synchronous = normal; pragma busy_timeout = 2000;");
  db.exec(schema);
  const statements = {
    sweepDedupe: db.prepare("delete from dedupe where expires_at <= ?"),
    claim: db.prepare("insert into dedupe (key, expires_at) values (?, ?) on conflict (key) do nothing"),
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
    audit: db.prepare("insert into audit values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
    listAudit: db.prepare("select * from audit where started_at >= ? order by started_at desc limit ?"),
  };
  let prunedAt = Number.NEGATIVE_INFINITY;
  const prune = (nowMs: number): void => {
    if (nowMs - prunedAt < pruneIntervalInMs) return;
    prunedAt = nowMs;
    statements.sweepDedupe.run(nowMs);
    // Expired buttons are kept a day so a late click hears "expired" rather than "unknown".
    statements.sweepButtons.run(nowMs - 86_400_000);
  };
  const claimedAt = db.prepare("select expires_at from dedupe where key = ?");
  const runningStatements = {
    start: db.prepare(
      "insert into running (key, record, started_at) values (?, ?, ?) on conflict (key) do update set record = excluded.record",
    ),
    finish: db.prepare("delete from running where key = ?"),
    list: db.prepare("select record from running order by started_at"),
  };
  return {
    claimOnce(key, nowMs, ttlInMs) {
      prune(nowMs);
      // A key whose time is up (not yet pruned) can be claimed again.
      const held = claimedAt.get(key) as { expires_at: number } | undefined;
      if (held && held.expires_at <= nowMs) statements.sweepDedupe.run(nowMs);
      return Number(statements.claim.run(key, nowMs + ttlInMs).changes) === 1;
    },
    putButton(key, context: ButtonContext, nowMs, ttlInMs) {
      prune(nowMs);
      statements.putButton.run(key, JSON.stringify(context), nowMs + ttlInMs);
    },
    getButton(key, nowMs): ButtonLookup {
      const row = statements.getButton.get(key) as { context: string; expires_at: number } | undefined;
      if (!row) return { kind: "missing" };
      if (row.expires_at <= nowMs) return { kind: "expired" };
      return { kind: "found", context: JSON.parse(row.context) as ButtonContext };
    },
    putConversation(key, reference) {
      statements.putConversation.run(key, JSON.stringify(reference));
    },
    getConversation(key) {
      const row = statements.getConversation.get(key) as { reference: string } | undefined;
      return row ? (JSON.parse(row.reference) as unknown) : undefined;
    },
    putProgressMessage(runId, messageId) {
      statements.putProgress.run(runId, messageId);
    },
    getProgressMessage(runId) {
      const row = statements.getProgress.get(runId) as { message_id: string } | undefined;
      return row?.message_id ?? null;
    },
    startRun(record: RunningRecord) {
      runningStatements.start.run(record.key, JSON.stringify(record), record.startedAt);
    },
    finishRun(key) {
      runningStatements.finish.run(key);
    },
    unfinishedRuns() {
      return (runningStatements.list.all() as { record: string }[]).map(
        (row) => JSON.parse(row.record) as RunningRecord,
      );
    },
    recordAudit(record: AuditRecord) {
      statements.audit.run(
        record.id,
        record.platform,
        record.user,
        record.channel,
        record.thread,
        record.command,
        record.runbook,
        record.outcome,
        record.digest,
        record.startedAt,
        record.finishedAt,
      );
    },
    listAudit(sinceMs, limit = 1000) {
      const rows = statements.listAudit.all(new Date(sinceMs).toISOString(), limit) as Record<string, string | null>[];
      return rows.map((row) => ({
        id: String(row.id),
        platform: String(row.platform) as AuditRecord["platform"],
        user: row.user ?? null,
        channel: row.channel ?? null,
        thread: row.thread ?? null,
        command: String(row.command),
        runbook: row.runbook ?? null,
        outcome: String(row.outcome),
        digest: row.digest ?? null,
        startedAt: String(row.started_at),
        finishedAt: String(row.finished_at),
      }));
    },
    close() {
      db.close();
    },
  };
}
