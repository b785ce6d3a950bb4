import { App, AuthorizationError, ExpressReceiver, type ReceiverProcessEventErrorHandlerArgs } from "@slack/bolt";
import type { Application } from "express";
import {
  chatDedupeTtlInMs,
  interruptedText,
  intakeOf,
  RunHandedBack,
  type ChatRuntime,
  type QueuedAnswerer,
  type QueuedAttempt,
  type RunningRecord,
  type AnswerView,
} from "../../src/index.js";
import { boltLogger } from "./bolt-logger.js";
import { slackEnvelopeDoor } from "./envelope-door.js";
import { commandFromMessage } from "./message-command.js";
import { createSlackUserCheck } from "./check-slack-user.js";
import { nextActionId, renderSummary } from "./render-blocks.js";
import { escapeMrkdwn } from "./slack-text.js";
import type { SlackSettings } from "./slack-settings.js";
import { isNotInChannel, placeOf, privateReplyOf, slackErrorCode, type SlackIntake } from "./slack-intake.js";
import { SlackSurface } from "./slack-surface.js";
import { createUserGroupLookup } from "./slack-user-groups.js";

/**
 * What Bolt answers when it fails on a request before any listener acknowledged it. Every listener
 * acknowledges, and catches its own store failures, so such a failure is Bolt reading a signed body it cannot use (an interactivity
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

/** What a user hears when the bot cannot take a command because its store did not answer. */
const unavailable = "egress-bot could not take this command just now (its database did not answer); please try again.";

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
   * Answers a queued command on this replica (whichever accepted it): its thread, its progress
   * message (edited, not posted again) and its private replies come from the record.
   */
  answerQueued: QueuedAnswerer;
  /**
   * Posts an answer the bot was not asked for (the drift watch's) to a channel: one message at the
   * channel's root, any continuation in its thread.
   */
  postToChannel(channel: string, view: AnswerView): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const mentionPrefix = /^\s*<@[A-Z0-9]+(?:\|[^>]*)?>\s*/;
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

  /**
   * Answers one accepted command: the user check, then the command flow in one thread. Awaited by the
   * run queue's worker (with the attempt), tracked in the background otherwise.
   */
  const answer = async (intake: SlackIntake, queued?: QueuedAttempt): Promise<void> => {
    const { place, requestId: runId } = intake;
    const reply = privateReplyOf(app.client, intake);
    let refusal: string | null;
    try {
      refusal = await checkUser(place.user, intake.team, intake.enterprise);
    } catch (error) {
      // Closed by default: without users.info the bot cannot tell a member from a stranger.
      const code = slackErrorCode(error);
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
    const threadTs = queued?.record.thread ?? place.threadTs;
    if (refusal) {
      await handler.refuse({ requester, thread: threadTs, text: intake.text }, refusal, { replyPrivately: reply });
      return;
    }
    const surface = new SlackSurface(
      app.client,
      placeOf(intake, threadTs),
      reply,
      (ts) => store.putProgressMessage(runId, ts),
      queued?.record.progressMessage ?? null,
    );
    try {
      const userGroups = await groupsOf(place.user);
      await handler.handle(
        {
          requester: { ...requester, userGroups },
          thread: threadTs,
          text: intake.text,
          abortSignal: queued?.handBack ?? deps.shutdownSignal,
          ...(queued ? { queued } : {}),
        },
        surface,
      );
    } catch (error) {
      if (error instanceof RunHandedBack) throw error;
      const code = slackErrorCode(error);
      deps.onApiError?.(code ?? "unknown");
      if (isNotInChannel(error))
        return reply(
          "I can't post in this conversation. Invite me with `/invite @egress` in a channel, or run the command in a channel I'm in.",
        );
      log.error({ runId, error: code ?? (error instanceof Error ? error.message : "unknown") }, "slack command failed");
      return reply("Something went wrong while answering; the bot's log has the details.");
    }
  };

  /**
   * Takes a command: with the run queue, durable before Slack hears the ack (so a replica killed a
   * moment later loses nothing); without, acked and answered in the background here.
   */
  const accept = async (
    intake: SlackIntake,
    dedupeKey: string,
    ack: (text?: string) => Promise<void>,
  ): Promise<void> => {
    if (!deps.intake) {
      await ack();
      const admit = deps.admit ?? ((work: () => Promise<void>) => work());
      deps.track(
        admit(() => answer(intake)).catch((error: unknown) =>
          log.error(
            { runId: intake.requestId, error: error instanceof Error ? error.message : "unknown" },
            "slack reply failed",
          ),
        ),
      );
      return;
    }
    try {
      await deps.intake.accept({
        platform: "slack",
        user: intake.place.user,
        channel: intake.place.channel,
        thread: intake.place.threadTs,
        text: intake.text,
        payload: intake,
        dedupeKey,
      });
    } catch (error) {
      log.error(
        { runId: intake.requestId, error: error instanceof Error ? error.message.slice(0, 200) : "unknown" },
        "slack command could not be queued",
      );
      await ack(unavailable);
      return;
    }
    await ack();
  };
  /**
   * Claims Slack's request ID once, before the ack: a retry of a request already taken is acked and
   * dropped. A store that cannot answer is logged and the request acked with a refusal. With the run
   * queue there is no separate claim (a replica killed between claim and queue would strand the
   * request): the intake itself is idempotent by the same key.
   */
  const claimed = async (key: string, ack: (text?: string) => Promise<void>): Promise<boolean> => {
    if (deps.intake) return true;
    try {
      if (await store.claimOnce(key, now(), chatDedupeTtlInMs)) return true;
      await ack();
    } catch (error) {
      log.error({ error: error instanceof Error ? error.message.slice(0, 200) : "unknown" }, "slack dedupe failed");
      await ack(unavailable);
    }
    return false;
  };

  // The command the Slack app manifest declares (manifests/slack).
  app.command("/egress", async ({ command, ack }) => {
    const acknowledge = (text?: string): Promise<void> =>
      text ? ack({ response_type: "ephemeral", text: escapeMrkdwn(text) }) : ack();
    const dedupeKey = `slack:command:${command.team_id}:${command.trigger_id}`;
    if (!(await claimed(dedupeKey, acknowledge))) return;
    await accept(
      {
        place: { channel: command.channel_id, user: command.user_id, threadTs: null },
        team: command.team_id,
        enterprise: command.enterprise_id ?? null,
        text: command.text,
        requestId: command.trigger_id,
        privately: "respond",
        responseUrl: command.response_url,
      },
      dedupeKey,
      acknowledge,
    );
  });

  app.event("app_mention", async ({ event, body }) => {
    // Event IDs are Slack's per workspace: the team is part of the key. Bolt has acked the event.
    const acked = (): Promise<void> => Promise.resolve();
    const dedupeKey = `slack:event:${body.team_id}:${body.event_id}`;
    if (!(await claimed(dedupeKey, acked))) return;
    const user = event.user ?? "";
    await accept(
      {
        place: { channel: event.channel, user, threadTs: event.thread_ts ?? event.ts },
        team: event.user_team ?? body.team_id,
        enterprise: body.enterprise_id ?? null,
        text: event.text.replace(mentionPrefix, ""),
        requestId: body.event_id,
        privately: "ephemeral",
        responseUrl: null,
      },
      dedupeKey,
      acked,
    );
  });

  app.shortcut("diagnose_egress", async ({ shortcut, ack }) => {
    const acknowledge = (): Promise<void> => ack();
    if (shortcut.type !== "message_action") return acknowledge();
    const dedupeKey = `slack:shortcut:${shortcut.team?.id ?? ""}:${shortcut.trigger_id}`;
    if (!(await claimed(dedupeKey, acknowledge))) return;
    const message = shortcut.message as { ts: string; thread_ts?: string; text?: string };
    // The message's command ("triage aks-prod", in code or not); otherwise say how to ask. A shortcut
    // works in channels the bot is not in: private answers fall back to the payload's response_url.
    await accept(
      {
        place: { channel: shortcut.channel.id, user: shortcut.user.id, threadTs: message.thread_ts ?? message.ts },
        team: shortcut.team?.id ?? "",
        enterprise: shortcut.enterprise?.id ?? null,
        text: commandFromMessage(message.text ?? "") || "help",
        requestId: shortcut.trigger_id,
        privately: "ephemeral",
        responseUrl: shortcut.response_url,
      },
      dedupeKey,
      acknowledge,
    );
  });

  app.action(new RegExp(`^${nextActionId}_`), async ({ ack, body, action }) => {
    const acknowledge = (): Promise<void> => ack();
    if (body.type !== "block_actions" || action.type !== "button") return acknowledge();
    const dedupeKey = `slack:action:${body.team?.id ?? ""}:${body.trigger_id}`;
    if (!(await claimed(dedupeKey, acknowledge))) return;
    const channel = body.channel?.id ?? "";
    const container = body.container as { thread_ts?: string; message_ts?: string };
    const clicked = body.message as { thread_ts?: string } | undefined;
    const threadTs = container.thread_ts ?? clicked?.thread_ts ?? container.message_ts ?? null;
    const intake: SlackIntake = {
      place: { channel, user: body.user.id, threadTs },
      team: body.team?.id ?? "",
      enterprise: body.enterprise?.id ?? null,
      text: "",
      requestId: body.trigger_id,
      privately: "ephemeral",
      responseUrl: body.response_url ?? null,
    };
    const button = await handler.buttonFor(action.value ?? "");
    if ("refusal" in button) {
      await acknowledge();
      deps.track(privateReplyOf(app.client, intake)(button.refusal));
      return;
    }
    // The clicker's identity, not the original asker's, is checked again by the handler.
    await accept(
      {
        ...intake,
        place: {
          ...intake.place,
          channel: button.context.channel ?? channel,
          threadTs: button.context.thread ?? threadTs,
        },
        text: button.context.command,
      },
      dedupeKey,
      acknowledge,
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
    postToChannel: async (channel, view) => {
      const [first, ...rest] = renderSummary(view, []);
      if (!first) return;
      const root = await app.client.chat.postMessage({ channel, text: first.text, blocks: [...first.blocks] });
      for (const message of rest)
        await app.client.chat.postMessage({
          channel,
          ...(root.ts ? { thread_ts: root.ts } : {}),
          text: message.text,
          blocks: [...message.blocks],
        });
    },
    answerQueued: async (record, attempt) => {
      const intake = intakeOf(record);
      if (intake) await answer(intake.payload as SlackIntake, attempt);
    },
    start: async () => {
      if (socket) await app.start();
    },
    stop: async () => {
      if (socket) await app.stop();
    },
  };
}
