import type { CloudAdapter, TurnContext } from "@microsoft/agents-hosting";
import { Activity, type ConversationReference } from "@microsoft/agents-activity";
import { pathPicture, svgToPng, type ChatSurface, type FinalResult, type ProgressView } from "../../src/index.js";
import { withConnectorRetry, type ConnectorRetry } from "./connector-retry.js";
import {
  escapeTeamsText,
  renderProgressCard,
  renderSummaryCards,
  type AdaptiveCard,
  type CardPicture,
} from "./render-card.js";

/** Largest PNG data URI put inline in a card; a larger picture goes behind the signed link. */
export const inlinePictureBudget = 12_000;

/** The path picture for a card: inline when small, else the signed link beside the bundle's, else none. */
async function cardPicture(result: FinalResult, bundleUrl: string | null): Promise<CardPicture | null> {
  const svg = pathPicture(result.view);
  if (!svg) return null;
  const altText = `Egress paths of ${result.view.title}`;
  const inline = `data:image/png;base64,${Buffer.from(await svgToPng(svg, 1)).toString("base64")}`;
  if (inline.length <= inlinePictureBudget) return { url: inline, altText };
  return bundleUrl ? { url: pictureLinkOf(bundleUrl), altText } : null;
}

/** The signed link to a bundle's path picture: the bundle link's path plus `/path.png`, same signature. */
export const pictureLinkOf = (bundleUrl: string): string => bundleUrl.replace(/^([^?]*)\?/, "$1/path.png?");

const cardActivity = (content: AdaptiveCard, id?: string): Activity =>
  Activity.fromObject({
    type: "message",
    ...(id ? { id } : {}),
    attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content }],
  });

/**
 * The Teams side of one command. The turn has already returned; everything here goes through the
 * stored conversation reference (`continueConversation`), which keeps replies in the channel thread
 * because the conversation ID carries `;messageid=`.
 */
export class TeamsSurface implements ChatSurface {
  /**
   * @param progressId the progress card a first attempt posted, for a surface rebuilt to answer a
   *   resumed run: it is updated in place, not posted again.
   */
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly reference: ConversationReference,
    private readonly linkFor: (result: FinalResult) => Promise<string | null>,
    private readonly retry: ConnectorRetry,
    private readonly onProgressMessage: (id: string) => Promise<void> = () => Promise.resolve(),
    private progressId: string | null = null,
  ) {}

  /** The progress card's activity ID once posted. */
  get progressMessage(): string | null {
    return this.progressId;
  }

  replyPrivately(text: string): Promise<void> {
    // Teams has no ephemeral messages for bots in channels: answer in the thread.
    return this.send(async (context) => {
      await context.sendActivity(escapeTeamsText(text));
    });
  }

  startProgress(view: ProgressView): Promise<void> {
    if (this.progressId) return this.updateProgress(view);
    return this.send(async (context) => {
      const sent = await context.sendActivity(cardActivity(renderProgressCard(view)));
      this.progressId = sent?.id ?? null;
      if (this.progressId) await this.onProgressMessage(this.progressId);
    });
  }

  updateProgress(view: ProgressView): Promise<void> {
    const id = this.progressId;
    if (!id) return Promise.resolve();
    return this.send(async (context) => {
      await context.updateActivity(cardActivity(renderProgressCard(view), id));
    });
  }

  async postResult(result: FinalResult): Promise<void> {
    // One card, or several in order when Teams' size limit splits the answer.
    const bundleUrl = await this.linkFor(result);
    const picture = await cardPicture(result, bundleUrl);
    for (const [index, content] of renderSummaryCards(result.view, result.buttonKeys, bundleUrl, picture).entries()) {
      await this.send(async (context) => {
        await context.sendActivity(cardActivity(content));
      });
      if (index === 0) await result.firstPosted?.();
    }
  }

  postFailure(message: string): Promise<void> {
    return this.send(async (context) => {
      await context.sendActivity(`❌ ${escapeTeamsText(message)}`);
    });
  }

  private send(logic: (context: TurnContext) => Promise<void>): Promise<void> {
    return withConnectorRetry(() => this.adapter.continueConversation(this.appId, this.reference, logic), this.retry);
  }
}
