/**
 * Something that calls a function on a schedule: in-process for one replica, or a durable job queue
 * that hands each tick to exactly one of several replicas. A tick still running when the next comes due
 * is not overlapped.
 */
export interface TickSchedule {
  /** Starts calling `onTick` at each tick; a tick's failure is the caller's to report. */
  start(onTick: () => Promise<void>): Promise<void>;
  /** Stops; waits for a tick in progress. */
  stop(): Promise<void>;
}
