import { auditHash } from "../core/audit/audit-chain.js";
import type { AuditRecord } from "../core/ports/state-store.js";

/** An audit table row as both stores keep it (the same column names in SQLite and PostgreSQL). */
export type AuditRow = Record<string, string | number | null>;

/** The audit record a row holds. */
export function auditRecordOfRow(row: AuditRow): AuditRecord {
  const text = (value: string | number | null | undefined): string | null =>
    value === null || value === undefined ? null : String(value);
  return {
    id: String(row.id),
    platform: String(row.platform) as AuditRecord["platform"],
    user: text(row.user),
    channel: text(row.channel),
    thread: text(row.thread),
    command: String(row.command),
    runbook: text(row.runbook),
    outcome: String(row.outcome),
    digest: text(row.digest),
    startedAt: String(row.started_at),
    finishedAt: String(row.finished_at),
  };
}

/**
 * The columns an appended audit row is written with, in this order (both stores' insert statements).
 * `"user"` is quoted: a reserved word in PostgreSQL, and a quoted identifier in SQLite alike.
 */
export const auditColumns =
  'id, platform, "user", channel, thread, command, runbook, outcome, digest, started_at, finished_at, seq, previous_hash, hash';

/** The values of {@link auditColumns} for a record appended after `previous` (its seq and hash). */
export function auditRowValues(
  record: AuditRecord,
  previous: { seq: number; hash: string },
): (string | number | null)[] {
  return [
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
    previous.seq + 1,
    previous.hash,
    auditHash(previous.hash, record),
  ];
}
