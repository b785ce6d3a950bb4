// A burst of Slack commands is acknowledged at once and answered a bounded number at a time
// (`maxConcurrentAnswers`): here one, so each command's thread opens only after the previous
// command's answer is in its thread, and every command is still answered.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createService, openStateStore, type StateStore } from "../../src/index.js";
import type { BotServer } from "../../adapters/server/create-server.js";
import { slackOn, testBotServer, testChatHandler } from "../support/bot-under-test.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { finalAnswers } from "../support/replica-fleet.js";
import { postCommandIn } from "../support/slack-request.js";

const secret = "admission-secret";
let fake: FakeSlackApi;
let server: BotServer;
let store: StateStore;
let base: string;

beforeAll(async () => {
  fake = new FakeSlackApi();
  await fake.start();
  store = await openStateStore(":memory:");
  const service = await createService({ azure: { world: "demo" }, store });
  server = testBotServer(
    { service, handler: testChatHandler(service, store), store },
    { slack: slackOn(fake.apiUrl, { signingSecret: secret }), maxConcurrentAnswers: 1 },
  );
  base = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}`;
});
afterAll(async () => {
  await server.close(2000);
  await store.close();
  await fake.stop();
});

describe("answers admitted a bounded number at a time", () => {
  it("acknowledges the whole burst at once, then answers one command after another", async () => {
    const channels = ["CADM1", "CADM2", "CADM3"];
    const statuses = await Promise.all(
      channels.map((channel, index) =>
        postCommandIn(base, secret, fake, {
          text: "show cluster aks-claims-prod",
          channel,
          user: `UADM${index}`,
          trigger: `adm-${index}`,
        }).then((response) => response.status),
      ),
    );
    expect(statuses).toEqual([200, 200, 200]);
    await fake.waitFor(() => channels.every((channel) => finalAnswers(fake, channel).length === 1), 60_000);
    // Each thread opened (its root message) only once the answer before it was posted.
    const opened = channels.map(
      (channel) =>
        fake.callsOf("chat.postMessage").find((call) => call.body.channel === channel && !call.body.thread_ts)?.at ?? 0,
    );
    const answered = channels.map((channel) => finalAnswers(fake, channel)[0]?.at ?? Infinity);
    const order = channels.map((_, index) => index).sort((a, b) => (opened[a] ?? 0) - (opened[b] ?? 0));
    for (let step = 1; step < order.length; step += 1)
      expect(opened[order[step] ?? 0]).toBeGreaterThanOrEqual(answered[order[step - 1] ?? 0] ?? Infinity);
  });
});
