import { describe, expect, it } from "@jest/globals";
import { inProcessSchedule } from "../../../src/app/drift/in-process-schedule.js";

describe("the in-process drift schedule", () => {
  it("ticks at the next cron occurrence (UTC), never twice at once, and stops waiting for the tick in progress", async () => {
    // A clock 40 ms before a minute boundary, so `* * * * *` comes due at once.
    const start = Date.now();
    const offset = 60_000 - (start % 60_000) - 40;
    const schedule = inProcessSchedule("* * * * *", () => Date.now() + offset);
    let ticks = 0;
    let inTick = false;
    let finishedTick = false;
    const ticked = new Promise<void>((resolve) => {
      void schedule.start(async () => {
        expect(inTick).toBe(false);
        inTick = true;
        ticks++;
        resolve();
        await new Promise((done) => setTimeout(done, 100));
        inTick = false;
        finishedTick = true;
      });
    });
    await ticked;
    await schedule.stop();
    expect([ticks, finishedTick]).toEqual([1, true]);
  });
});
