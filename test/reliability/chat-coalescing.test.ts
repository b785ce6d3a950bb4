import { describe, expect, it } from "@jest/globals";
import { createService, openStateStore } from "../../src/index.js";
import { slackOn, testBotServer, testChatHandler } from "../support/bot-under-test.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { postSlashCommand } from "../support/slack-request.js";

// Twenty people ask the same thing in an incident: through the chat server, the Azure reads of the
// twenty commands are shared (coalesced in flight, then cached), so they cost about one command's.
const secret = "coalescing-secret";

async function azureRequestsFor(commands: number): Promise<number> {
  const fake = new FakeSlackApi();
  await fake.start();
  const store = await openStateStore(":memory:");
  let requests = 0;
  const service = await createService({ azure: { world: "demo", onRequest: () => requests++ }, store });
  let key = 0;
  const handler = testChatHandler(service, store, {
    newKey: () => `c${++key}`,
    rateLimits: { perUser: { count: 100, perInMs: 60_000 }, perChannel: { count: 100, perInMs: 60_000 } },
  });
  const server = testBotServer({ service, handler, store }, { slack: slackOn(fake.apiUrl, { signingSecret: secret }) });
  const base = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}`;
  try {
    await Promise.all(
      Array.from({ length: commands }, (_, index) =>
        postSlashCommand(base, secret, {
          text: "show cluster aks-plant-prod",
          trigger_id: `co-${index}`,
          response_url: fake.responseUrl(`co-${index}`),
        }),
      ),
    );
    await fake.waitFor(() => fake.callsOf("files.completeUploadExternal").length === commands, 60_000);
    return requests;
  } finally {
    await server.close(1000);
    await store.close();
    await fake.stop();
  }
}

describe("chat-path coalescing", () => {
  it("20 identical commands at once cost at most 1.2 times one command's Azure requests", async () => {
    const one = await azureRequestsFor(1);
    const twenty = await azureRequestsFor(20);
    expect(one).toBeGreaterThan(5);
    expect(twenty / one).toBeLessThanOrEqual(1.2);
  });
});
