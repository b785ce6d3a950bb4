/**
 * Paces in-place updates of one progress message: at most one update per `intervalInMs`, only the
 * latest pending content is sent (stale ones are dropped), and the final content is always sent after
 * any update in flight. Chat APIs rate-limit edits (Slack `chat.update` is Tier 3; Teams allows a few
 * operations per second per thread), so a burst of step events becomes one edit.
 */
export class ProgressPacer<T> {
  private pending: T | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private finished = false;

  constructor(
    private readonly send: (content: T) => Promise<void>,
    private readonly intervalInMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues an update; replaces any update not yet sent. Ignored after {@link finish}. */
  push(content: T): void {
    if (this.finished) return;
    this.pending = content;
    if (this.timer) return;
    const wait = Math.max(0, this.lastSentAt + this.intervalInMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  /** Drops what is pending and sends the final content once earlier sends are done. */
  async finish(content: T): Promise<void> {
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    await this.inFlight;
    await this.send(content);
  }

  private flush(): void {
    const content = this.pending;
    this.pending = undefined;
    if (content === undefined || this.finished) return;
    this.lastSentAt = this.now();
    // A failed progress edit is not worth failing the run for; the final message still goes out.
    this.inFlight = this.inFlight.then(() => this.send(content)).catch(() => undefined);
  }
}
