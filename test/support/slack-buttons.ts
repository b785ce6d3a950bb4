import type { FakeSlackApi } from "./fake-slack-api.js";
import { postSlackInteraction } from "./slack-request.js";

/** A `next` button the bot posted, and the thread it was posted in. */
export interface PostedButton {
  readonly actionId: string;
  readonly value: string;
  readonly rootTs: string;
  readonly channel: string;
}

/** The first `next` button the bot posted (in `channel`, when given), as the fake Slack received it. */
export function firstNextButton(fake: FakeSlackApi, channel?: string): PostedButton {
  const message = fake
    .callsOf("chat.postMessage")
    .find(
      (call) =>
        (channel === undefined || call.body.channel === channel) &&
        JSON.stringify(call.body.blocks ?? []).includes("egress_next_0"),
    );
  const actions = (message?.body.blocks as { type: string; elements?: { value: string; action_id: string }[] }[])?.find(
    (block) => block.type === "actions",
  );
  const button = actions?.elements?.[0];
  if (!message || !button) throw new Error("the bot posted no next button");
  return {
    actionId: button.action_id,
    value: button.value,
    rootTs: String(message.body.thread_ts),
    channel: String(message.body.channel),
  };
}

/** Clicks a posted button as Slack sends the click (a signed `block_actions` payload from user U1). */
export function clickButton(base: string, secret: string, button: PostedButton, triggerId: string): Promise<Response> {
  return postSlackInteraction(base, secret, {
    type: "block_actions",
    team: { id: "T1" },
    user: { id: "U1" },
    channel: { id: button.channel },
    trigger_id: triggerId,
    container: { type: "message", message_ts: "x", channel_id: button.channel, thread_ts: button.rootTs },
    actions: [{ type: "button", action_id: button.actionId, value: button.value, action_ts: "1" }],
  });
}
