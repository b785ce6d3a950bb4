import type { webApi } from "@slack/bolt";
import {
  bundleFileName,
  pathPicture,
  svgToPng,
  type ChatSurface,
  type FinalResult,
  type ProgressView,
} from "../../src/index.js";
import { renderProgress, renderSummary } from "./render-blocks.js";
import { escapeMrkdwn } from "./slack-text.js";

/** Where one exchange lives in Slack. `threadTs` is null until the bot opens the thread with a root message. */
export interface SlackPlace {
  readonly channel: string;
  readonly user: string;
  threadTs: string | null;
}

/** Sends a message only the user sees: `respond` for slash commands (works where the bot is not a member), `chat.postEphemeral` otherwise. */
export type PrivateReply = (text: string) => Promise<void>;

/**
 * The Slack side of one command: a root message in the channel when there is no thread yet, then a
 * progress message edited in place, the summary (split across messages when Block Kit's limits need
 * it) and the bundle as JSON and Markdown files, all in the thread.
 */
export class SlackSurface implements ChatSurface {
  /**
   * @param progressTs the progress message a first attempt posted, for a surface rebuilt to answer a
   *   resumed run: it is edited in place, not posted again.
   */
  constructor(
    private readonly client: webApi.WebClient,
    private readonly place: SlackPlace,
    private readonly reply: PrivateReply,
    private readonly onProgressMessage: (ts: string) => Promise<void> = () => Promise.resolve(),
    private progressTs: string | null = null,
  ) {}

  /** The progress message's `ts` once posted. */
  get progressMessage(): string | null {
    return this.progressTs;
  }

  replyPrivately(text: string): Promise<void> {
    return this.reply(text);
  }

  /** The thread's root message, once the bot opened it (or the one the command came from). */
  get thread(): string | null {
    return this.place.threadTs;
  }

  /** Posts the thread's root message when the command has no thread yet (a slash command). */
  async openThread(view: ProgressView): Promise<void> {
    if (this.place.threadTs) return;
    const root = await this.client.chat.postMessage({
      channel: this.place.channel,
      text: `<@${this.place.user}> ran \`egress ${escapeMrkdwn(view.title.replace(/`/g, "'"))}\`${view.simulated ? " (SIMULATED)" : ""}`,
    });
    this.place.threadTs = root.ts ?? null;
  }

  async startProgress(view: ProgressView): Promise<void> {
    if (this.progressTs && this.place.threadTs) return this.updateProgress(view);
    await this.openThread(view);
    const message = renderProgress(view);
    const posted = await this.client.chat.postMessage({
      channel: this.place.channel,
      ...this.inThread(),
      text: message.text,
      blocks: [...message.blocks],
    });
    this.progressTs = posted.ts ?? null;
    if (this.progressTs) await this.onProgressMessage(this.progressTs);
  }

  async updateProgress(view: ProgressView): Promise<void> {
    if (!this.progressTs) return;
    const message = renderProgress(view);
    await this.client.chat.update({
      channel: this.place.channel,
      ts: this.progressTs,
      text: message.text,
      blocks: [...message.blocks],
    });
  }

  async postResult(result: FinalResult): Promise<void> {
    for (const [index, message] of renderSummary(result.view, result.buttonKeys).entries()) {
      await this.client.chat.postMessage({
        channel: this.place.channel,
        ...this.inThread(),
        text: message.text,
        blocks: [...message.blocks],
      });
      if (index === 0) await result.firstPosted?.();
    }
    const base = bundleFileName(result.bundle);
    // The egress path as a picture, uploaded as an image in the thread.
    const svg = pathPicture(result.view);
    const picture = svg ? [{ file: Buffer.from(await svgToPng(svg)), filename: `${base}-path.png` }] : [];
    await this.client.files.uploadV2({
      channel_id: this.place.channel,
      ...(this.place.threadTs ? { thread_ts: this.place.threadTs } : {}),
      initial_comment: `Evidence bundle ${result.bundle.digest}${result.bundle.simulated ? " (SIMULATED)" : ""}`,
      file_uploads: [
        { file: Buffer.from(`${JSON.stringify(result.bundle, null, 2)}\n`), filename: `${base}.json` },
        { file: Buffer.from(result.markdown), filename: `${base}.md` },
        ...picture,
      ],
    });
  }

  async postFailure(message: string): Promise<void> {
    await this.client.chat.postMessage({
      channel: this.place.channel,
      ...this.inThread(),
      text: `❌ ${escapeMrkdwn(message)}`,
    });
  }

  private inThread(): { thread_ts: string } | Record<string, never> {
    return this.place.threadTs ? { thread_ts: this.place.threadTs } : {};
  }
}
