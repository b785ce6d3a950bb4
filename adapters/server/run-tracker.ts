/**
 * Keeps the background runs the chat adapters start, so shutdown can wait for them. After the grace
 * period it aborts the shared signal: runs then end with cancelled steps and post "interrupted".
 */
export class RunTracker {
  private readonly running = new Set<Promise<unknown>>();
  private readonly controller = new AbortController();

  /** Aborted when the grace period of {@link drain} ends. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get size(): number {
    return this.running.size;
  }

  track(work: Promise<unknown>): void {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
  }

  /** Waits for running work up to `graceInMs`, then aborts what is left and waits for it to post its last words (at most `afterAbortInMs`). */
  async drain(graceInMs: number, afterAbortInMs = 5000): Promise<{ finished: boolean }> {
    const all = (): Promise<unknown> => Promise.all([...this.running]);
    const timeout = (ms: number): Promise<"timeout"> =>
      new Promise((resolve) => setTimeout(() => resolve("timeout"), ms).unref());
    if ((await Promise.race([all(), timeout(graceInMs)])) !== "timeout") return { finished: true };
    this.controller.abort(new Error("the bot is shutting down"));
    await Promise.race([all(), timeout(afterAbortInMs)]);
    return { finished: false };
  }
}
