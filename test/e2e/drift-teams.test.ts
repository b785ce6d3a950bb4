import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createService, openStateStore, type StateStore } from "../../src/index.js";
import type { BotServer } from "../../adapters/server/create-server.js";
import { readTeamsSettings } from "../../adapters/teams/teams-settings.js";
import { cardProblems } from "../support/adaptive-card-validator.js";
import { manualSchedule, pretendSourcesChanged } from "../support/manual-drift.js";
import { testBotServer, testChatHandler } from "../support/bot-under-test.js";
import { FakeTeamsConnector } from "../support/fake-teams-connector.js";

// The drift watch's post to Teams: through the conversation reference stored when the bot was
// addressed there (an activity shaped as in the Teams docs' channel message examples).
const conversation = "19:network@thread.tacv2";
const claims =
  "/subscriptions/7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b/resourceGroups/rg-claims-prod/providers/Microsoft.ContainerService/managedClusters/aks-claims-prod";
let connector: FakeTeamsConnector;
let server: BotServer;
let store: StateStore;
let base: string;
const { schedule, tick } = manualSchedule();

beforeAll(async () => {
  connector = new FakeTeamsConnector();
  await connector.start();
  store = await openStateStore(":memory:");
  const service = await createService({ azure: { world: "demo" }, store });
  server = testBotServer(
    { service, handler: testChatHandler(service, store), store },
    {
      teams: readTeamsSettings({ NODE_ENV: "test" }, { tenants: ["tenant-1"], allowGuests: [] }),
      teamsRetry: { retries: 3, minTimeout: 10, maxTimeout: 50 },
      drift: { schedule, slackChannel: null, teamsConversation: conversation },
    },
  );
  base = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}`;
});

afterAll(async () => {
  await server.close(1000);
  await connector.stop();
});

describe("the drift watch posting to Teams", () => {
  it("posts nothing where the bot was never addressed, then one card in the conversation once it was", async () => {
    await tick();
    await pretendSourcesChanged(store, claims);
    await tick();
    expect(connector.calls.filter((call) => call.method === "POST")).toEqual([]);

    // Someone asks the bot for help in the network channel: its conversation reference is kept.
    const response = await fetch(`${base}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        type: "message",
        id: "m-help",
        serviceUrl: connector.serviceUrl,
        channelId: "msteams",
        from: { id: "29:alice", name: "Alice Ops", aadObjectId: "obj-alice" },
        recipient: { id: "28:egress", name: "Egress" },
        conversation: { id: conversation, conversationType: "channel", isGroup: true, tenantId: "tenant-1" },
        text: "<at>Egress</at> help",
        entities: [{ type: "mention", text: "<at>Egress</at>", mentioned: { id: "28:egress", name: "Egress" } }],
        channelData: { tenant: { id: "tenant-1" } },
      }),
    });
    expect(response.status).toBe(200);
    await connector.waitFor(() => connector.calls.some((call) => call.method === "POST"));
    const before = connector.calls.length;
    await pretendSourcesChanged(store, claims);
    await tick();
    const cards = connector.cards().filter((card) => JSON.stringify(card).includes("Egress drift"));
    expect(cards).toHaveLength(1);
    expect(cardProblems(cards[0] ?? {})).toEqual([]);
    expect(JSON.stringify(cards[0])).toContain("rg-claims-prod/aks-claims-prod");
    expect(
      connector.calls
        .slice(before)
        .every((call) => call.path.startsWith(`/v3/conversations/${conversation}/activities`)),
    ).toBe(true);
  });
});
