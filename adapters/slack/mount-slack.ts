import {
  App,
  AuthorizationError,
  ExpressReceiver,
  type ReceiverProcessEventErrorHandlerArgs,
  type webApi,
} from "@slack/bolt";
import type { Application } from "express";
import {
  chatDedupeTtlInMs,
  interruptedText,
  type ChatRuntime,
  type ChatSurface,
  type RunningRecord,
} from "../../src/index.js";
import { boltLogger } from "./bolt-logger.js";
import { slackEnvelopeDoor } from "./envelope-door.js";
import { commandFromMessage } from "./message-command.js";
import { createSlackUserCheck } from "./check-slack-user.js";
import { nextActionId } from "./render-blocks.js";
import { escapeMrkdwn } from "./slack-text.js";
import type { SlackSettings } from "./slack-settings.js";
import { SlackSurface, type PrivateReply, type SlackPlace } from "./slack-surface.js";
import { createUserGroupLookup } from "./slack-user-groups.js";

/**
 * What Bolt answers when it fails on a request before any listener acknowledged it. Every listener
 * acknowledges first, so such a failure is Bolt reading a signed body it cannot use (an interactivity
 * payload without the user or container Slack always sends): 400, logged, where Bolt's default says
 * 500. An authorization failure stays 401; a failure after the acknowledgement is only logged.
 */
function answerUnprocessable(
  log: SlackDependencies["log"],
): (args: ReceiverProcessEventErrorHandlerArgs) => Promise<boolean> {
  return ({ error, response }) => {
    const reason = error instanceof Error ? error.message : String(error);
    if (response.headersSent) {
      log.error({ platform: "slack", error: reason }, "slack request failed after it was acknowledged");
      return Promise.resolve(false);
    }
    const authorization = error instanceof AuthorizationError;
    log.warn({ platform: "slack", error: reason }, "slack request could not be processed");
    response.writeHead(authorization ? 401 : 400, { "content-type": "text/plain" });
    response.end(authorization ? "" : "The request lacks what Slack always sends with it.");
    return Promise.resolve(true);
  };
}

/** What the Slack adapter needs from the server. */
export interface SlackDependencies extends ChatRuntime {
  readonly settings: SlackSettings;
  /** Web API retries; small in tests. @default three retries, 1-10 s apart */
  readonly retryConfig?: { retries: number; minTimeout?: number; maxTimeout?: number; factor?: number };
  /** Largest request body Bolt reads (the server's door refuses larger declared ones first). */
  readonly bodyLimitBytes?: number;
}

/** The mounted Slack app: start (Socket Mode connects), stop. */
export interface SlackHandle {
  readonly mode: "http" | "socket";
  /** Tells a run's channel (its thread, when known) that a restart interrupted it. */
  notifyInterrupted(record: RunningRecord): Promise<void>;
  /**
   * The surface of a queued run, rebuilt from its record on the replica that took it: in its thread,
   * editing its progress message; private replies go to the requester with `chat.postEphemeral`.
   */
  surfaceFor(record: RunningRecord): ChatSurface | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const mentionPrefix = /^\s*<@[A-Z0-9]+(?:\|[^>]*)?>\s*/;
const notInChannel = new Set(["not_in_channel", "channel_not_found", "is_archived"]);
const apiErrorCode = (error: unknown): string | null => {
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === "string" ? data.error : null;
};

/**
 * An ephemeral reply that falls back to the payload's `response_url` when Slack refuses the post
 * because the bot is not in the conversation, so the user is always told something.
 */
function privateReplyWithFallback(
  post: PrivateReply,
  respond: ((message: { response_type: "ephemeral"; text: string }) => Promise<unknown>) | undefined,
): PrivateReply {
  return async (text) => {
    try {
      await post(text);
    } catch (error) {
      const code = apiErrorCode(error);
      if (!respond || !code || !notInChannel.has(code)) throw error;
      await respond({ response_type: "ephemeral", text: escapeMrkdwn(text) });
    }
  };
}

/**
 * Mounts Slack on the server's express app at `POST /slack/events` (Bolt's ExpressReceiver verifies
 * signatures and the replay window on the raw body), or connects over Socket Mode when an app token is
 * set. Every entry point acks at once and runs the command in the background, in one thread.
 */
export function mountSlack(expressApp: Application, deps: SlackDependencies): SlackHandle {
  const { settings, handler, store, log, now } = deps;
  const clientOptions = {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    retryConfig: deps.retryConfig ?? { retries: 3, minTimeout: 1000, maxTimeout: 10_000 },
  };
  const logger = boltLogger(log.child({ platform: "slack" }));
  const socket = settings.appToken !== null;
  if (!socket)
    expressApp.post(
      "/slack/events",
      slackEnvelopeDoor({
        signingSecret: settings.signingSecret,
        bodyLimitBytes: deps.bodyLimitBytes ?? 256 * 1024,
        onAcknowledged: (type) => log.info({ platform: "slack", type }, "slack envelope without an event acknowledged"),
      }),
    );
  const app = socket
    ? // The Socket Mode receiver builds its own Web API client (for apps.connections.open) from installerOptions.
      new App({
        token: settings.botToken,
        appToken: settings.appToken ?? "",
        socketMode: true,
        logger,
        clientOptions,
        installerOptions: { clientOptions },
      })
    : new App({
        token: settings.botToken,
        logger,
        clientOptions,
        receiver: new ExpressReceiver({
          signingSecret: settings.signingSecret,
          app: expressApp,
          endpoints: "/slack/events",
          ...(deps.bodyLimitBytes ? { bodyLimit: deps.bodyLimitBytes } : {}),
          logger,
          processEventErrorHandler: answerUnprocessable(log),
        }),
      });
  const checkUser = createSlackUserCheck(app.client, settings, now);
  const groupsOf = settings.resolveUserGroups ? createUserGroupLookup(app.client, now) : () => Promise.resolve([]);

  const run = (
    client: webApi.WebClient,
    place: SlackPlace,
    team: string,
    text: string,
    reply: PrivateReply,
    runId: string,
    enterprise: string | null = null,
  ): void => {
    const work = (async () => {
      let refusal: string | null;
      try {
        refusal = await checkUser(place.user, team, enterprise);
      } catch (error) {
        // Closed by default: without users.info the bot cannot tell a member from a stranger.
        const code = apiErrorCode(error);
        deps.onApiError?.(code ?? "users.info");
        log.warn({ runId, error: code ?? "unknown" }, "slack user check failed");
        return reply(
          "I could not check your Slack account just now (users.info failed), so I can't run this; please try again in a minute.",
        );
      }
      const requester = {
        platform: "slack" as const,
        user: place.user,
        userGroups: [],
        entraObjectId: null,
        channel: place.channel,
      };
      if (refusal) {
        await handler.refuse({ requester, thread: place.threadTs, text }, refusal, { replyPrivately: reply });
        return;
      }
      const surface = new SlackSurface(client, place, reply, (ts) => store.putProgressMessage(runId, ts));
      try {
        const userGroups = await groupsOf(place.user);
        await handler.handle(
          {
            requester: { platform: "slack", user: place.user, userGroups, entraObjectId: null, channel: place.channel },
            thread: place.threadTs,
            text,
            abortSignal: deps.shutdownSignal,
          },
          surface,
        );
      } catch (error) {
        const code = apiErrorCode(error);
        deps.onApiError?.(code ?? "unknown");
        if (code && notInChannel.has(code))
          return reply(
            "I can't post in this conversation. Invite me with `/invite @egress` in a channel, or run the command in a channel I'm in.",
          );
        log.error(
          { runId, error: code ?? (error instanceof Error ? error.message : "unknown") },
          "slack command failed",
        );
        return reply("Something went wrong while answering; the bot's log has the details.");
      }
    })();
    deps.track(
      work.catch((error: unknown) =>
        log.error({ runId, error: error instanceof Error ? error.message : "unknown" }, "slack reply failed"),
      ),
    );
  };

  // The command the Slack app manifest declares (manifests/slack).
  app.command("/egress", async ({ command, ack, respond, client }) => {
    await ack();
    if (!(await store.claimOnce(`slack:command:${command.team_id}:${command.trigger_id}`, now(), chatDedupeTtlInMs)))
      return;
    const reply: PrivateReply = async (text) => {
      await respond({ response_type: "ephemeral", text: escapeMrkdwn(text) });
    };
    run(
      client,
      { channel: command.channel_id, user: command.user_id, threadTs: null },
      command.team_id,
      command.text,
      reply,
      command.trigger_id,
      command.enterprise_id ?? null,
    );
  });

  app.event("app_mention", async ({ event, body, client }) => {
    // Event IDs are Slack's per workspace: the team is part of the key.
    if (!(await store.claimOnce(`slack:event:${body.team_id}:${body.event_id}`, now(), chatDedupeTtlInMs))) return;
    const user = event.user ?? "";
    const threadTs = event.thread_ts ?? event.ts;
    const reply: PrivateReply = async (text) => {
      await client.chat.postEphemeral({ channel: event.channel, user, thread_ts: threadTs, text: escapeMrkdwn(text) });
    };
    run(
      client,
      { channel: event.channel, user, threadTs },
      event.user_team ?? body.team_id,
      event.text.replace(mentionPrefix, ""),
      reply,
      body.event_id,
      body.enterprise_id ?? null,
    );
  });

  app.shortcut("diagnose_egress", async ({ shortcut, ack, client, respond }) => {
    await ack();
    if (shortcut.type !== "message_action") return;
    if (
      !(await store.claimOnce(
        `slack:shortcut:${shortcut.team?.id ?? ""}:${shortcut.trigger_id}`,
        now(),
        chatDedupeTtlInMs,
      ))
    )
      return;
    const message = shortcut.message as { ts: string; thread_ts?: string; text?: string };
    const threadTs = message.thread_ts ?? message.ts;
    // A shortcut works in channels the bot is not in; ephemeral posts there fail, the payload's
    // response_url does not.
    const reply = privateReplyWithFallback(async (text) => {
      await client.chat.postEphemeral({
        channel: shortcut.channel.id,
        user: shortcut.user.id,
        thread_ts: threadTs,
        text: escapeMrkdwn(text),
      });
    }, respond);
    // The message's command ("triage aks-prod", in code or not); otherwise say how to ask.
    const text = commandFromMessage(message.text ?? "");
    run(
      client,
      { channel: shortcut.channel.id, user: shortcut.user.id, threadTs },
      shortcut.team?.id ?? "",
      text || "help",
      reply,
      shortcut.trigger_id,
      shortcut.enterprise?.id ?? null,
    );
  });

  app.action(new RegExp(`^${nextActionId}_`), async ({ ack, body, action, client, respond }) => {
    await ack();
    if (body.type !== "block_actions" || action.type !== "button") return;
    const channel = body.channel?.id ?? "";
    const user = body.user.id;
    if (!(await store.claimOnce(`slack:action:${body.team?.id ?? ""}:${body.trigger_id}`, now(), chatDedupeTtlInMs)))
      return;
    const container = body.container as { thread_ts?: string; message_ts?: string };
    const clicked = body.message as { thread_ts?: string } | undefined;
    const threadTs = container.thread_ts ?? clicked?.thread_ts ?? container.message_ts ?? null;
    const reply = privateReplyWithFallback(async (text) => {
      await client.chat.postEphemeral({
        channel,
        user,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        text: escapeMrkdwn(text),
      });
    }, respond);
    const button = await handler.buttonFor(action.value ?? "");
    if ("refusal" in button) {
      deps.track(reply(button.refusal));
      return;
    }
    // The clicker's identity, not the original asker's, is checked again by the handler.
    run(
      client,
      { channel: button.context.channel ?? channel, user, threadTs: button.context.thread ?? threadTs },
      body.team?.id ?? "",
      button.context.command,
      reply,
      body.trigger_id,
      body.enterprise?.id ?? null,
    );
  });

  app.error((error) => {
    deps.onApiError?.("bolt");
    log.error({ error: error.code ?? error.message }, "slack handler error");
    return Promise.resolve();
  });

  return {
    mode: socket ? "socket" : "http",
    notifyInterrupted: async (record) => {
      if (!record.channel) return;
      await app.client.chat.postMessage({
        channel: record.channel,
        ...(record.thread ? { thread_ts: record.thread } : {}),
        text: escapeMrkdwn(interruptedText(record)),
      });
    },
    surfaceFor: (record) => {
      if (!record.channel) return null;
      const place: SlackPlace = { channel: record.channel, user: record.user ?? "", threadTs: record.thread };
      const reply: PrivateReply = async (text) => {
        await app.client.chat.postEphemeral({
          channel: place.channel,
          user: place.user,
          ...(place.threadTs ? { thread_ts: place.threadTs } : {}),
          text: escapeMrkdwn(text),
        });
      };
      return new SlackSurface(app.client, place, reply, undefined, record.progressMessage ?? null);
    },
    start: async () => {
      if (socket) await app.start();
    },
    stop: async () => {
      if (socket) await app.stop();
    },
  };
}
