import { PgBoss } from "pg-boss";
import type { Logger } from "../core/ports/logger.js";
import type { TickSchedule } from "../core/ports/tick-schedule.js";

/** How the drift watch's schedule reaches PostgreSQL. */
export interface PgBossTickScheduleOptions {
  readonly connectionString: string;
  readonly password?: () => Promise<string>;
  /** @default "egress_jobs" (the run queue's schema: one pg-boss schema per bot) */
  readonly schema?: string;
  /** The job queue's name, one per schedule. */
  readonly queue: string;
  /** A cron expression of five fields, UTC. */
  readonly cron: string;
  /** How often pg-boss checks for due schedules (1–45). @default pg-boss's (30 s) */
  readonly checkIntervalInSeconds?: number;
  readonly log: Logger;
}

/**
 * A cron schedule kept by pg-boss, as its author intends for several instances: every replica keeps
 * the schedule and works the queue, and pg-boss sends one job per occurrence whichever replicas are up,
 * so exactly one replica runs each tick. A tick is not retried (the next one comes), and a tick that
 * overruns the next occurrence does not start a second one (a singleton queue).
 */
export function openPgBossTickSchedule(options: PgBossTickScheduleOptions): TickSchedule {
  const boss = new PgBoss({
    connectionString: options.connectionString,
    ...(options.password ? { password: options.password } : {}),
    schema: options.schema ?? "egress_jobs",
    application_name: "egress-bot-schedule",
    max: 2,
    schedule: true,
    ...(options.checkIntervalInSeconds
      ? {
          cronMonitorIntervalSeconds: options.checkIntervalInSeconds,
          cronWorkerIntervalSeconds: options.checkIntervalInSeconds,
        }
      : {}),
  });
  boss.on("error", (error: Error) => options.log.warn({ error: error.message.slice(0, 200) }, "drift schedule error"));
  let started = false;
  return {
    async start(onTick) {
      await boss.start();
      started = true;
      await boss.createQueue(options.queue, {
        policy: "singleton",
        retryLimit: 0,
        expireInSeconds: 15 * 60,
        deleteAfterSeconds: 7 * 24 * 60 * 60,
      });
      await boss.schedule(options.queue, options.cron, null, { tz: "UTC" });
      await boss.work(options.queue, { batchSize: 1, pollingIntervalSeconds: 2 }, async () => {
        await onTick();
      });
    },
    async stop() {
      if (!started) return;
      started = false;
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}
