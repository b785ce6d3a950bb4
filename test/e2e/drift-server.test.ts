import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createService, openStateStore, type StateStore } from "../../src/index.js";
import type { BotServer } from "../../adapters/server/create-server.js";
import { createMetrics } from "../../adapters/server/metrics.js";
import { manualSchedule, pretendSourcesChanged } from "../support/manual-drift.js";
import { slackOn, testBotServer, testChatHandler } from "../support/bot-under-test.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";

// The server's drift watch: the schedule's tick (triggered by hand here) runs `drift`, keeps the
// snapshots, posts one message to the configured Slack channel when something changed, and updates
// the metrics.
let fake: FakeSlackApi;
let server: BotServer;
let store: StateStore;
let base: string;
const { schedule, tick } = manualSchedule();
const claims =
  "/subscriptions/7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b/resourceGroups/rg-claims-prod/providers/Microsoft.ContainerService/managedClusters/aks-claims-prod";

beforeAll(async () => {
  fake = new FakeSlackApi();
  await fake.start();
  store = await openStateStore(":memory:");
  const service = await createService({ azure: { world: "demo" }, store });
  server = testBotServer(
    { service, handler: testChatHandler(service, store), store },
    {
      metrics: createMetrics(),
      slack: slackOn(fake.apiUrl, { signingSecret: "s3cret" }),
      drift: { schedule, slackChannel: "C0NETWORK", teamsConversation: null },
    },
  );
  base = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}`;
});

afterAll(async () => {
  await server.close(1000);
  await fake.stop();
});

describe("the drift watch in the server", () => {
  it("keeps the first snapshots quietly, then posts one message to the channel when a cluster's sources changed", async () => {
    await tick();
    expect(fake.callsOf("chat.postMessage")).toEqual([]);
    expect(await store.listSnapshots(claims)).toHaveLength(1);
    // As if aks-claims-prod had left through another prefix at the last watch (a newer snapshot).
    await pretendSourcesChanged(store, claims);
    await tick();
    const posts = fake.callsOf("chat.postMessage");
    expect(posts).toHaveLength(1);
    const post = posts[0]?.body as { channel: string; text: string; blocks: unknown[]; thread_ts?: string };
    expect(post.channel).toBe("C0NETWORK");
    expect(post.thread_ts).toBeUndefined();
    const text = JSON.stringify(post.blocks);
    expect(post.text).toContain("drift of 4 cluster(s)");
    expect(text).toContain("rg-claims-prod/aks-claims-prod");
    expect(text).toContain("20.31.18.0/30 → natGateway, 20.31.18.40/30");
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/egress_drift_ticks_total\{outcome="succeeded"\} 2/);
    expect(metrics).toMatch(/egress_drift_clusters_scanned 4/);
    expect(metrics).toMatch(/egress_drift_changes 1/);
    expect(metrics).toMatch(/egress_drift_broken_allowlists 0/);
    expect(metrics).toMatch(/egress_drift_last_success_timestamp_seconds \d/);
  });
});
