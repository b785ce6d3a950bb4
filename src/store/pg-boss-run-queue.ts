import { PgBoss } from "pg-boss";
import type { Logger } from "../core/ports/logger.js";
import type { RunAttempt, RunQueue } from "../core/ports/run-queue.js";

/** How the run queue reaches PostgreSQL and how it hands out runs. */
export interface PgBossRunQueueOptions {
  /** `EGRESS_DATABASE_URL` (the same database as the state store). */
  readonly connectionString: string;
  /** A password per connection (a Microsoft Entra token), as for the state store. */
  readonly password?: () => Promise<string>;
  /** The schema pg-boss keeps its tables in. @default "egress_jobs" */
  readonly schema?: string;
  /**
   * Runs one replica works at once (each worker polls the queue every half second). @default 8
   */
  readonly concurrency?: number;
  /**
   * The lease: a replica that has not renewed a run's heartbeat for this long is taken for dead, and
   * the run is offered again. pg-boss's minimum is 10. @default 10
   */
  readonly leaseInSeconds?: number;
  /** How often an instance looks for runs whose lease ran out. @default 5 */
  readonly monitorIntervalInSeconds?: number;
  readonly log: Logger;
}

/** The queue's name in pg-boss. */
export const chatRunQueue = "egress-chat-runs";

/** What a queued job carries: the run's key and its first record. */
interface RunJobData {
  readonly key: string;
  readonly submitted: unknown;
}

/**
 * The durable run queue on pg-boss, used as its author intends: one queue with a heartbeat (the lease),
 * workers polling every half second, retries without delay for a run whose replica died or handed it
 * back, and completed jobs kept a day. Every replica works the queue.
 */
export async function openPgBossRunQueue(options: PgBossRunQueueOptions): Promise<RunQueue> {
  const monitor = options.monitorIntervalInSeconds ?? 5;
  const boss = new PgBoss({
    connectionString: options.connectionString,
    ...(options.password ? { password: options.password } : {}),
    schema: options.schema ?? "egress_jobs",
    application_name: "egress-bot",
    // Acks wait on the job insert: enough connections that a burst does not queue for one.
    max: 10,
    monitorIntervalSeconds: monitor,
    superviseIntervalSeconds: monitor,
    // The chat run queue has no cron schedules.
    schedule: false,
  });
  boss.on("error", (error: Error) => options.log.warn({ error: error.message.slice(0, 200) }, "run queue error"));
  await boss.start();
  await boss.createQueue(chatRunQueue, {
    heartbeatSeconds: options.leaseInSeconds ?? 10,
    // A ceiling far above any runbook's deadline: the heartbeat is the lease that matters.
    expireInSeconds: 15 * 60,
    // A death or a hand-back is one retry each; a run that keeps killing replicas stops after three.
    retryLimit: 3,
    retryDelay: 0,
    deleteAfterSeconds: 24 * 60 * 60,
    // No LISTEN/NOTIFY: pg-boss wakes every worker of every replica for each new job, and in a burst
    // those fetches held the acks back (p99 184–221 ms with it, 136–142 ms without; docs/benchmarks.md).
    // Polling every half second takes a run as surely, a quarter of a second later on average.
    notify: false,
  });
  const inHand = new Map<string, AbortController>();
  let working = false;

  const settled = async (withinInMs: number): Promise<void> => {
    const until = Date.now() + withinInMs;
    while (inHand.size > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
  };

  return {
    get inHand() {
      return inHand.size;
    },
    async submit(key, submitted) {
      const data: RunJobData = { key, submitted };
      // The job's ID is the run's key: a second submit of the same command inserts nothing.
      return (await boss.send(chatRunQueue, data, { id: key })) !== null;
    },
    async holds(key, attempt) {
      const job = await boss.getJobById(chatRunQueue, key);
      return job !== null && job.state === "active" && job.retryCount === attempt;
    },
    async start(work) {
      working = true;
      await boss.work<RunJobData>(
        chatRunQueue,
        { localConcurrency: options.concurrency ?? 8, batchSize: 1, pollingIntervalSeconds: 0.5 },
        async ([job]) => {
          if (!job) return;
          const handBack = new AbortController();
          inHand.set(job.id, handBack);
          try {
            const attempt: RunAttempt = {
              key: job.data.key,
              submitted: job.data.submitted,
              attempt: job.retryCount,
              handBack: handBack.signal,
            };
            await work(attempt);
          } finally {
            inHand.delete(job.id);
          }
        },
      );
    },
    async stop(graceInMs) {
      if (working) await boss.offWork(chatRunQueue, { wait: false });
      working = false;
      await settled(graceInMs);
      if (inHand.size > 0) options.log.info({ runs: inHand.size }, "handing unfinished runs back to the queue");
      for (const controller of inHand.values()) controller.abort(new Error("the replica is shutting down"));
      // Their handlers throw; pg-boss records each as failed-to-retry, and another replica takes it.
      await settled(5_000);
      // Within the pod's termination grace (40 s): 25 s for runs, then at most 5 + 5 s here.
      await boss.stop({ graceful: true, timeout: 5_000 });
    },
  };
}
