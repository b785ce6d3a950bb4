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
}

/** What a stored button key gives back. */
export type ButtonLookup =
  | { readonly kind: "found"; readonly context: ButtonContext }
  | { readonly kind: "expired" }
  | { readonly kind: "missing" };

/**
 * State that must survive a restart: dedupe keys, button contexts, conversation references, progress
 * message IDs and the audit of every command. Times are passed in (the store has no clock).
 */
export interface StateStore {
  /** True the first time a key is claimed within `ttlInMs`; false for a duplicate (a retried event). */
  claimOnce(key: string, nowMs: number, ttlInMs: number): boolean;
  putButton(key: string, context: ButtonContext, nowMs: number, ttlInMs: number): void;
  getButton(key: string, nowMs: number): ButtonLookup;
  putConversation(key: string, reference: unknown): void;
  getConversation(key: string): unknown;
  putProgressMessage(runId: string, messageId: string): void;
  getProgressMessage(runId: string): string | null;
  recordAudit(record: AuditRecord): void;
  /**
   * Notes a chat run as started; `finishRun` when it ends, however it ends. Noting the same key again
   * replaces the record: how a run keeps the thread it opened after it started.
   */
  startRun(record: RunningRecord): void;
  finishRun(key: string): void;
  /** Runs started and never finished: a crash or kill -9 left them, oldest first. */
  unfinishedRuns(): RunningRecord[];
  /** Audit records that started at or after `sinceMs`, newest first. */
  listAudit(sinceMs: number, limit?: number): AuditRecord[];
  close(): void;
}
