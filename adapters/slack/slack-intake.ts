import type { webApi } from "@slack/bolt";
import type { PrivateReply, SlackPlace } from "./slack-surface.js";
import { escapeMrkdwn } from "./slack-text.js";

/**
 * A Slack command as the bot accepted it: everything needed to answer it, in this process or (from
 * the run queue) on another replica. Plain JSON, stored in the running record.
 */
export interface SlackIntake {
  readonly place: { readonly channel: string; readonly user: string; readonly threadTs: string | null };
  readonly team: string;
  readonly enterprise: string | null;
  /** The command text (a mention's without the mention; a shortcut's read from the message). */
  readonly text: string;
  /** Slack's ID of the request (trigger or event), for logs. */
  readonly requestId: string;
  /**
   * How a private answer reaches the user: `respond` through the payload's `response_url` (a slash
   * command: works where the bot is not a member), or `ephemeral` (`chat.postEphemeral`, falling back
   * to the `response_url` when Slack refuses because the bot is not in the conversation).
   */
  readonly privately: "respond" | "ephemeral";
  readonly responseUrl: string | null;
}

const notInChannel = new Set(["not_in_channel", "channel_not_found", "is_archived"]);

/** The Web API error code of a failed call, when Slack gave one. */
export function slackErrorCode(error: unknown): string | null {
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === "string" ? data.error : null;
}

/** True when Slack refused because the bot cannot post in the conversation. */
export function isNotInChannel(error: unknown): boolean {
  const code = slackErrorCode(error);
  return code !== null && notInChannel.has(code);
}

/** An ephemeral answer posted to a payload's `response_url`, as Slack documents it (JSON, `response_type`). */
function respondAt(url: string): PrivateReply {
  return async (text) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({ response_type: "ephemeral", text: escapeMrkdwn(text) }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`response_url answered ${response.status}`);
  };
}

/** How a command's private answers reach its user (see {@link SlackIntake.privately}). */
export function privateReplyOf(client: webApi.WebClient, intake: SlackIntake): PrivateReply {
  const respond = intake.responseUrl ? respondAt(intake.responseUrl) : null;
  if (intake.privately === "respond" && respond) return respond;
  const { channel, user, threadTs } = intake.place;
  return async (text) => {
    try {
      await client.chat.postEphemeral({
        channel,
        user,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        text: escapeMrkdwn(text),
      });
    } catch (error) {
      if (!respond || !isNotInChannel(error)) throw error;
      await respond(text);
    }
  };
}

/** The place a command's exchange lives in, as the surface keeps it (its thread once opened). */
export function placeOf(intake: SlackIntake, threadTs: string | null = intake.place.threadTs): SlackPlace {
  return { channel: intake.place.channel, user: intake.place.user, threadTs };
}
