import pLimit from "p-limit";
import express, { type Application } from "express";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import {
  buildAnswerView,
  bundleFileName,
  recoverInterruptedRuns,
  runDriftTick,
  type TickSchedule,
  pathPicture,
  svgToPng,
  type ChatCommandHandler,
  type EgressService,
  type Logger,
  RunIntake,
  type RunQueue,
  type StateStore,
} from "../../src/index.js";
import { mountConsole, type ConsoleHandle, type ConsoleOptions } from "../console/mount-console.js";
import type { ConsoleRenderers } from "../console/console-renderers.js";
import { renderProgress, renderSummary } from "../slack/render-blocks.js";
import { mountSlack, type SlackHandle } from "../slack/mount-slack.js";
import type { SlackSettingsResult } from "../slack/slack-settings.js";
import type { ConnectorRetry } from "../teams/connector-retry.js";
import { renderProgressCard, renderSummaryCards } from "../teams/render-card.js";
import type { TeamsSettingsResult } from "../teams/teams-settings.js";
import type { TeamsHandle } from "../teams/mount-teams.js";
import { BundleLinks } from "./bundle-links.js";
import { chatDoor, defaultChatDoorLimits, type ChatDoorLimits } from "./chat-doors.js";
import { isLoopbackAddress } from "../console/console-guard.js";
import type { BotMetrics } from "./metrics.js";
import { RunTracker } from "./run-tracker.js";

/** Says whether the bot can answer: runbooks loaded and Azure (or the world) reachable. */
export type ReadinessCheck = () => Promise<{ ready: boolean; reasons: readonly string[] }>;

/** What the server is built from; `main.ts` reads them from the environment, tests pass fakes. */
export interface ServerOptions {
  readonly service: EgressService;
  readonly handler: ChatCommandHandler;
  readonly store: StateStore;
  readonly metrics: BotMetrics;
  readonly log: Logger;
  readonly slack: SlackSettingsResult;
  readonly teams: TeamsSettingsResult;
  readonly readiness: ReadinessCheck;
  readonly now?: () => number;
  readonly slackRetryConfig?: { retries: number; minTimeout?: number; maxTimeout?: number };
  readonly teamsRetry?: ConnectorRetry;
  /** How long the Teams guest check waits for the connector. @default 5000 */
  readonly teamsMemberLookupTimeoutInMs?: number;
  /** Key for signing bundle links; random per process when absent. */
  readonly linkKey?: string;
  /** The local web console at `/`; off when absent. */
  readonly console?: ServerConsoleOptions | null;
  /**
   * `EGRESS_ADMIN_PORT`: serve `/metrics` and the console on a listener of their own at
   * 127.0.0.1:`adminPort` (0 picks a free port) instead of on the bot's port.
   */
  readonly adminPort?: number | null;
  /**
   * `EGRESS_METRICS_PORT`: serve `/metrics` on a listener of its own (for Prometheus in a cluster), at
   * `metricsHost`. Without it, `/metrics` is on the admin listener, or on the bot's port for loopback
   * peers only, and not at all on the bot's port in production.
   */
  readonly metricsPort?: number | null;
  /** `EGRESS_METRICS_HOST`. @default "127.0.0.1" */
  readonly metricsHost?: string;
  /** `NODE_ENV=production`: no operator endpoint on the public chat listener. @default false */
  readonly production?: boolean;
  /** Body sizes, requests in flight and Slack's clock skew at the chat endpoints. */
  readonly doors?: Partial<ChatDoorLimits>;
  /** Slow-body bound: the whole request must arrive within this. @default 15000 */
  readonly requestTimeoutInMs?: number;
  /** Open connections the bot's listener keeps at once. @default 1024 */
  readonly maxConnections?: number;
  /**
   * Slack and Teams commands this process answers at once without the run queue; the rest are
   * acknowledged and wait their turn. @default 16
   */
  readonly maxConcurrentAnswers?: number;
  /**
   * The durable run queue (the same one the handler submits to): this replica takes runs from it
   * once listening, and hands unfinished ones back when it closes.
   */
  readonly queue?: RunQueue | null;
  /** The drift watch: its schedule and where it posts. Off without one. */
  readonly drift?: {
    readonly schedule: TickSchedule;
    readonly slackChannel: string | null;
    readonly teamsConversation: string | null;
  } | null;
}

/** The console's own settings; the server adds its service, handler, renderers and run tracking. */
export type ServerConsoleOptions = Omit<
  ConsoleOptions,
  "service" | "handler" | "renderers" | "log" | "track" | "shutdownSignal"
>;

// The console shows each reply exactly as the Slack and Teams adapters render it.
const consoleRenderers: ConsoleRenderers = {
  progressCard: renderProgressCard,
  summaryCards: renderSummaryCards,
  progressSlack: renderProgress,
  summarySlack: renderSummary,
};

/** How often a replica on a shared store says its runs are alive, and when a silent one's runs count as interrupted. */
export const runHeartbeatInMs = 60_000;
export const runStaleAfterInMs = 3 * runHeartbeatInMs;

/** The running pieces, for `main.ts` and tests. */
export interface BotServer {
  readonly app: Application;
  readonly http: Server;
  /** The admin listener (`/metrics` and the console) when `adminPort` is set. */
  readonly adminHttp: Server | null;
  /** The admin listener's bound port once listening, or null without one. */
  adminPort(): number | null;
  /** The metrics listener's bound port once listening, or null without one. */
  metricsPort(): number | null;
  readonly tracker: RunTracker;
  readonly platforms: Readonly<Record<"slack" | "teams" | "console" | "metrics", string>>;
  /** Listens on `port` (0 for a random one) at `host`; resolves with the bound port. */
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting, lets runs finish within `graceInMs` (then they post "interrupted"), and closes. */
  close(graceInMs: number): Promise<void>;
}

/**
 * One express 5 app and one `http.Server`: Slack at `POST /slack/events`, Teams at `POST /api/messages`, signed bundle links at `GET /bundles/:runId`, health at `/healthz` and
 * `/readyz`, Prometheus at `/metrics`, and the local console at `/` when asked for. No global body parser: Bolt needs the raw body for signatures.
 */
export function createBotServer(options: ServerOptions): BotServer {
  const now = options.now ?? Date.now;
  const app = express();
  app.disable("x-powered-by");
  const tracker = new RunTracker();
  // One bound for both platforms' answers (without the run queue, which bounds its own).
  const admit = pLimit(options.maxConcurrentAnswers ?? 16);
  // With the run queue, Slack and Teams commands are durable before they are acknowledged.
  const intake = options.queue
    ? new RunIntake({
        store: options.store,
        queue: options.queue,
        clock: { now },
        log: options.log.child({ component: "run-intake" }),
      })
    : null;
  let draining = false;

  const admin = options.adminPort === undefined || options.adminPort === null ? null : express();
  admin?.disable("x-powered-by");
  // Operators' endpoints: on the admin listener when there is one, else beside the bot's.
  const operations = admin ?? app;
  // Every request gets an ID (the caller's X-Request-Id when it sends a sane one), echoed back and
  // logged with its duration; chat requests also feed the ack-latency histogram. While draining,
  // requests are refused with 503.
  const everyRequest = (request: express.Request, response: express.Response, next: express.NextFunction): void => {
    const given = request.get("x-request-id");
    const requestId = given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    response.set("x-request-id", requestId);
    const started = process.hrtime.bigint();
    const platform =
      draining || request.method !== "POST"
        ? null
        : request.path === "/slack/events"
          ? "slack"
          : request.path === "/api/messages"
            ? "teams"
            : null;
    response.on("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      options.log.debug(
        {
          requestId,
          method: request.method,
          path: request.path,
          status: response.statusCode,
          durationMs: seconds * 1000,
        },
        "request",
      );
      if (platform) options.metrics.ackLatency.observe({ platform }, seconds);
    });
    if (draining) {
      response.status(503).set("Connection", "close").json({ error: "shutting down" });
      return;
    }
    next();
  };
  app.use(everyRequest);
  admin?.use(everyRequest);
  app.get("/healthz", (_request, response) => {
    response.json({ status: "ok" });
  });
  app.get("/readyz", async (_request, response) => {
    const { ready, reasons } = await options.readiness();
    response.status(ready && !draining ? 200 : 503).json({
      ready: ready && !draining,
      reasons: draining ? ["shutting down", ...reasons] : reasons,
      simulated: options.service.simulated,
    });
  });
  const serveMetrics = async (_request: express.Request, response: express.Response): Promise<void> => {
    response.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  };
  // /metrics is unauthenticated: on a listener of its own, on the loopback admin listener, or on the
  // bot's port for this machine only (never on the public chat listener in production).
  const metricsApp = options.metricsPort === undefined || options.metricsPort === null ? null : express();
  metricsApp?.disable("x-powered-by");
  metricsApp?.get("/metrics", serveMetrics);
  if (!metricsApp && admin) admin.get("/metrics", serveMetrics);
  else if (!metricsApp && !options.production)
    app.get(
      "/metrics",
      (request, response, next) => {
        if (isLoopbackAddress(request.socket.remoteAddress)) next();
        else response.status(403).json({ error: "/metrics answers only on this machine (set EGRESS_METRICS_PORT)" });
      },
      serveMetrics,
    );

  const doorLimits: ChatDoorLimits = { ...defaultChatDoorLimits, ...options.doors };
  const inFlight = { count: 0 };
  app.post("/slack/events", chatDoor("slack", doorLimits, inFlight, now));
  app.post("/api/messages", chatDoor("teams", doorLimits, inFlight, now));

  let slack: SlackHandle | null = null;
  if (options.slack.enabled) {
    slack = mountSlack(app, {
      settings: options.slack.settings,
      handler: options.handler,
      store: options.store,
      log: options.log,
      now,
      track: (work) => tracker.track(work),
      shutdownSignal: tracker.signal,
      intake,
      admit,
      onApiError: (method) => options.metrics.chatApiErrors.inc({ platform: "slack", method }),
      bodyLimitBytes: doorLimits.slackBodyBytes,
      ...(options.slackRetryConfig ? { retryConfig: options.slackRetryConfig } : {}),
    });
  }
  let consoleHandle: ConsoleHandle | null = null;
  if (options.console) {
    consoleHandle = mountConsole(operations, {
      ...options.console,
      service: options.service,
      handler: options.handler,
      renderers: consoleRenderers,
      log: options.log.child({ platform: "console" }),
      track: (work) => tracker.track(work),
      shutdownSignal: tracker.signal,
    });
  }
  const links = new BundleLinks(
    options.teams.enabled ? options.teams.settings.publicUrl : null,
    now,
    options.store,
    options.linkKey,
  );
  // The path picture behind the same signed link (Teams shows it when it is too large to inline).
  app.get("/bundles/:runId/path.png", async (request, response) => {
    const query = (name: string): string => (typeof request.query[name] === "string" ? request.query[name] : "");
    const opened = await links.open(request.params.runId, query("expires"), query("signature"));
    const svg = opened.ok ? pathPicture(buildAnswerView(opened.bundle)) : null;
    if (!opened.ok || !svg) {
      response
        .status(opened.ok ? 404 : opened.status)
        .json({ error: opened.ok ? "this run has no path picture" : "not available" });
      return;
    }
    response.type("png").send(Buffer.from(await svgToPng(svg)));
  });
  app.get("/bundles/:runId", async (request, response) => {
    const query = (name: string): string => (typeof request.query[name] === "string" ? request.query[name] : "");
    const opened = await links.open(request.params.runId, query("expires"), query("signature"));
    if (!opened.ok) {
      response.status(opened.status).json({
        error:
          opened.status === 410
            ? "this link has expired"
            : opened.status === 404
              ? "no such bundle (it is kept for a day)"
              : "bad signature",
      });
      return;
    }
    response
      .set("content-disposition", `attachment; filename="${bundleFileName(opened.bundle)}.json"`)
      .json(opened.bundle);
  });
  // The Agents SDK is imported only when Teams is on: an idle bot without Teams doesn't carry it.
  let teamsMounted: Promise<TeamsHandle | null> = Promise.resolve(null);
  if (options.teams.enabled) {
    const teamsSettings = options.teams.settings;
    teamsMounted = import("../teams/mount-teams.js").then(({ mountTeams }) =>
      mountTeams(app, {
        settings: teamsSettings,
        handler: options.handler,
        store: options.store,
        log: options.log.child({ platform: "teams" }),
        now,
        track: (work) => tracker.track(work),
        shutdownSignal: tracker.signal,
        intake,
        admit,
        linkFor: (result) => links.linkFor(result.bundle),
        onApiError: (method) => options.metrics.chatApiErrors.inc({ platform: "teams", method }),
        bodyLimitBytes: doorLimits.teamsBodyBytes,
        ...(options.teamsRetry ? { retry: options.teamsRetry } : {}),
        ...(options.teamsMemberLookupTimeoutInMs
          ? { memberLookupTimeoutInMs: options.teamsMemberLookupTimeoutInMs }
          : {}),
      }),
    );
  }
  const platforms = {
    metrics: metricsApp
      ? `/metrics on its own listener (${options.metricsHost ?? "127.0.0.1"}:${options.metricsPort ?? 0})`
      : admin
        ? "/metrics on the admin listener (127.0.0.1)"
        : options.production
          ? "off: set EGRESS_METRICS_PORT to serve /metrics in production"
          : "/metrics on the bot's port, for this machine only",
    slack: slack
      ? slack.mode === "socket"
        ? "on (Socket Mode)"
        : "on (HTTP at POST /slack/events)"
      : `off: ${options.slack.enabled ? "" : options.slack.reason}`,
    console: options.console
      ? `on at ${admin ? "/ of the admin listener (127.0.0.1)" : "/"} (${options.console.allowRemote ? "any peer: console.allowRemote is set" : "this machine only"})`
      : "off",
    teams: options.teams.enabled
      ? options.teams.settings.clientId
        ? "on (POST /api/messages)"
        : `on (POST /api/messages, anonymous local mode for ${options.teams.settings.anonymousPeers.join(", ")} only: not for production)`
      : `off: ${options.teams.reason}`,
  };
  // A slow body (a byte every few seconds) must not hold a connection: the whole request arrives in
  // time or the socket is closed (Node checks every `connectionsCheckingInterval`).
  const requestTimeout = options.requestTimeoutInMs ?? 15_000;
  const http = createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(requestTimeout, 10_000),
      connectionsCheckingInterval: Math.min(Math.max(250, requestTimeout / 4), 5_000),
    },
    app,
  );
  http.maxConnections = options.maxConnections ?? 1024;
  const metricsHttp = metricsApp ? createServer(metricsApp) : null;
  let metricsBound: number | null = null;
  const adminHttp = admin ? createServer(admin) : null;
  let heartbeat: NodeJS.Timeout | null = null;
  let adminBound: number | null = null;
  const notFound = (_request: express.Request, response: express.Response): void => {
    response.status(404).json({ error: "not found" });
  };
  return {
    app,
    http,
    adminHttp,
    adminPort: () => adminBound,
    metricsPort: () => metricsBound,
    tracker,
    platforms,
    listen: async (port, host = "0.0.0.0") => {
      const teams = await teamsMounted;
      app.use(notFound);
      if (admin && adminHttp) {
        admin.use(notFound);
        adminBound = await listenOn(adminHttp, options.adminPort ?? 0, "127.0.0.1");
      }
      if (metricsHttp)
        metricsBound = await listenOn(metricsHttp, options.metricsPort ?? 0, options.metricsHost ?? "127.0.0.1");
      const bound = await listenOn(http, port, host);
      void slack?.start();
      // Runs a crash or kill -9 left unfinished: audited as interrupted, and their threads told. On a
      // shared store the other replicas' runs are alive while they beat: only stale ones are taken,
      // now and every heartbeat after.
      const recover = (): Promise<number> =>
        recoverInterruptedRuns(
          options.store,
          now,
          (record) =>
            record.platform === "slack" && slack
              ? slack.notifyInterrupted(record)
              : record.platform === "teams" && teams
                ? teams.notifyInterrupted(record)
                : Promise.resolve(),
          options.log,
          options.store.shared ? runStaleAfterInMs : 0,
        );
      tracker.track(recover());
      // Queued Slack and Teams commands, whichever replica accepted them, answered here through the
      // platform's own flow.
      const answerers = {
        ...(slack ? { slack: slack.answerQueued } : {}),
        ...(teams ? { teams: teams.answerQueued } : {}),
      };
      if (intake && options.queue) await options.queue.start((attempt) => intake.work(attempt, answerers));
      const drift = options.drift;
      if (drift)
        await drift.schedule.start(async () => {
          const tick = await runDriftTick({
            service: options.service,
            store: options.store,
            log: options.log,
            post: async (view, bundle) => {
              if (drift.slackChannel && slack) await slack.postToChannel(drift.slackChannel, view);
              if (
                drift.teamsConversation &&
                teams &&
                !(await teams.postToConversation(drift.teamsConversation, bundle, view))
              )
                options.log.warn(
                  {},
                  "drift watch: no stored Teams conversation for drift.teamsConversation (address the bot there once)",
                );
            },
          }).catch((error: unknown) => {
            options.log.error(
              { error: error instanceof Error ? error.message.slice(0, 200) : "unknown" },
              "drift watch tick failed",
            );
            return null;
          });
          options.metrics.recordDrift(tick, now());
        });
      if (options.store.shared) {
        heartbeat = setInterval(() => {
          tracker.track(
            options.handler
              .heartbeat()
              .then(recover)
              .catch((error: unknown) =>
                options.log.warn({ error: error instanceof Error ? error.message : "unknown" }, "run heartbeat failed"),
              ),
          );
        }, runHeartbeatInMs);
        heartbeat.unref();
      }
      return bound;
    },
    close: async (graceInMs) => {
      draining = true;
      if (heartbeat) clearInterval(heartbeat);
      consoleHandle?.close();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      const adminClosed = adminHttp?.listening
        ? new Promise<void>((resolve) => adminHttp.close(() => resolve()))
        : Promise.resolve();
      adminHttp?.closeAllConnections();
      const metricsClosed = metricsHttp?.listening
        ? new Promise<void>((resolve) => metricsHttp.close(() => resolve()))
        : Promise.resolve();
      metricsHttp?.closeAllConnections();
      http.closeIdleConnections();
      // Queued runs in hand get the grace to finish; the rest go back to the queue for another replica.
      const queueStopped = options.queue?.stop(graceInMs);
      await options.drift?.schedule.stop();
      const { finished } = await tracker.drain(graceInMs);
      await queueStopped;
      if (!finished) options.log.warn({ interrupted: tracker.size }, "runs interrupted by shutdown");
      await slack?.stop();
      http.closeAllConnections();
      await Promise.all([closed, adminClosed, metricsClosed]);
    },
  };
}

/** Listens on `port` at `host`; resolves with the bound port. */
function listenOn(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}
