import { describe, expect, it } from "@jest/globals";
import { RunTracker } from "../../../adapters/server/run-tracker.js";

describe("RunTracker (graceful shutdown)", () => {
  it("waits for runs that finish within the grace period", async () => {
    const tracker = new RunTracker();
    let done = false;
    tracker.track(
      new Promise<void>((resolve) =>
        setTimeout(() => {
          done = true;
          resolve();
        }, 20),
      ),
    );
    expect(await tracker.drain(1000)).toEqual({ finished: true });
    expect(done).toBe(true);
    expect(tracker.signal.aborted).toBe(false);
  });

  it("aborts runs still going after the grace period and waits for their last words", async () => {
    const tracker = new RunTracker();
    const said: string[] = [];
    tracker.track(
      new Promise<void>((resolve) =>
        tracker.signal.addEventListener("abort", () => {
          said.push("interrupted");
          resolve();
        }),
      ),
    );
    expect(await tracker.drain(20)).toEqual({ finished: false });
    expect(said).toEqual(["interrupted"]);
    expect(tracker.size).toBe(0);
  });
});
