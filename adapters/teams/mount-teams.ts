import { Activity, ActivityTypes, type ConversationReference } from "@microsoft/agents-activity";
import {
  CloudAdapter,
  authorizeJWT,
  loadAuthConfigFromEnv,
  type ConnectorClient,
  type TurnContext,
} from "@microsoft/agents-hosting";
import express, { type Application } from "express";
import {
  chatDedupeTtlInMs,
  interruptedText,
  intakeOf,
  introduction,
  outsiderRefusal,
  type ChatRequest,
  type ChatRuntime,
  type FinalResult,
  type QueuedAnswerer,
  type Requester,
  type AnswerView,
  type EvidenceBundle,
  type RunningRecord,
} from "../../src/index.js";
import { withConnectorRetry, type ConnectorRetry } from "./connector-retry.js";
import { peerAllowed, serviceUrlRefusal } from "./teams-doors.js";
import { escapeTeamsText, nextVerb } from "./render-card.js";
import type { TeamsSettings } from "./teams-settings.js";
import { TeamsSurface } from "./teams-surface.js";
import { commandTextOf } from "./teams-text.js";

/** What the Teams adapter needs from the server. */
export interface TeamsDependencies extends ChatRuntime {
  readonly settings: TeamsSettings;
  /** A signed, expiring download link for a bundle, or null without `EGRESS_PUBLIC_URL`. */
  readonly linkFor: (result: FinalResult) => Promise<string | null>;
  readonly retry?: ConnectorRetry;
  /** Largest activity the JSON parser reads. @default 64 KiB */
  readonly bodyLimitBytes?: number;
  /** How long the guest check waits for the connector's member record before refusing. @default 5000 */
  readonly memberLookupTimeoutInMs?: number;
}

// The app ID continueConversation needs; anonymous local mode has none, and the SDK wants a value.
const anonymousAppId = "anonymous-local";

/** What the server keeps of the Teams adapter once mounted. */
export interface TeamsHandle {
  /** Tells a run's thread that a restart interrupted it. */
  notifyInterrupted(record: RunningRecord): Promise<void>;
  /** Answers a queued command on this replica, in its stored conversation, editing its progress card. */
  answerQueued: QueuedAnswerer;
  /**
   * Posts an answer the bot was not asked for (the drift watch's) into a conversation the bot was
   * addressed in (its reference is stored then); false when no reference is stored for it.
   */
  postToConversation(conversationId: string, bundle: EvidenceBundle, view: AnswerView): Promise<boolean>;
}

/** What a queued Teams command carries beyond its text: who asked, as the activity vouched for them. */
interface TeamsIntake {
  readonly requester: Requester;
}

/**
 * Mounts Teams at `POST /api/messages` with the Microsoft 365 Agents SDK: `authorizeJWT` validates
 * the Bot Framework token (anonymous only outside production, as the SDK decides), the turn returns at
 * once, and the run posts through the stored conversation reference into the same channel thread.
 */
export function mountTeams(expressApp: Application, deps: TeamsDependencies): TeamsHandle {
  const { settings, store, log, now } = deps;
  const authConfig = loadAuthConfigFromEnv();
  const adapter = new CloudAdapter(authConfig);
  // The SDK's default turn-error handler posts "The agent encountered an error or bug." into the
  // chat; we retry or report ourselves, so errors go back to the caller instead.
  adapter.onTurnError = (_context, error) => Promise.reject(error instanceof Error ? error : new Error(String(error)));
  const appId = settings.clientId ?? anonymousAppId;
  const retry = deps.retry ?? { retries: 4, minTimeout: 1000, maxTimeout: 15_000 };

  const refusalFor = (activity: Activity): string | null => {
    const tenant =
      activity.conversation?.tenantId ??
      (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ??
      null;
    const user = activity.from?.aadObjectId ?? null;
    if (user && settings.allowGuests.includes(user)) return null;
    if (settings.tenants.length > 0 && (!tenant || !settings.tenants.includes(tenant)))
      return outsiderRefusal("teams.allowGuests");
    return null;
  };

  // Guests of an allowed tenant look like members in the activity; the connector's member record says
  // `userRole: "guest"`. A failed lookup refuses (closed by default): evidence shows network layout.
  const guestRefusal = async (context: TurnContext): Promise<string | null> => {
    const activity = context.activity;
    const user = activity.from?.aadObjectId ?? null;
    if (user && settings.allowGuests.includes(user)) return null;
    const team = (activity.channelData as { team?: { id?: string } } | undefined)?.team?.id;
    let timer: NodeJS.Timeout | undefined;
    try {
      const connector = context.turnState.get<ConnectorClient>(adapter.ConnectorClientKey);
      const lookup = connector.getConversationMember(activity.from?.id ?? "", team ?? activity.conversation?.id ?? "");
      // Closed by default on a slow connector too: no answer in time is no answer.
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(Object.assign(new Error("member lookup timed out"), { timedOut: true })),
          deps.memberLookupTimeoutInMs ?? 5000,
        );
      });
      const member = await Promise.race([lookup, timeout]);
      return (member as { userRole?: string }).userRole === "guest" ? outsiderRefusal("teams.allowGuests") : null;
    } catch (error) {
      const timedOut = (error as { timedOut?: boolean }).timedOut === true;
      deps.onApiError?.(timedOut ? "getConversationMember timeout" : "getConversationMember");
      log.warn({ status: (error as { status?: number }).status ?? null, timedOut }, "teams member lookup failed");
      return timedOut
        ? "Teams did not confirm your membership in time, so I can't run this now; please try again in a minute."
        : "I could not check your membership with Teams just now; please try again.";
    } finally {
      clearTimeout(timer);
    }
  };

  /** The command request a Teams activity makes. */
  const requestOf = (activity: Activity, text: string): ChatRequest => {
    const conversationId = activity.conversation?.id ?? "";
    return {
      requester: {
        platform: "teams" as const,
        user: activity.from?.aadObjectId ?? activity.from?.id ?? null,
        userGroups: [],
        entraObjectId: activity.from?.aadObjectId ?? null,
        channel: conversationId.split(";")[0] ?? null,
      },
      thread: conversationId,
      text,
      ...(deps.shutdownSignal ? { abortSignal: deps.shutdownSignal } : {}),
    };
  };
  const track = (work: Promise<unknown>): void => {
    deps.track(
      work.catch((error: unknown) => {
        deps.onApiError?.(String((error as { status?: number }).status ?? "unknown"));
        log.error({ error: error instanceof Error ? error.message.slice(0, 200) : "unknown" }, "teams reply failed");
      }),
    );
  };

  /** Runs a command in the background, in the activity's thread; `checked` skips the adapter's own checks. */
  const start = async (context: TurnContext, text: string, checked = false): Promise<void> => {
    const activity = context.activity;
    const reference = activity.getConversationReference();
    const conversationId = activity.conversation?.id ?? "";
    await store.putConversation(`teams:${conversationId}`, reference);
    const surface = new TeamsSurface(adapter, appId, reference, deps.linkFor, retry, (id) =>
      store.putProgressMessage(activity.id ?? conversationId, id),
    );
    const refusal = checked ? null : (refusalFor(activity) ?? (await guestRefusal(context)));
    const request = requestOf(activity, text);
    if (refusal) track(deps.handler.refuse(request, refusal, surface));
    // With the run queue the command is durable before Teams hears 200; any replica answers it.
    else if (deps.intake) {
      const payload: TeamsIntake = { requester: request.requester };
      await deps.intake.accept({
        platform: "teams",
        user: request.requester.user,
        channel: request.requester.channel,
        thread: conversationId,
        text,
        payload,
        dedupeKey: `teams:activity:${conversationId}:${activity.id ?? ""}`,
      });
    } else
      track(
        deps.admit ? deps.admit(() => deps.handler.handle(request, surface)) : deps.handler.handle(request, surface),
      );
  };

  // Added to a team, a channel or a chat (conversationUpdate with the bot among membersAdded, or
  // installationUpdate "add"): one short introduction per conversation.
  const introduce = async (context: TurnContext): Promise<void> => {
    const activity = context.activity;
    const botId = activity.recipient?.id;
    const added =
      (activity.type === "conversationUpdate" && (activity.membersAdded ?? []).some((member) => member.id === botId)) ||
      (activity.type === "installationUpdate" && (activity.action ?? "").toLowerCase().startsWith("add"));
    if (!added) return;
    const team = (activity.channelData as { team?: { id?: string } } | undefined)?.team?.id;
    const place = team ?? activity.conversation?.id ?? "";
    if (!(await store.claimOnce(`teams:intro:${place}`, now(), chatDedupeTtlInMs))) return;
    await context.sendActivity(escapeTeamsText(introduction(`@${activity.recipient?.name ?? "egress"}`)));
  };

  const buttonCommand = async (key: unknown): Promise<{ command: string } | { refusal: string }> => {
    const button = await deps.handler.buttonFor(typeof key === "string" ? key : "");
    return "refusal" in button ? button : { command: button.context.command };
  };

  const onTurn = async (context: TurnContext): Promise<void> => {
    const activity = context.activity;
    // Teams re-sends an activity when the bot is slow. Activity IDs are unique per conversation only,
    // so the conversation is part of the key.
    const type = activity.type;
    // With the run queue a message's command is queued idempotently by this same key, so no claim
    // comes first (a replica dying between a claim and the queue would drop Teams' resend).
    const queuedByKey = Boolean(deps.intake) && type === "message";
    if (
      activity.id &&
      !queuedByKey &&
      !(await store.claimOnce(
        `teams:activity:${activity.conversation?.id ?? ""}:${activity.id}`,
        now(),
        chatDedupeTtlInMs,
      ))
    ) {
      if (type === "invoke")
        await context.sendActivity(
          Activity.fromObject({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: {} } }),
        );
      return;
    }
    if (type === "invoke" && activity.name === "adaptiveCard/action") {
      const action = (activity.value as { action?: { verb?: string; data?: { egressKey?: unknown } } } | undefined)
        ?.action;
      const next =
        action?.verb === nextVerb ? await buttonCommand(action.data?.egressKey) : { refusal: "Unknown action." };
      // Every check runs before the click is answered, so a refusal or a usage hint is never
      // preceded by the promise of a run.
      const request = "command" in next ? requestOf(activity, next.command) : null;
      const refusal =
        "refusal" in next
          ? next.refusal
          : (refusalFor(activity) ??
            (await guestRefusal(context)) ??
            (await deps.handler.precheck(request as ChatRequest)));
      await context.sendActivity(
        Activity.fromObject({
          type: ActivityTypes.InvokeResponse,
          value: {
            status: 200,
            body: {
              statusCode: 200,
              type: "application/vnd.microsoft.activity.message",
              value: refusal ?? "Running it in this thread.",
            },
          },
        }),
      );
      if (request && refusal)
        // Told in the click's answer; recorded and counted like every refusal.
        track(deps.handler.refuse(request, refusal, { replyPrivately: () => Promise.resolve() }));
      else if (request) await start(context, request.text, true);
      return;
    }
    if (type === "conversationUpdate" || type === "installationUpdate") {
      await introduce(context);
      return;
    }
    if (type !== "message") return;
    const submitted = (activity.value as { egressKey?: unknown } | undefined)?.egressKey;
    if (submitted !== undefined) {
      const next = await buttonCommand(submitted);
      if ("refusal" in next) await context.sendActivity(escapeTeamsText(next.refusal));
      else await start(context, next.command);
      return;
    }
    await start(context, commandTextOf(activity));
  };

  const anonymous = settings.clientId === null;
  const serviceUrlPolicy = { anonymous, cloud: settings.cloud, extraHosts: settings.serviceUrlHosts };
  // Anonymous local mode has no token to check, so it answers only the peers it is told to (loopback).
  const peerDoor: express.RequestHandler = (request, response, next) => {
    if (!anonymous || peerAllowed(request.socket.remoteAddress, settings.anonymousPeers)) {
      next();
      return;
    }
    log.warn({}, "teams activity refused: anonymous local mode and the peer is not allowed");
    response.status(403).set("Connection", "close").json({ error: "anonymous local mode answers only this machine" });
  };
  // The answer goes to the activity's serviceUrl: only to this machine (anonymous) or the cloud's Bot Connector.
  const serviceUrlDoor: express.RequestHandler = (request, response, next) => {
    const serviceUrl = (request.body as { serviceUrl?: unknown } | undefined)?.serviceUrl;
    if (typeof serviceUrl !== "string") {
      response.status(400).json({ error: "not a valid activity" });
      return;
    }
    const refusal = serviceUrlRefusal(serviceUrl, serviceUrlPolicy);
    if (!refusal) {
      next();
      return;
    }
    log.warn({ reason: refusal }, "teams activity refused: serviceUrl");
    response.status(403).json({ error: `serviceUrl refused: ${refusal}` });
  };
  const limit = deps.bodyLimitBytes ?? 64 * 1024;
  expressApp.post(
    "/api/messages",
    peerDoor,
    express.json({ limit }),
    authorizeJWT(authConfig),
    serviceUrlDoor,
    (request, response) => {
      adapter.process(request, response, onTurn).catch((error: unknown) => {
        // The SDK validates the activity with a schema; a malformed one is the caller's error, and its
        // details (which echo the payload) stay out of the log.
        const invalid =
          error instanceof Error &&
          (error.name === "ZodError" || Array.isArray((error as { issues?: unknown }).issues));
        if (invalid) log.warn({}, "teams activity rejected: not a valid activity");
        else
          log.error({ error: error instanceof Error ? error.message.slice(0, 200) : "unknown" }, "teams turn failed");
        if (!response.headersSent)
          response.status(invalid ? 400 : 500).json({ error: invalid ? "not a valid activity" : "internal error" });
      });
    },
  );
  return {
    // The conversation reference stored when the run started carries the thread (`;messageid=`).
    answerQueued: async (record, queued) => {
      const intake = intakeOf(record);
      const reference = record.thread ? await store.getConversation(`teams:${record.thread}`) : undefined;
      if (!intake || !reference) {
        log.warn({}, "a queued Teams command has no stored conversation to answer in");
        return;
      }
      const surface = new TeamsSurface(
        adapter,
        appId,
        reference as ConversationReference,
        deps.linkFor,
        retry,
        undefined,
        record.progressMessage ?? null,
      );
      const { requester } = intake.payload as TeamsIntake;
      await deps.handler.handle(
        { requester, thread: record.thread, text: intake.text, abortSignal: queued.handBack, queued },
        surface,
      );
    },
    postToConversation: async (conversationId, bundle, view) => {
      const reference = await store.getConversation(`teams:${conversationId}`);
      if (!reference) return false;
      const surface = new TeamsSurface(adapter, appId, reference as ConversationReference, deps.linkFor, retry);
      await surface.postResult({ bundle, view, markdown: "", buttonKeys: [] });
      return true;
    },
    notifyInterrupted: async (record) => {
      const reference = record.thread ? await store.getConversation(`teams:${record.thread}`) : undefined;
      if (!reference) return;
      await withConnectorRetry(
        () =>
          adapter.continueConversation(appId, reference as ConversationReference, async (context) => {
            await context.sendActivity(escapeTeamsText(interruptedText(record)));
          }),
        retry,
      );
    },
  };
}
