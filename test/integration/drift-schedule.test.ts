// The drift watch's schedule on pg-boss, as replicas use it: three replicas keep the same cron
// schedule on one PostgreSQL, and each occurrence runs on exactly one of them.
import { afterAll, describe, expect, it, jest } from "@jest/globals";
import { silentLogger, type TickSchedule } from "../../src/index.js";
import { openPgBossTickSchedule } from "../../src/store/pg-boss-tick-schedule.js";
import { freshSchema, postgresForTests } from "../support/postgres-under-test.js";

// A cron schedule ticks at minute boundaries: the test waits for one, and a little past it.
jest.setTimeout(180_000);
const postgresUp = await postgresForTests("the drift schedule test is");
const schedules: TickSchedule[] = [];
let schema: Awaited<ReturnType<typeof freshSchema>> | undefined;

afterAll(async () => {
  await Promise.all(schedules.map((schedule) => schedule.stop()));
  await schema?.drop();
});

(postgresUp ? describe : describe.skip)(
  "the drift schedule on pg-boss (skipped only where no PostgreSQL answers)",
  () => {
    it("runs each occurrence on exactly one of three replicas", async () => {
      schema = await freshSchema();
      const ticks: number[] = [];
      for (const replica of [0, 1, 2]) {
        const schedule = openPgBossTickSchedule({
          connectionString: schema.connectionString,
          schema: `${schema.name}_jobs`,
          queue: "egress-drift-watch",
          cron: "* * * * *",
          checkIntervalInSeconds: 1,
          log: silentLogger,
        });
        schedules.push(schedule);
        await schedule.start(() => {
          ticks.push(replica);
          return Promise.resolve();
        });
      }
      const deadline = Date.now() + 150_000;
      while (ticks.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
      expect(ticks).toHaveLength(1);
      // Ten more seconds in the same minute: no other replica runs that occurrence.
      const minute = Math.floor(Date.now() / 60_000);
      await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, (minute + 1) * 60_000 - Date.now() - 500)));
      expect(ticks).toHaveLength(1);
    });
  },
);
