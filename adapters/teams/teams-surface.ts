import type { CloudAdapter, TurnContext } from "@microsoft/agents-hosting";
import { Activity, type ConversationReference } from "@microsoft/agents-activity";
import type { ChatSurface, FinalResult, ProgressView } from "../../src/index.js";
import { withConnectorRetry, type ConnectorRetry } from "./connector-retry.js";
import { escapeTeamsText, renderProgressCard, renderSummaryCards, type AdaptiveCard } from "./render-card.js";

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
  private progressId: string | null = null;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly reference: ConversationReference,
    private readonly linkFor: (result: FinalResult) => string | null,
    private readonly retry: ConnectorRetry,
    private readonly onProgressMessage: (id: string) => void = () => undefined,
  ) {}

  replyPrivately(text: string): Promise<void> {
    // Teams has no ephemeral messages for bots in channels: answer in the thread.
    return this.send(async (context) => {
      await context.sendActivity(escapeTeamsText(text));
    });
  }

  startProgress(view: ProgressView): Promise<void> {
    return this.send(async (context) => {
      const sent = await context.sendActivity(cardActivity(renderProgressCard(view)));
      this.progressId = sent?.id ?? null;
      if (this.progressId) this.onProgressMessage(this.progressId);
    });
  }

  updateProgress(view: ProgressView): Promise<void> {
    const id = this.progressId;
    if (!id) return Promise.resolve();
    return this.send(async (context) => {
      await context.updateActivity(cardActivity(renderProgressCard(view), id));
    });
  }

  postResult(result: FinalResult): Promise<void> {
    // One card, or several in order when Teams' size limit splits the answer.
    const cards = renderSummaryCards(result.view, result.buttonKeys, this.linkFor(result));
    return cards.reduce<Promise<void>>(
      (previous, content) =>
        previous.then(() =>
          this.send(async (context) => {
            await context.sendActivity(cardActivity(content));
          }),
        ),
      Promise.resolve(),
    );
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
