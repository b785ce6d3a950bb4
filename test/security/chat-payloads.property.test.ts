// Arbitrary chat payloads over HTTP, by property: signed Slack slash commands, Events API bodies and
// interactivity payloads with any fields, and Teams activities of any shape. Every one is answered
// (never a 5xx, never a hang), and the bot still answers a real command afterwards.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { createService, openStateStore, type StateStore } from "../../src/index.js";
import type { BotServer } from "../../adapters/server/create-server.js";
import { readTeamsSettings } from "../../adapters/teams/teams-settings.js";
import { slackOn, testBotServer, testChatHandler } from "../support/bot-under-test.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { FakeTeamsConnector } from "../support/fake-teams-connector.js";
import { slackHeaders } from "../support/slack-request.js";

const secret = "abuse-signing-secret";
let slack: FakeSlackApi;
let connector: FakeTeamsConnector;
let server: BotServer;
let store: StateStore;
let base: string;
let key = 0;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  slack = new FakeSlackApi();
  await slack.start();
  connector = new FakeTeamsConnector();
  await connector.start();
  store = await openStateStore(":memory:");
  const service = await createService({ azure: { world: "demo" }, store });
  const handler = testChatHandler(service, store, {
    newKey: () => `abuse${++key}`,
    rateLimits: { perUser: { count: 10_000, perInMs: 60_000 }, perChannel: { count: 10_000, perInMs: 60_000 } },
  });
  server = testBotServer(
    { service, handler, store },
    {
      slack: slackOn(slack.apiUrl, { signingSecret: secret }),
      teams: readTeamsSettings({ NODE_ENV: "test" }, { tenants: [], allowGuests: [] }),
      teamsRetry: { retries: 0, minTimeout: 1, maxTimeout: 1 },
    },
  );
  base = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}`;
}, 120_000);

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await server.close(2000);
  await slack.stop();
  await connector.stop();
  await store.close();
});

const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.constantFrom("help", "show cluster <!here>", "whois 999.1.1.1", "denies aks-plant-prod --since -1h", "run x y=z"),
);
const field = fc.oneof(text, fc.constant(""), fc.string({ unit: "grapheme", maxLength: 2000 }));
const answered = (status: number): void => {
  expect(status).toBeGreaterThanOrEqual(200);
  expect(status).toBeLessThan(500);
};

async function signed(body: string, contentType: string): Promise<number> {
  const response = await fetch(`${base}/slack/events`, {
    method: "POST",
    headers: { "content-type": contentType, ...slackHeaders(secret, body) },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

describe("arbitrary chat payloads over HTTP", () => {
  it("Slack slash commands with any fields are acknowledged or refused, never a server error", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom("text", "user_id", "channel_id", "team_id", "trigger_id", "enterprise_id", "api_app_id"),
          field,
        ),
        text,
        fc.constant("/egress"),
        async (fields, commandText, command) => {
          const body = new URLSearchParams({
            command,
            team_id: "T1",
            channel_id: "C1",
            user_id: "U1",
            text: commandText,
            ...fields,
            // Replies go to the fake, never to a host a payload names.
            response_url: slack.responseUrl(`abuse-${++key}`),
          }).toString();
          answered(await signed(body, "application/x-www-form-urlencoded"));
        },
      ),
      { numRuns: 60 },
    );
  }, 300_000);

  it("Slack Events API and interactivity bodies of any shape are acknowledged or refused, never a server error", async () => {
    const json = fc.oneof(
      fc.jsonValue(),
      fc.record({
        type: fc.constantFrom("event_callback", "url_verification", "app_rate_limited", "x"),
        event: fc.jsonValue(),
      }),
      fc.record({
        type: fc.constant("event_callback"),
        event: fc.record({
          type: fc.constantFrom("app_mention", "message"),
          text,
          user: fc.string(),
          channel: fc.string(),
        }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(json, async (payload) => answered(await signed(JSON.stringify(payload), "application/json"))),
      { numRuns: 40 },
    );
    const interaction = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc
        .record({
          type: fc.constant("block_actions"),
          actions: fc.array(fc.record({ action_id: fc.string(), value: fc.string() })),
        })
        .map((value) => JSON.stringify(value)),
    );
    await fc.assert(
      fc.asyncProperty(interaction, async (payload) =>
        answered(await signed(new URLSearchParams({ payload }).toString(), "application/x-www-form-urlencoded")),
      ),
      { numRuns: 40 },
    );
  }, 300_000);

  it("Teams activities of any shape are answered or refused, never a server error", async () => {
    const activity = fc.oneof(
      fc.jsonValue(),
      fc.record({
        type: fc.constantFrom("message", "invoke", "conversationUpdate", "installationUpdate", "event", "x"),
        id: fc.string(),
        serviceUrl: fc.oneof(fc.constant(connector.serviceUrl), fc.string(), fc.constant("https://evil.example.com/")),
        channelId: fc.constantFrom("msteams", "x"),
        from: fc.record({ id: fc.string(), name: fc.string(), aadObjectId: fc.string() }),
        recipient: fc.record({ id: fc.string() }),
        conversation: fc.record({ id: fc.string(), tenantId: fc.string() }),
        text,
        value: fc.jsonValue(),
        entities: fc.array(fc.jsonValue(), { maxLength: 3 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(activity, async (body) => {
        const response = await fetch(`${base}/api/messages`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        await response.arrayBuffer();
        // The Bot Framework protocol answers an invoke no handler takes with 501 Not Implemented.
        const invoke = body !== null && typeof body === "object" && (body as { type?: unknown }).type === "invoke";
        if (!(invoke && response.status === 501)) answered(response.status);
      }),
      { numRuns: 80 },
    );
  }, 300_000);

  it("afterwards the bot still answers a real command, and nothing was left unhandled", async () => {
    const body = new URLSearchParams({
      command: "/egress",
      team_id: "T1",
      channel_id: "C1",
      user_id: "U1",
      text: "whois 51.124.77.10",
      trigger_id: "after-the-abuse",
      response_url: slack.responseUrl("after"),
    }).toString();
    expect(await signed(body, "application/x-www-form-urlencoded")).toBe(200);
    await slack.waitFor((calls) => calls.some((call) => JSON.stringify(call.body).includes("afw-hub-weu")), 60_000);
    expect(unhandled).toEqual([]);
  }, 90_000);
});
