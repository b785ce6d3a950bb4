#!/usr/bin/env node
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import {
  azureSettingsOf,
  builtinRunbooksFolder,
  ChatCommandHandler,
  createService,
  findPackageRoot,
  openDriftSchedule,
  openRunQueue,
  openStateStore,
  readConfig,
  type EgressService,
} from "../../src/index.js";
import { workspaceCache } from "../console/workspace-cache.js";
import { WorldChoices } from "../console/world-choices.js";
import { readSlackSettings } from "../slack/slack-settings.js";
import { readTeamsSettings } from "../teams/teams-settings.js";
import { createBotServer, type ReadinessCheck } from "./create-server.js";
import { createLogger } from "./create-logger.js";
import { createMetrics } from "./metrics.js";

const env = process.env;
const log = createLogger(env.LOG_LEVEL ?? "info");
const shutdownGraceInMs = 25_000;

/** Live Azure is ready once the identity works; the answer is kept a while so probes don't flood ARM. */
function readinessOf(service: EgressService): ReadinessCheck {
  let cached: { at: number; ready: boolean; reasons: string[] } | null = null;
  return async () => {
    const reasons = service.runbooks.length === 0 ? ["no runbooks loaded"] : [];
    if (service.simulated) return { ready: reasons.length === 0, reasons };
    if (!cached || Date.now() - cached.at > (cached.ready ? 300_000 : 15_000)) {
      const report = await service.doctor(env).catch((error: unknown) => ({
        identity: { ok: false as const, reason: error instanceof Error ? error.message : "unknown" },
      }));
      cached = {
        at: Date.now(),
        ready: report.identity.ok,
        reasons: report.identity.ok ? [] : ["Azure identity is not working (run `egress doctor`)"],
      };
    }
    return { ready: reasons.length === 0 && cached.ready, reasons: [...reasons, ...cached.reasons] };
  };
}

async function main(): Promise<void> {
  const configured = await readConfig(env);
  if (!configured.ok) {
    for (const issue of configured.issues) log.error({ issue }, "configuration problem");
    process.exitCode = 2;
    return;
  }
  const { config } = configured;
  const metrics = createMetrics();
  const onRequest = (method: string, status: number): void =>
    metrics.azureRequests.inc({ method, status: String(status) });
  const azure = { ...azureSettingsOf(config), onRequest };
  const store = await openStateStore(config.stateDirectory, config.database, config.cloud);
  // On PostgreSQL, accepted Slack and Teams runs are durable jobs any replica can answer.
  const queue = await openRunQueue(config.database, log.child({ component: "run-queue" }), config.cloud);
  const service = await createService({ azure, log, store });
  metrics.watchCache(service);
  const handlerFor = (service: EgressService): ChatCommandHandler =>
    new ChatCommandHandler({
      service,
      store,
      clock: { now: Date.now },
      authorization: config.authorization,
      aliases: config.aliases,
      rateLimits: config.rateLimits,
      newKey: () => randomBytes(12).toString("base64url"),
      onRunFinished: (outcome) => {
        metrics.recordOutcome(outcome);
        log.info(
          {
            runId: outcome.bundle?.runId ?? null,
            platform: outcome.platform,
            runbook: outcome.runbook,
            status: outcome.status,
            digest: outcome.bundle?.digest ?? null,
          },
          "command finished",
        );
      },
    });
  const handler = handlerFor(service);
  // The console runs other worlds and runbook files in services of their own; the bot's stays as configured.
  const consoleOptions = config.console.enabled
    ? {
        allowRemote: config.console.allowRemote,
        worlds: new WorldChoices(config.world, config.worldsFolder),
        runbookFolder: config.console.runbooksFolder ?? join(builtinRunbooksFolder(), "examples"),
        assetsFolder: join(findPackageRoot(), "dist", "console-web"),
        openWorkspace: workspaceCache({
          serverWorld: config.world,
          serverWorkspace: { service, handler },
          createService: (world, runbookPaths) =>
            createService({
              azure: { ...azure, ...(world === null ? {} : { world }) },
              log,
              store,
              ...(runbookPaths ? { runbookPaths } : {}),
            }),
          createHandler: handlerFor,
        }),
      }
    : null;
  const resolveUserGroups = config.authorization?.rules.some((rule) => rule.slackUserGroups.length > 0) ?? false;
  const slack = readSlackSettings(env, { ...config.slack, resolveUserGroups });
  const teams = readTeamsSettings(env, { ...config.teams, cloud: config.cloud });
  const server = createBotServer({
    service,
    handler,
    store,
    metrics,
    log,
    slack,
    teams,
    readiness: readinessOf(service),
    console: consoleOptions,
    adminPort: config.adminPort,
    metricsPort: config.metricsPort,
    metricsHost: config.metricsHost,
    production: config.production,
    queue,
    drift: config.drift
      ? {
          schedule: await openDriftSchedule(
            config.drift.schedule,
            config.database,
            log.child({ component: "drift-watch" }),
            config.cloud,
          ),
          slackChannel: config.drift.slackChannel,
          teamsConversation: config.drift.teamsConversation,
        }
      : null,
    ...(env.EGRESS_LINK_KEY ? { linkKey: env.EGRESS_LINK_KEY } : {}),
  });
  const port = await server.listen(Number(env.PORT ?? 3978));
  log.info(
    {
      port,
      azure: service.simulated ? `SIMULATED world ${config.world ?? ""}` : `live Azure (${config.cloud})`,
      runbooks: service.runbooks.length,
      slack: server.platforms.slack,
      teams: server.platforms.teams,
      metrics: server.platforms.metrics,
    },
    "egress-bot listening",
  );
  if (consoleOptions) {
    const url = `http://localhost:${server.adminPort() ?? port}/`;
    log.info({ url, allowRemote: consoleOptions.allowRemote }, `console: open ${url} in a browser`);
    if (process.stderr.isTTY) process.stderr.write(`\negress-bot console: ${url}\n\n`);
  } else
    log.info(
      {
        reason:
          env.NODE_ENV === "production" ? "off by default in production (console.enabled)" : "console.enabled is false",
      },
      "console is off",
    );
  if (!slack.enabled) log.info({ reason: slack.reason }, "slack is off");
  if (!teams.enabled) log.info({ reason: teams.reason }, "teams is off");

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, running: server.tracker.size }, "shutting down");
    void server
      .close(shutdownGraceInMs)
      .then(() => store.close())
      .then(() => log.info({}, "stopped"));
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

process.on("unhandledRejection", (reason) =>
  log.error({ error: reason instanceof Error ? reason.message : String(reason) }, "unhandled rejection"),
);
await main();
