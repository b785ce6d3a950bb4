import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createService, openStateStore, type StateStore } from "../../src/index.js";
import type { BotServer } from "../../adapters/server/create-server.js";
import { readTeamsSettings } from "../../adapters/teams/teams-settings.js";
import { testBotServer, testChatHandler } from "../support/bot-under-test.js";
import { FakeTeamsConnector, type ConnectorCall } from "../support/fake-teams-connector.js";
import {
  botAddedToTeam,
  cardActionInvoke,
  channelMention,
  groupChatMentionWithoutText,
  installedPersonally,
  minimalMessage,
  personalMessage,
  reactionAdded,
  typing,
  type TeamsPlace,
} from "../fixtures/chat/teams-activities.js";

// Real Teams payload shapes (test/fixtures/chat/teams-activities.ts names each one's source) through
// the real server and the Agents SDK, answered to a fake Bot Connector on loopback.
let connector: FakeTeamsConnector;
let server: BotServer;
let store: StateStore;
let base: string;
let place: TeamsPlace;

const post = (body: unknown) =>
  fetch(`${base}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const texts = (calls: readonly ConnectorCall[]): string[] => calls.map((call) => JSON.stringify(call.body));
const summaryIn = (calls: readonly ConnectorCall[], conversation: string, headline: string): boolean =>
  calls.some((call) => call.path.includes(conversation) && JSON.stringify(call.body).includes(headline));

beforeAll(async () => {
  connector = new FakeTeamsConnector();
  await connector.start();
  place = { serviceUrl: connector.serviceUrl, botId: "28:egress-bot", botName: "Egress", tenantId: "tenant-1" };
  store = await openStateStore(":memory:");
  const service = await createService({ azure: { world: "demo" }, store });
  const handler = testChatHandler(service, store);
  const teams = readTeamsSettings({ NODE_ENV: "test" }, { tenants: ["tenant-1"], allowGuests: [] });
  server = testBotServer(
    { service, handler, store },
    { teams, teamsRetry: { retries: 3, minTimeout: 10, maxTimeout: 50 }, teamsMemberLookupTimeoutInMs: 2000 },
  );
  base = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}`;
});

afterAll(async () => {
  await server.close(1000);
  await connector.stop();
  await store.close();
});

describe("Teams payloads as Teams sends them", () => {
  it("runs a channel post whose mention is followed by &nbsp; and whose text is HTML-encoded", async () => {
    const before = connector.calls.length;
    expect((await post(channelMention(place, "p-nbsp", "show cluster aks-claims-prod"))).status).toBe(200);
    await connector.waitFor((calls) =>
      summaryIn(calls.slice(before), "3d1e9c0f8a2b4c5d", "show-cluster for aks-claims-prod"),
    );
    expect(texts(connector.calls.slice(before)).join(" ")).not.toContain("Unknown command");
  });

  it("runs a group chat command whose mention entity has no text", async () => {
    const before = connector.calls.length;
    await post(groupChatMentionWithoutText(place, "p-group", "whois 20.50.10.10"));
    await connector.waitFor((calls) =>
      summaryIn(calls.slice(before), "19:groupchat1@thread.v2", "whois of 20.50.10.10"),
    );
  });

  it("answers two chats whose activities share an id (ids are unique per conversation only)", async () => {
    const before = connector.calls.length;
    await post(groupChatMentionWithoutText(place, "shared-id", "whois 20.50.10.10", "19:chat-a"));
    await post(groupChatMentionWithoutText(place, "shared-id", "whois 20.50.10.10", "19:chat-b"));
    await connector.waitFor(
      (calls) =>
        summaryIn(calls.slice(before), "19:chat-a@thread.v2", "whois of 20.50.10.10") &&
        summaryIn(calls.slice(before), "19:chat-b@thread.v2", "whois of 20.50.10.10"),
    );
  });

  it("answers a personal chat and an activity with only the required fields", async () => {
    const before = connector.calls.length;
    await post(personalMessage(place, "p-personal", "help"));
    await post(minimalMessage(place, "p-minimal", "help"));
    await connector.waitFor(
      (calls) =>
        calls.slice(before).some((call) => call.path.includes("a:1xY9personalchat")) &&
        calls.slice(before).some((call) => call.path.includes("a:1minimal")),
    );
    expect(texts(connector.calls.slice(before)).join(" ")).toContain("show cluster");
  });

  it("introduces itself once when added to a team, and once when installed in a personal chat", async () => {
    const before = connector.calls.length;
    expect((await post(botAddedToTeam(place, "p-added-1"))).status).toBe(200);
    expect((await post(botAddedToTeam(place, "p-added-2"))).status).toBe(200);
    expect((await post(installedPersonally(place, "p-installed"))).status).toBe(200);
    await connector.waitFor(
      (calls) =>
        calls.slice(before).filter((call) => JSON.stringify(call.body).includes("Hi, I'm egress-bot")).length >= 2,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const intros = connector.calls
      .slice(before)
      .filter((call) => JSON.stringify(call.body).includes("Hi, I'm egress-bot"));
    expect(intros.map((call) => call.path.split("/")[3])).toEqual(["19:teamgeneral@thread.tacv2", "a:1xY9installed"]);
    expect(JSON.stringify(intros[0]?.body)).toContain("@Egress show cluster");
  });

  it("acknowledges reactions and typing without answering them", async () => {
    const before = connector.calls.length;
    expect((await post(reactionAdded(place, "p-reaction"))).status).toBe(200);
    expect((await post(typing(place, "p-typing"))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(connector.calls.slice(before)).toEqual([]);
  });

  it("answers a refused click in the click's own answer, never announcing a run first", async () => {
    await store.putButton(
      "pay-refused",
      { command: "whois 20.50.10.10", platform: "teams", channel: null, thread: null, requestedBy: null },
      Date.now(),
      60_000,
    );
    const before = connector.calls.length;
    const response = await post(
      cardActionInvoke(
        place,
        "p-click-other-tenant",
        "egress.next",
        { egressKey: "pay-refused" },
        {
          conversation: { id: "19:x@thread.tacv2", conversationType: "channel", tenantId: "tenant-evil" },
          channelData: { tenant: { id: "tenant-evil" } },
        },
      ),
    );
    const body = JSON.stringify(await response.json());
    expect(body).toContain("members of this organisation only");
    expect(body).not.toContain("Running it");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(texts(connector.calls.slice(before)).join(" ")).not.toContain("egress whois");
  });

  it("retries a connector call that fails without an HTTP status (connection reset) until the card is delivered", async () => {
    const before = connector.calls.length;
    connector.resets = 2;
    await post(personalMessage(place, "p-reset", "whois 20.50.10.10"));
    await connector.waitFor((calls) => summaryIn(calls.slice(before), "a:1xY9personalchat", "whois of 20.50.10.10"));
  });

  it("fails closed, with a clear message, when the member lookup does not answer in time", async () => {
    connector.memberDelayInMs = 4000;
    const before = connector.calls.length;
    try {
      await post(channelMention(place, "p-slow-member", "whois 20.50.10.10", "1759881600099"));
      await connector.waitFor((calls) =>
        texts(calls.slice(before)).some((text) => text.includes("Teams did not confirm your membership in time")),
      );
      expect(texts(connector.calls.slice(before)).join(" ")).not.toContain("egress whois");
    } finally {
      connector.memberDelayInMs = 0;
    }
  });
});

describe("Teams after a crash", () => {
  it("tells the conversation of a run a crash left unfinished, through the stored reference", async () => {
    const fake = new FakeTeamsConnector();
    await fake.start();
    const crashedStore = await openStateStore(":memory:");
    const conversation = "19:crashed@thread.tacv2;messageid=1759881600500";
    await crashedStore.putConversation(`teams:${conversation}`, {
      activityId: "p-crashed",
      user: { id: "29:1A2b3C-alice", name: "Alice Ops" },
      agent: { id: "28:egress-bot", name: "Egress" },
      conversation: { id: conversation, conversationType: "channel", isGroup: true, tenantId: "tenant-1" },
      channelId: "msteams",
      serviceUrl: fake.serviceUrl,
    });
    await crashedStore.startRun({
      key: "t-crashed",
      platform: "teams",
      user: "obj-alice",
      channel: "19:crashed@thread.tacv2",
      thread: conversation,
      command: "show cluster aks-claims-prod",
      runbook: "show-cluster",
      startedAt: "2026-11-24T10:00:00.000Z",
    });
    const service = await createService({ azure: { world: "demo" }, store: crashedStore });
    const teams = readTeamsSettings({ NODE_ENV: "test" }, { tenants: ["tenant-1"], allowGuests: [] });
    const restarted = testBotServer(
      { service, handler: testChatHandler(service, crashedStore), store: crashedStore },
      { teams, teamsRetry: { retries: 1, minTimeout: 10, maxTimeout: 20 } },
    );
    await restarted.listen(0, "127.0.0.1");
    try {
      await fake.waitFor((calls) =>
        calls.some(
          (call) =>
            call.path.startsWith(`/v3/conversations/${conversation}/activities`) &&
            JSON.stringify(call.body).includes("restarted before it finished"),
        ),
      );
      // The run is forgotten once its thread was told: wait for that step, not for the clock.
      const deadline = Date.now() + 20_000;
      while ((await crashedStore.unfinishedRuns()).length > 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await crashedStore.unfinishedRuns()).toEqual([]);
      expect((await crashedStore.listAudit(0))[0]).toMatchObject({ platform: "teams", outcome: "interrupted" });
    } finally {
      await restarted.close(1000);
      await fake.stop();
      await crashedStore.close();
    }
  });
});
