import { describe, expect, it } from "@jest/globals";
import { ProgressPacer } from "../../../src/app/chat/progress-pacer.js";

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("ProgressPacer", () => {
  it("coalesces a burst into the latest content and always sends the final one last", async () => {
    const sent: string[] = [];
    const pacer = new ProgressPacer<string>((content) => {
      sent.push(content);
      return Promise.resolve();
    }, 50);
    pacer.push("a");
    pacer.push("b");
    pacer.push("c");
    await tick(10);
    expect(sent).toEqual(["c"]);
    pacer.push("d");
    pacer.push("e");
    await pacer.finish("final");
    pacer.push("late");
    await tick(80);
    // "d" and "e" were still waiting for the interval: dropped, the final went out, nothing after it.
    expect(sent).toEqual(["c", "final"]);
  });

  it("keeps going when a progress edit fails", async () => {
    const sent: string[] = [];
    const pacer = new ProgressPacer<string>((content) => {
      sent.push(content);
      return content === "bad" ? Promise.reject(new Error("ratelimited")) : Promise.resolve();
    }, 0);
    pacer.push("bad");
    await tick(5);
    await pacer.finish("final");
    expect(sent).toEqual(["bad", "final"]);
  });
});
