import { Activity, ActivityTypes } from "@microsoft/agents-activity";
import {
  CloudAdapter,
  authorizeJWT,
  loadAuthConfigFromEnv,
  type ConnectorClient,
  type TurnContext,
} from "@microsoft/agents-hosting";
import express, { type Application } from "express";
import { chatDedupeTtlInMs, outsiderRefusal, type ChatRuntime, type FinalResult } from "../../src/index.js";
import type { ConnectorRetry } from "./connector-retry.js";
import { peerAllowed, serviceUrlRefusal } from "./teams-doors.js";
import { escapeTeamsText, nextVerb } from "./render-card.js";
import type { TeamsSettings } from "./teams-settings.js";
import { TeamsSurface } from "./teams-surface.js";

/** What the Teams adapter needs from the server. */
export interface TeamsDependencies extends ChatRuntime {
  readonly settings: TeamsSettings;
  /** A signed, expiring download link for a bundle, or null without `EGRESS_PUBLIC_URL`. */
  readonly linkFor: (result: FinalResult) => string | null;
  readonly retry?: ConnectorRetry;
  /** Largest activity the JSON parser reads. @default 64 KiB */
  readonly bodyLimitBytes?: number;
}

// The app ID continueConversation needs; anonymous local mode has none, and the SDK wants a value.
const anonymousAppId = "anonymous-local";

/**
 * Mounts Teams at `POST /api/messages` with the Microsoft 365 Agents SDK: `authorizeJWT` validates
 * the Bot Framework token (anonymous only outside production, as the SDK decides), the turn returns at
 * once, and the run posts through the stored conversation reference into the same channel thread.
 */
export function mountTeams(expressApp: Application, deps: TeamsDependencies): void {
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
    try {
      const connector = context.turnState.get<ConnectorClient>(adapter.ConnectorClientKey);
      const member = await connector.getConversationMember(
        activity.from?.id ?? "",
        team ?? activity.conversation?.id ?? "",
      );
      return (member as { userRole?: string }).userRole === "guest" ? outsiderRefusal("teams.allowGuests") : null;
    } catch (error) {
      deps.onApiError?.("getConversationMember");
      log.warn({ status: (error as { status?: number }).status ?? null }, "teams member lookup failed");
      return "I could not check your membership with Teams just now; please try again.";
    }
  };

  const start = async (context: TurnContext, text: string): Promise<void> => {
    const activity = context.activity;
    const reference = activity.getConversationReference();
    const conversationId = activity.conversation?.id ?? "";
    store.putConversation(`teams:${conversationId}`, reference);
    const surface = new TeamsSurface(adapter, appId, reference, deps.linkFor, retry, (id) =>
      store.putProgressMessage(activity.id ?? conversationId, id),
    );
    const refusal = refusalFor(activity) ?? (await guestRefusal(context));
    const request = {
      requester: {
        platform: "teams" as const,
        user: activity.from?.aadObjectId ?? activity.from?.id ?? null,
        userGroups: [],
        entraObjectId: activity.from?.aadObjectId ?? null,
        channel: conversationId.split(";")[0] ?? null,
      },
      thread: conversationId,
      text,
      abortSignal: deps.shutdownSignal,
    };
    const work = refusal ? deps.handler.refuse(request, refusal, surface) : deps.handler.handle(request, surface);
    deps.track(
      Promise.resolve(work).catch((error: unknown) => {
        deps.onApiError?.(String((error as { status?: number }).status ?? "unknown"));
        log.error({ error: error instanceof Error ? error.message.slice(0, 200) : "unknown" }, "teams reply failed");
      }),
    );
  };

  const buttonCommand = (key: unknown): { command: string } | { refusal: string } => {
    const button = deps.handler.buttonFor(typeof key === "string" ? key : "");
    return "refusal" in button ? button : { command: button.context.command };
  };

  const onTurn = async (context: TurnContext): Promise<void> => {
    const activity = context.activity;
    // Teams re-sends an activity when the bot is slow; the activity ID identifies it.
    const type = activity.type;
    if (activity.id && !store.claimOnce(`teams:activity:${activity.id}`, now(), chatDedupeTtlInMs)) {
      if (type === "invoke")
        await context.sendActivity(
          Activity.fromObject({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: {} } }),
        );
      return;
    }
    if (type === "invoke" && activity.name === "adaptiveCard/action") {
      const action = (activity.value as { action?: { verb?: string; data?: { egressKey?: unknown } } } | undefined)
        ?.action;
      const next = action?.verb === nextVerb ? buttonCommand(action.data?.egressKey) : { refusal: "Unknown action." };
      await context.sendActivity(
        Activity.fromObject({
          type: ActivityTypes.InvokeResponse,
          value: {
            status: 200,
            body: {
              statusCode: 200,
              type: "application/vnd.microsoft.activity.message",
              value: "refusal" in next ? next.refusal : "Running it in this thread.",
            },
          },
        }),
      );
      if ("command" in next) await start(context, next.command);
      return;
    }
    if (type !== "message") return;
    const submitted = (activity.value as { egressKey?: unknown } | undefined)?.egressKey;
    if (submitted !== undefined) {
      const next = buttonCommand(submitted);
      if ("refusal" in next) await context.sendActivity(escapeTeamsText(next.refusal));
      else await start(context, next.command);
      return;
    }
    await start(context, activity.removeRecipientMention() ?? activity.text ?? "");
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
}
