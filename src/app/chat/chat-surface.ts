import type { EvidenceBundle } from "../../core/evidence/bundle.js";
import type { AnswerView } from "../../core/views/answer-view.js";

/** One step's line in the progress message. */
export interface ProgressStep {
  readonly id: string;
  readonly name: string;
  readonly status: "pending" | "running" | "succeeded" | "failed" | "skipped" | "timedOut" | "cancelled";
}

/** What the progress message shows while a run is going. */
export interface ProgressView {
  readonly title: string;
  readonly simulated: boolean;
  readonly steps: readonly ProgressStep[];
  /** Set once the run has ended: its status, or `interrupted` when the bot shut down first. */
  readonly outcome: EvidenceBundle["status"] | "interrupted" | null;
  /** Set when another replica took the run over after the one running it stopped, and ran it again. */
  readonly resumed?: boolean;
}

/** What the progress line says about a resumed run (every platform shows the same words). */
export const resumedNote = "Resumed: the replica running this stopped, so another one ran it again from the start.";

/** Everything a platform needs to post a finished run. */
export interface FinalResult {
  readonly bundle: EvidenceBundle;
  /** The one view every platform renders. */
  readonly view: AnswerView;
  readonly markdown: string;
  /** Button keys for the bundle's `next` suggestions, in order. */
  readonly buttonKeys: readonly string[];
  /**
   * Called by the surface as soon as the answer's first message is in the thread (before its files):
   * from then on, a replica that takes the run over does not answer again.
   */
  readonly firstPosted?: () => Promise<void>;
}

/**
 * How a chat platform shows one command's exchange, all in one thread. Implemented by the Slack and
 * Teams adapters; the command flow ({@link ChatCommandHandler}) never knows which it talks to.
 */
export interface ChatSurface {
  /** A short answer only the asker needs (usage, refusal, help), visible to them alone where the platform allows. */
  replyPrivately(text: string): Promise<void>;
  /**
   * Opens the thread where the platform needs one opened (Slack: a slash command's root message), so
   * the thread can be noted before anything else is posted in it. `startProgress` opens it otherwise.
   */
  openThread?(view: ProgressView): Promise<void>;
  /**
   * Posts the progress message (opening the thread first where the platform needs it), or, on a
   * surface rebuilt for a resumed run, edits the progress message the first attempt posted.
   */
  startProgress(view: ProgressView): Promise<void>;
  /** The thread the exchange lives in once known (a slash command's opens with its progress message). */
  readonly thread?: string | null;
  /** The progress message's platform ID once posted (kept so a resumed run edits it). */
  readonly progressMessage?: string | null;
  /** Edits the progress message in place. */
  updateProgress(view: ProgressView): Promise<void>;
  /** Posts the summary, the details and the bundle files or link into the thread. */
  postResult(result: FinalResult): Promise<void>;
  /** Says in the thread that the run failed before producing a bundle. */
  postFailure(message: string): Promise<void>;
}
