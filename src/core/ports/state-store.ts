import type { EgressSnapshot } from "../drift/egress-snapshot.js";
import type { PartnerHandover } from "../partners/partner-handover.js";
import type { Requester } from "../auth/policy.js";

export type { EgressSnapshot, PartnerHandover };

/** One command, as the audit keeps it. */
export interface AuditRecord {
  readonly id: string;
  readonly platform: "slack" | "teams" | "cli" | "console";
  readonly user: string | null;
  readonly channel: string | null;
  readonly thread: string | null;
  /** The command line as the grammar normalised it (never raw user text). */
  readonly command: string;
  readonly runbook: string | null;
  /** `succeeded`, `partial`, `failed`, `refused` (usage, authorization, rate limit) or `interrupted`. */
  readonly outcome: string;
  readonly digest: string | null;
  readonly startedAt: string;
  readonly finishedAt: string;
}

/** A button's context, stored server-side so the button carries only a short key. */
export interface ButtonContext {
  readonly command: string;
  readonly platform: "slack" | "teams" | "console";
  readonly channel: string | null;
  readonly thread: string | null;
  readonly requestedBy: string | null;
}

/** A chat run in progress, kept until it ends so a restart after a crash can tell its thread. */
export interface RunningRecord {
  readonly key: string;
  readonly platform: "slack" | "teams" | "console" | "cli";
  readonly user: string | null;
  readonly channel: string | null;
  readonly thread: string | null;
  /** The command line as the grammar normalised it. */
  readonly command: string;
  readonly runbook: string | null;
  readonly startedAt: string;
  /**
   * When the replica running it last said it still was (every minute, on a shared store): a run whose
   * heartbeat stopped belongs to a replica that died. Absent: its start.
   */
  readonly heartbeatAt?: string;
  /**
   * Who asked, as the adapter saw them (groups included): kept so a run resumed on another replica
   * runs for the same requester. Absent on records written before the run queue.
   */
  readonly requester?: Requester;
  /** The progress message the run opened (Slack's `ts`, Teams' activity ID), edited by a resumed run. */
  readonly progressMessage?: string | null;
  /**
   * Set once a queued run's final answer has its first message in the thread: a replica that takes
   * the run over after that does not answer again (one answer, even if its files were cut short).
   */
  readonly answered?: boolean;
  /**
   * A queued command as its platform accepted it (what was typed, and what the platform needs to
   * answer it on any replica). Never shown: replies show `command`.
   */
  readonly intake?: unknown;
}

/** What a stored button key gives back. */
export type ButtonLookup =
  | { readonly kind: "found"; readonly context: ButtonContext }
  | { readonly kind: "expired" }
  | { readonly kind: "missing" };

/** An audit record as the ledger keeps it: its place in the chain and the hashes that bind it. */
export interface LedgerEntry {
  /** 1, 2, 3 … in the order the records were written. */
  readonly seq: number;
  readonly record: AuditRecord;
  /** The previous entry's hash (64 zeros for the first). */
  readonly previousHash: string;
  /** SHA-256 over the previous hash and the record (`src/core/audit/audit-chain.ts`). */
  readonly hash: string;
}

/** A rate limit: at most `count` commands in any `perInMs` window. */
export interface RateWindow {
  readonly count: number;
  readonly perInMs: number;
}

/** Whether a command may run now under a rate limit, and if not, when it may. */
export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryInMs: number };

/**
 * State that must survive a restart and be shared by replicas: dedupe keys, button contexts,
 * conversation references, progress message IDs, runs in progress, and the audit of every command,
 * a hash chain written record by record. Times are passed in (the store has no clock). Every method
 * is asynchronous: the embedded store answers at once, PostgreSQL over the network.
 */
export interface StateStore {
  /**
   * True when several processes share the state (PostgreSQL): an unfinished run may then belong to a
   * live replica, and is taken for interrupted only once its heartbeat has stopped.
   */
  readonly shared: boolean;
  /** True the first time a key is claimed within `ttlInMs`; false for a duplicate (a retried event). */
  claimOnce(key: string, nowMs: number, ttlInMs: number): Promise<boolean>;
  putButton(key: string, context: ButtonContext, nowMs: number, ttlInMs: number): Promise<void>;
  getButton(key: string, nowMs: number): Promise<ButtonLookup>;
  putConversation(key: string, reference: unknown): Promise<void>;
  getConversation(key: string): Promise<unknown>;
  putProgressMessage(runId: string, messageId: string): Promise<void>;
  getProgressMessage(runId: string): Promise<string | null>;
  /** Appends a record to the audit chain: its hash binds it to the one before, in the same transaction. */
  recordAudit(record: AuditRecord): Promise<void>;
  /**
   * Notes a chat run as started; `finishRun` when it ends, however it ends. Noting the same key again
   * replaces the record: how a run keeps the thread it opened after it started.
   */
  startRun(record: RunningRecord): Promise<void>;
  /** Notes a run unless one with its key is noted already (one step); true when it was noted now. */
  startRunOnce(record: RunningRecord): Promise<boolean>;
  finishRun(key: string): Promise<void>;
  /** Runs started and never finished: a crash or kill -9 left them, oldest first. */
  unfinishedRuns(): Promise<RunningRecord[]>;
  /** One unfinished run, or null once it finished (answered, or reported interrupted). */
  getRun(key: string): Promise<RunningRecord | null>;
  /** Audit records that started at or after `sinceMs`, newest first. */
  listAudit(sinceMs: number, limit?: number): Promise<AuditRecord[]>;
  /** The audit chain in write order, from `afterSeq` (exclusive), at most `limit` entries. */
  listLedger(afterSeq?: number, limit?: number): Promise<LedgerEntry[]>;
  /**
   * Counts a command against a rate limit (a sliding window per key), across every replica sharing
   * the store: refused commands are not counted, and a refusal says when the oldest hit leaves the window.
   */
  takeRate(key: string, nowMs: number, limit: RateWindow): Promise<RateDecision>;
  /** Keeps an evidence bundle (as JSON) for its download link, until `nowMs + ttlInMs`. */
  putBundle(runId: string, bundle: unknown, nowMs: number, ttlInMs: number): Promise<void>;
  /** A kept bundle, or undefined once it is gone or expired. */
  getBundle(runId: string, nowMs: number): Promise<unknown>;
  /**
   * A random secret shared by every replica under `name` (made by the first to ask): what signs bundle
   * links when no `EGRESS_LINK_KEY` is configured, so a link one replica signs opens on another.
   */
  sharedKey(name: string): Promise<string>;
  /** Records what was handed to a partner (kept for good: it is the partner's allowlist and its history). */
  recordHandover(handover: PartnerHandover): Promise<void>;
  /** Handovers, newest first: every partner's, or one partner's (by {@link partnerKeyOf}). */
  listHandovers(partnerKey?: string): Promise<PartnerHandover[]>;
  /** Keeps a cluster's egress snapshot (the drift watch keeps one per change). */
  putSnapshot(snapshot: EgressSnapshot): Promise<void>;
  /** The newest snapshot of every cluster that has one. */
  latestSnapshots(): Promise<EgressSnapshot[]>;
  /** A cluster's snapshots (by ARM ID, any case), newest first, at most `limit`. */
  listSnapshots(clusterId: string, limit?: number): Promise<EgressSnapshot[]>;
  close(): Promise<void>;
}
