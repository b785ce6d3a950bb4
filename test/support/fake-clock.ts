import type { Clock, OperationOptions } from "../../src/core/ports/clock.js";

interface Timer {
  readonly at: number;
  readonly resolve: () => void;
}

/** Lets every pending promise callback run. */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A clock that only moves when told. `settle` drives a promise to completion by firing the earliest
 * timer whenever nothing else can progress, so tests of timeouts and backoff take no real time.
 */
export class FakeClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  /** Every sleep requested, in ms, in order. */
  readonly sleeps: number[] = [];

  constructor(start = Date.parse("2026-11-24T10:00:00.000Z")) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(delayInMs: number, options: OperationOptions = {}): Promise<void> {
    this.sleeps.push(delayInMs);
    const signal = options.abortSignal;
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<void>((resolve, reject) => {
      const timer: Timer = {
        at: this.current + delayInMs,
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.timers = this.timers.filter((candidate) => candidate !== timer);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.timers.push(timer);
    });
  }

  /** Fires the earliest timer; false when none is pending. */
  fireNext(): boolean {
    const next = this.timers.reduce<Timer | undefined>(
      (earliest, timer) => (!earliest || timer.at < earliest.at ? timer : earliest),
      undefined,
    );
    if (!next) return false;
    this.timers = this.timers.filter((timer) => timer !== next);
    this.current = Math.max(this.current, next.at);
    next.resolve();
    return true;
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await flush();
      const due = this.timers.filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.current = due.at;
      due.resolve();
    }
    this.current = target;
    await flush();
  }

  /** Runs the promise to completion, firing timers only when nothing else can progress. */
  async settle<T>(promise: Promise<T>): Promise<T> {
    let done = false;
    promise.then(
      () => (done = true),
      () => (done = true),
    );
    for (let turn = 0; turn < 100_000 && !done; turn++) {
      await flush();
      if (done) break;
      if (!this.fireNext()) {
        await flush();
        if (!done) throw new Error("FakeClock.settle: the promise is stuck with no timer pending");
      }
    }
    return promise;
  }
}
