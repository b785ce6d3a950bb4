import type { ChatSurface, FinalResult, ProgressView } from "../../src/index.js";

/**
 * A chat surface that keeps what it was asked to show, for tests of the command flow. With a
 * `progressMessage` (a surface rebuilt for a queued run) `startProgress` is an edit, as on the platforms.
 */
export class RecordingSurface implements ChatSurface {
  readonly privately: string[] = [];
  readonly progress: ProgressView[] = [];
  /** How many progress messages were posted (not edited). */
  posted = 0;
  readonly results: FinalResult[] = [];
  readonly failures: string[] = [];

  constructor(
    public thread: string | null = null,
    public progressMessage: string | null = null,
  ) {}

  replyPrivately(text: string) {
    this.privately.push(text);
    return Promise.resolve();
  }
  startProgress(view: ProgressView) {
    if (!this.progressMessage) {
      this.posted += 1;
      this.progressMessage = `progress-${this.posted}`;
    }
    this.progress.push(view);
    return Promise.resolve();
  }
  updateProgress(view: ProgressView) {
    this.progress.push(view);
    return Promise.resolve();
  }
  postResult(result: FinalResult) {
    this.results.push(result);
    return Promise.resolve();
  }
  postFailure(message: string) {
    this.failures.push(message);
    return Promise.resolve();
  }
}
