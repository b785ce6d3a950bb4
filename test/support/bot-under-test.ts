import {
  ChatCommandHandler,
  silentLogger,
  type ChatHandlerOptions,
  type EgressService,
  type StateStore,
} from "../../src/index.js";
import { createBotServer, type BotServer, type ServerOptions } from "../../adapters/server/create-server.js";
import { createMetrics } from "../../adapters/server/metrics.js";
import type { SlackSettings, SlackSettingsResult } from "../../adapters/slack/slack-settings.js";

let keys = 0;

/** The chat flow as tests want it: no policy, generous limits, unpaced progress, unique button keys; override what a test is about. */
export function testChatHandler(
  service: EgressService,
  store: StateStore,
  overrides: Partial<ChatHandlerOptions> = {},
): ChatCommandHandler {
  return new ChatCommandHandler({
    service,
    store,
    clock: { now: Date.now },
    authorization: null,
    aliases: {},
    rateLimits: { perUser: { count: 50, perInMs: 60_000 }, perChannel: { count: 50, perInMs: 60_000 } },
    progressIntervalInMs: 0,
    newKey: () => `key${++keys}`,
    ...overrides,
  });
}

/** Slack turned on against a fake Web API. */
export function slackOn(apiUrl: string, settings: Partial<SlackSettings> = {}): SlackSettingsResult {
  return {
    enabled: true,
    settings: {
      signingSecret: "",
      botToken: "xoxb-test",
      appToken: null,
      apiUrl,
      workspaces: [],
      allowExternalUsers: [],
      ...settings,
    },
  };
}

/** The real server with both platforms off, a fresh metrics registry, silent logs and ready; override what a test is about. */
export function testBotServer(
  parts: Pick<ServerOptions, "service" | "handler" | "store">,
  overrides: Partial<ServerOptions> = {},
): BotServer {
  return createBotServer({
    metrics: createMetrics(),
    log: silentLogger,
    slack: { enabled: false, reason: "not under test" },
    teams: { enabled: false, reason: "not under test" },
    readiness: () => Promise.resolve({ ready: true, reasons: [] }),
    ...parts,
    ...overrides,
  });
}
