import type { Logger } from "../../core/ports/logger.js";
import type { StateStore } from "../../core/ports/state-store.js";
import type { ChatCommandHandler } from "./chat-command-handler.js";
import type { RunIntake } from "./run-intake.js";

/** What every chat adapter gets from the server: the command flow, state, logs, time, and shutdown hooks. */
export interface ChatRuntime {
  readonly handler: ChatCommandHandler;
  readonly store: StateStore;
  readonly log: Logger;
  readonly now: () => number;
  /** Keeps a background run visible to graceful shutdown. */
  readonly track: (work: Promise<unknown>) => void;
  /** Aborted when the server's grace period ends. */
  readonly shutdownSignal: AbortSignal;
  /**
   * The durable intake (PostgreSQL): commands are queued before the platform hears "accepted", and
   * answered by whichever replica takes them. Absent: answered in this process.
   */
  readonly intake?: RunIntake | null;
  /**
   * Admits one accepted command's answer (user check, progress, run, result) when a slot is free:
   * a burst is acknowledged at once and answered a bounded number at a time, so the acks of the
   * burst's tail are not queued behind two hundred answers' work. Absent: no bound. (Queued commands
   * are bounded by the run queue instead.)
   */
  readonly admit?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Counts chat API errors by method or code, for metrics. */
  readonly onApiError?: (method: string) => void;
}
