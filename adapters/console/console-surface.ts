import {
  pathPicture,
  type ChatSurface,
  type FinalResult,
  type ProgressView,
  type RecentBundles,
} from "../../src/index.js";
import type { ConsoleHub } from "./console-hub.js";
import type { ConsoleRenderers } from "./console-renderers.js";

/** Where the bundles of console runs are downloaded from. */
export const bundlePath = (runId: string, format: "json" | "markdown"): string =>
  `/console/api/bundles/${encodeURIComponent(runId)}.${format === "json" ? "json" : "md"}`;

/**
 * The console's side of the chat adapter contract: each call becomes one event of the page's
 * thread, carrying the Teams card and the Slack messages the other adapters would have sent.
 */
export class ConsoleSurface implements ChatSurface {
  constructor(
    private readonly hub: ConsoleHub,
    private readonly session: string,
    private readonly replyId: string,
    private readonly renderers: ConsoleRenderers,
    private readonly bundles: RecentBundles,
    /** The page's origin: the Teams card's "open bundle" link must be absolute. */
    private readonly origin: string,
  ) {}

  replyPrivately(text: string): Promise<void> {
    this.hub.publish(this.session, { type: "private", replyId: this.replyId, text });
    return Promise.resolve();
  }

  startProgress(view: ProgressView): Promise<void> {
    return this.updateProgress(view);
  }

  updateProgress(view: ProgressView): Promise<void> {
    this.hub.publish(this.session, {
      type: "progress",
      replyId: this.replyId,
      card: this.renderers.progressCard(view),
      slack: this.renderers.progressSlack(view),
    });
    return Promise.resolve();
  }

  postResult(result: FinalResult): Promise<void> {
    const { bundle, view, buttonKeys } = result;
    this.bundles.keep(bundle);
    const json = bundlePath(bundle.runId, "json");
    this.hub.publish(this.session, {
      type: "result",
      replyId: this.replyId,
      cards: this.renderers.summaryCards(view, buttonKeys, `${this.origin}${json}`),
      slack: this.renderers.summarySlack(view, buttonKeys),
      picture: pathPicture(view),
      runId: bundle.runId,
      digest: bundle.digest,
      simulated: view.simulated,
      downloads: { json, markdown: bundlePath(bundle.runId, "markdown") },
    });
    return Promise.resolve();
  }

  postFailure(message: string): Promise<void> {
    this.hub.publish(this.session, { type: "failure", replyId: this.replyId, text: message });
    return Promise.resolve();
  }
}
