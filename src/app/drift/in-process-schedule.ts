import { CronExpressionParser } from "cron-parser";
import type { TickSchedule } from "../../core/ports/tick-schedule.js";

/**
 * A cron schedule (UTC) run by a timer in this process: the embedded deployment's, where the bot is
 * one replica. The next tick is computed from the clock after each one, so a slow tick skips the
 * occurrences it overran rather than running twice.
 */
export function inProcessSchedule(cron: string, now: () => number = Date.now): TickSchedule {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const delayToNext = (): number =>
    Math.max(
      0,
      CronExpressionParser.parse(cron, { currentDate: new Date(now()), tz: "UTC" })
        .next()
        .getTime() - now(),
    );
  return {
    start: (onTick) => {
      stopped = false;
      const arm = (): void => {
        if (stopped) return;
        timer = setTimeout(() => {
          running = onTick().finally(() => {
            running = undefined;
            arm();
          });
        }, delayToNext());
        timer.unref();
      };
      arm();
      return Promise.resolve();
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
