import { createHash } from "node:crypto";
import { parseCommand } from "../../core/commands/parse-command.js";
import { formatCommandLine } from "../../core/commands/format-command.js";
import type { Clock } from "../../core/ports/clock.js";
import type { Logger } from "../../core/ports/logger.js";
import { RunHandedBack, type RunAttempt, type RunQueue } from "../../core/ports/run-queue.js";
import type { RunningRecord, StateStore } from "../../core/ports/state-store.js";
import { auditText, type QueuedAttempt } from "./chat-command-handler.js";

/** A chat command as a platform accepted it, before anything about it was checked. */
export interface Intake {
  readonly platform: "slack" | "teams";
  readonly user: string | null;
  readonly channel: string | null;
  /** The thread, when the command came from one (a slash command's opens later). */
  readonly thread: string | null;
  /** What the user typed (kept in the record's `intake` only; the record's command is the grammar's form). */
  readonly text: string;
  /** What the platform needs to answer it on any replica (its own shape: a place, a reply URL …). */
  readonly payload: unknown;
  /**
   * The platform's ID of the request (Slack's trigger or event ID, with the team): the same request
   * delivered twice (a retry, or a proxy resending what a killed replica took) is one command.
   */
  readonly dedupeKey: string;
}

/** Answers one queued command on this replica: the platform's own flow, with the attempt passed on. */
export type QueuedAnswerer = (record: RunningRecord, attempt: QueuedAttempt) => Promise<void>;

/** Settings of {@link RunIntake}. */
export interface RunIntakeOptions {
  readonly store: StateStore;
  readonly queue: RunQueue;
  readonly clock: Pick<Clock, "now">;
  readonly log: Logger;
}

/**
 * Where chat commands become durable before the platform hears "accepted": the command is queued,
 * carrying its first running record (with what the platform needs to answer it), before Slack's ack
 * or Teams' 200, so a replica killed a moment later loses nothing. Whichever replica takes the job
 * answers it through the platform's own flow ({@link QueuedAnswerer}).
 */
export class RunIntake {
  constructor(private readonly options: RunIntakeOptions) {}

  /**
   * Queues the command (one statement: the job carries its first running record); resolves once it
   * is in the database. Idempotent by the request's dedupe key, with no separate claim that a crash
   * could strand: a second delivery finds the job (whose ID is the key) and adds nothing.
   */
  async accept(intake: Intake): Promise<void> {
    const key = runKeyOf(intake.dedupeKey);
    const parsed = parseCommand(intake.text, { surface: "chat" });
    const at = new Date(this.options.clock.now()).toISOString();
    const record: RunningRecord = {
      key,
      platform: intake.platform,
      user: intake.user,
      channel: intake.channel,
      thread: intake.thread,
      // Shown if the run is ever reported interrupted: the grammar's form, or the text made safe.
      command: parsed.ok ? formatCommandLine(parsed.command) : auditText(intake.text),
      runbook: null,
      startedAt: at,
      heartbeatAt: at,
      intake: { text: intake.text, payload: intake.payload },
    };
    await this.options.queue.submit(key, record);
  }

  /**
   * Answers one attempt at a queued command on this replica. A command whose answer an earlier
   * attempt had begun posting (`answered`) is not answered again. A run handed back keeps its record
   * and is offered to another replica; any other end finishes the record.
   */
  async work(attempt: RunAttempt, answerers: Partial<Record<Intake["platform"], QueuedAnswerer>>): Promise<void> {
    const { store, log } = this.options;
    // The store's record when an earlier attempt wrote one (with the thread and progress message it
    // noted); else the one queued, written now. A record is removed once its run is answered, so an
    // attempt after a replica died between answering and acknowledging runs again (answered twice
    // only in that instant).
    const noted = await store.getRun(attempt.key);
    const record = noted ?? (attempt.submitted as RunningRecord);
    if (!noted) await store.startRunOnce(record);
    // The replica before this one had posted the answer when it stopped (perhaps not its files): it is
    // not posted twice.
    if (record.answered) {
      log.warn({ platform: record.platform }, "a queued command was answered just before its replica stopped");
      await store.finishRun(record.key);
      return;
    }
    const answer = record.platform === "slack" || record.platform === "teams" ? answerers[record.platform] : undefined;
    try {
      const stillHeld = () => this.options.queue.holds(record.key, attempt.attempt);
      if (answer) await answer(record, { record, attempt: attempt.attempt, handBack: attempt.handBack, stillHeld });
      else log.warn({ platform: record.platform }, "a queued command's platform is off on this replica");
    } catch (error) {
      if (error instanceof RunHandedBack) throw error;
      log.error(
        { platform: record.platform, error: error instanceof Error ? error.message.slice(0, 200) : "unknown" },
        "a queued command failed while answering",
      );
    }
    // Refusals and failures end here too (a run ends its own record).
    await store.finishRun(record.key);
  }
}

/** A run's key (a UUID, the job's ID) from the request's dedupe key: the same request, the same run. */
export function runKeyOf(dedupeKey: string): string {
  const hex = createHash("sha256").update(`egress-run:${dedupeKey}`).digest("hex");
  // Shaped as a version 4 UUID (PostgreSQL's uuid type checks only the shape).
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The text and platform payload a queued record carries, or null for a record written without the queue. */
export function intakeOf(record: RunningRecord): { readonly text: string; readonly payload: unknown } | null {
  const intake = record.intake as { text?: unknown; payload?: unknown } | undefined;
  return intake && typeof intake.text === "string" ? { text: intake.text, payload: intake.payload } : null;
}
