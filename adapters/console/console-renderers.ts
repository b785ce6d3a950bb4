import type { AnswerView, ProgressView } from "../../src/index.js";
import type { SlackMessageView } from "./web/console-protocol.js";

/**
 * How replies look on each platform. The server passes in the Teams and Slack adapters' own
 * renderers, so the console shows exactly what those platforms would be sent.
 */
export interface ConsoleRenderers {
  readonly progressCard: (view: ProgressView) => unknown;
  readonly summaryCards: (
    view: AnswerView,
    buttonKeys: readonly string[],
    bundleUrl: string | null,
  ) => readonly unknown[];
  readonly progressSlack: (view: ProgressView) => SlackMessageView;
  readonly summarySlack: (view: AnswerView, buttonKeys: readonly string[]) => readonly SlackMessageView[];
}
