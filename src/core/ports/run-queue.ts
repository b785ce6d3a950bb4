/** One attempt at a queued chat run, as the replica that took it sees it. */
export interface RunAttempt {
  /** The run's key (its running record's, and the job's ID). */
  readonly key: string;
  /** What was queued with it: the run's first record (the store's, once written, is newer). */
  readonly submitted: unknown;
  /** 0 for the first attempt; 1 and up when a replica took over a run whose replica stopped or handed it back. */
  readonly attempt: number;
  /**
   * Aborted when this replica gives the run back (it is shutting down): the run stops without answering,
   * and another replica takes it.
   */
  readonly handBack: AbortSignal;
}

/** Thrown by a run that stopped because its replica handed it back: the queue offers it to another. */
export class RunHandedBack extends Error {
  constructor() {
    super("the run was handed back to the queue");
    this.name = "RunHandedBack";
  }
}

/**
 * Durable chat runs shared by replicas (PostgreSQL): an accepted command is a job one replica takes
 * under a lease kept alive by a heartbeat. When that replica dies, the lease runs out and another takes
 * the job again (runs are read-only, so running one again is safe). Without a queue (the embedded
 * store) runs stay in the process that accepted them.
 */
export interface RunQueue {
  /**
   * Queues a run under its key (a UUID, the job's ID) with what the replica taking it needs (plain
   * JSON). False when a job with this key exists already (a redelivered request): queuing is
   * idempotent.
   */
  submit(key: string, submitted: unknown): Promise<boolean>;
  /** Starts taking runs: `work` answers one attempt; it throws {@link RunHandedBack} to give it back. */
  start(work: (attempt: RunAttempt) => Promise<void>): Promise<void>;
  /**
   * True while this attempt still holds the run's lease: false once the lease ran out (this replica
   * stalled past it) and the run was offered again, when another replica is answering it.
   */
  holds(key: string, attempt: number): Promise<boolean>;
  /** Runs this replica holds now. */
  readonly inHand: number;
  /**
   * Stops taking runs, lets those in hand finish within `graceInMs`, then hands the rest back so
   * another replica runs them (never aborted with an "interrupted" answer), and disconnects.
   */
  stop(graceInMs: number): Promise<void>;
}
