import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createService, openStateStore, type StateStore } from "../../src/index.js";
import type { BotServer } from "../../adapters/server/create-server.js";
import { createMetrics } from "../../adapters/server/metrics.js";
import { slackOn, testBotServer, testChatHandler } from "../support/bot-under-test.js";
import { FakeSlackApi, type SlackCall } from "../support/fake-slack-api.js";
import { postSlackEvent, postSlackInteraction, postSlashCommand, slackHeaders } from "../support/slack-request.js";

const secret = "test-signing-secret";
let fake: FakeSlackApi;
let server: BotServer;
let store: StateStore;
let base: string;
let keyCounter = 0;

beforeAll(async () => {
  fake = new FakeSlackApi();
  // Set before the first command: the bot caches usergroups.list for ten minutes.
  fake.userGroups.set("SONCALL", ["UGROUP"]);
  await fake.start();
  store = await openStateStore(":memory:");
  const metrics = createMetrics();
  const service = await createService({
    azure: {
      world: "demo",
      onRequest: (method, status) => metrics.azureRequests.inc({ method, status: String(status) }),
    },
    store,
  });
  metrics.watchCache(service);
  const handler = testChatHandler(service, store, {
    authorization: {
      contact: "#platform-access",
      rules: [
        {
          slackUsers: ["U1", "U2", "UCLICK", "URESET"],
          slackUserGroups: [],
          entraObjectIds: [],
          channels: [],
          runbooks: ["*"],
          clusters: ["*"],
          subscriptions: [],
        },
        {
          slackUsers: [],
          slackUserGroups: ["SONCALL"],
          entraObjectIds: [],
          channels: [],
          runbooks: ["whois"],
          clusters: [],
          subscriptions: [],
        },
      ],
    },
    rateLimits: { perUser: { count: 3, perInMs: 60_000 }, perChannel: { count: 100, perInMs: 60_000 } },
    newKey: () => `k${++keyCounter}`,
    onRunFinished: (outcome) => metrics.recordOutcome(outcome),
  });
  server = testBotServer(
    { service, handler, store },
    {
      metrics,
      slack: slackOn(fake.apiUrl, { signingSecret: secret, resolveUserGroups: true }),
      slackRetryConfig: { retries: 2, minTimeout: 10, maxTimeout: 50 },
    },
  );
  base = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}`;
});

afterAll(async () => {
  await server.close(1000);
  await fake.stop();
  await store.close();
});

const postsIn = (channel: string): SlackCall[] =>
  fake.callsOf("chat.postMessage").filter((call) => call.body.channel === channel);
const blocksText = (call: SlackCall | undefined): string => JSON.stringify(call?.body.blocks ?? []);

describe("Slack over HTTP (real server, fake Web API on loopback)", () => {
  it("acks a signed slash command, then posts root, progress, summary and files in one thread", async () => {
    const response = await postSlashCommand(base, secret, {
      text: "show cluster aks-claims-prod",
      trigger_id: "t-show",
      response_url: fake.responseUrl("show"),
    });
    expect(response.status).toBe(200);
    await fake.waitFor(() => fake.callsOf("files.completeUploadExternal").length >= 1);
    const posts = postsIn("C1");
    const root = posts[0];
    expect(root?.body.thread_ts).toBeUndefined();
    expect(String(root?.body.text)).toContain("<@U1> ran `egress show cluster aks-claims-prod` (SIMULATED)");
    const rootTs = "1000.000100";
    expect(posts.slice(1).every((call) => call.body.thread_ts === rootTs)).toBe(true);
    const summary = posts.find((call) => blocksText(call).includes("Proof set"));
    expect(blocksText(summary)).toContain("SIMULATED");
    expect(blocksText(summary)).toContain("show-cluster for aks-claims-prod: no findings");
    expect(blocksText(summary)).toContain("run *succeeded*");
    expect(blocksText(summary)).toContain("natGateway");
    const updates = fake.callsOf("chat.update");
    expect(updates.length).toBeGreaterThan(0);
    expect(String(updates[updates.length - 1]?.body.text)).toContain(": succeeded");
    const complete = fake.callsOf("files.completeUploadExternal")[0];
    expect(complete?.body.thread_ts).toBe(rootTs);
    expect(JSON.stringify(complete?.body.files)).toContain(".json");
    const uploads = fake.callsOf("upload").map((call) => String(call.body.raw));
    expect(uploads.some((raw) => raw.includes('"schema": "egress.evidence/v1"'))).toBe(true);
    expect(uploads.some((raw) => raw.includes("# show-cluster"))).toBe(true);
  });

  it("rejects a bad signature, a stale timestamp and a tampered body with 401, and runs nothing", async () => {
    const before = fake.calls.length;
    const body = new URLSearchParams({
      command: "/egress",
      text: "whois 1.2.3.4",
      team_id: "T1",
      channel_id: "C1",
      user_id: "U1",
      trigger_id: "t-bad",
    }).toString();
    const post = (headers: Record<string, string>, sent = body) =>
      fetch(`${base}/slack/events`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body: sent,
      });
    expect((await post(slackHeaders("wrong-secret", body))).status).toBe(401);
    expect((await post(slackHeaders(secret, body, Math.floor(Date.now() / 1000) - 600))).status).toBe(401);
    expect((await post(slackHeaders(secret, body), body.replace("whois", "triage"))).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.calls.length).toBe(before);
  });

  it("runs a replayed slash command (the same signed request twice) once", async () => {
    const uploads = fake.callsOf("files.completeUploadExternal").length;
    const fields = {
      text: "whois 20.50.10.10",
      channel_id: "CREPLAY",
      user_id: "U1",
      trigger_id: "t-replay",
      response_url: fake.responseUrl("replay"),
    };
    expect((await postSlashCommand(base, secret, fields)).status).toBe(200);
    expect((await postSlashCommand(base, secret, fields)).status).toBe(200);
    await fake.waitFor(() => fake.callsOf("files.completeUploadExternal").length > uploads);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(postsIn("CREPLAY").filter((call) => call.body.thread_ts === undefined).length).toBe(1);
  });

  it("answers a usage error privately through response_url, without opening a thread", async () => {
    const posts = postsIn("C1").length;
    await postSlashCommand(base, secret, {
      text: "whois not-an-ip",
      trigger_id: "t-usage",
      response_url: fake.responseUrl("usage"),
    });
    await fake.waitFor((calls) =>
      calls.some((call) => call.method === "response_url" && String(call.body.text).includes("not a valid ip")),
    );
    expect(postsIn("C1").length).toBe(posts);
  });

  it("refuses an unauthorized user with the reason and the contact", async () => {
    await postSlashCommand(base, secret, {
      text: "show cluster aks-claims-prod",
      user_id: "UNOBODY",
      trigger_id: "t-denied",
      response_url: fake.responseUrl("denied"),
    });
    await fake.waitFor((calls) =>
      calls.some((call) => call.method === "response_url" && String(call.body.text).startsWith("Not allowed")),
    );
    const reply = fake.callsOf("response_url").find((call) => String(call.body.text).startsWith("Not allowed"));
    expect(String(reply?.body.text)).toContain("#platform-access");
    expect(reply?.body.response_type).toBe("ephemeral");
  });

  it("grants by Slack user group: a member of the on-call group may run whois, and only whois", async () => {
    const uploads = fake.callsOf("files.completeUploadExternal").length;
    await postSlashCommand(base, secret, {
      text: "whois 20.50.10.10",
      user_id: "UGROUP",
      channel_id: "CGROUP",
      trigger_id: "t-group",
      response_url: fake.responseUrl("group"),
    });
    await fake.waitFor(() => fake.callsOf("files.completeUploadExternal").length > uploads);
    const denials = (): number =>
      fake.callsOf("response_url").filter((call) => String(call.body.text).startsWith("Not allowed")).length;
    const denied = denials();
    await postSlashCommand(base, secret, {
      text: "show cluster aks-claims-prod",
      user_id: "UGROUP",
      channel_id: "CGROUP",
      trigger_id: "t-group-2",
      response_url: fake.responseUrl("group-2"),
    });
    await fake.waitFor(() => denials() > denied);
    expect(fake.callsOf("usergroups.list").length).toBe(1);
  });

  it("refuses Slack Connect users from other organisations", async () => {
    fake.strangers.add("UEXT");
    await postSlashCommand(base, secret, {
      text: "show cluster aks-claims-prod",
      user_id: "UEXT",
      trigger_id: "t-ext",
      response_url: fake.responseUrl("ext"),
    });
    await fake.waitFor((calls) =>
      calls.some(
        (call) =>
          call.method === "response_url" && String(call.body.text).includes("members of this organisation only"),
      ),
    );
  });

  it("tells the user to invite the bot when it is not in the channel", async () => {
    fake.notInChannel.add("CPRIV");
    await postSlashCommand(base, secret, {
      text: "whois 20.50.10.10",
      channel_id: "CPRIV",
      user_id: "U2",
      trigger_id: "t-priv",
      response_url: fake.responseUrl("priv"),
    });
    await fake.waitFor((calls) =>
      calls.some((call) => call.method === "response_url" && String(call.body.text).includes("/invite @egress")),
    );
  });

  it("answers an app_mention inside an existing thread in that thread, once even when Slack retries", async () => {
    const event = {
      type: "event_callback",
      team_id: "T1",
      api_app_id: "A1",
      event_id: "Ev-mention-1",
      event_time: 1,
      event: {
        type: "app_mention",
        user: "U2",
        text: "<@UBOT> whois 20.50.10.10",
        ts: "2000.000200",
        thread_ts: "1999.000100",
        channel: "CINC",
        event_ts: "2000.000200",
      },
    };
    expect((await postSlackEvent(base, secret, event)).status).toBe(200);
    expect(
      (await postSlackEvent(base, secret, event, { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" }))
        .status,
    ).toBe(200);
    await fake.waitFor(
      () =>
        postsIn("CINC").some((call) => blocksText(call).includes("whois")) &&
        fake.callsOf("files.completeUploadExternal").some((call) => call.body.channel_id === "CINC"),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const posts = postsIn("CINC");
    expect(posts.every((call) => call.body.thread_ts === "1999.000100")).toBe(true);
    expect(posts.filter((call) => String(call.body.text).startsWith("egress whois")).length).toBe(1);
  });

  it("runs a next-step button in the same thread as the clicker, and says so when a button has expired", async () => {
    const withButtons = fake.callsOf("chat.postMessage").find((call) => blocksText(call).includes("egress_next_0"));
    expect(withButtons).toBeDefined();
    const actions = (
      withButtons?.body.blocks as { type: string; elements?: { value: string; action_id: string }[] }[]
    ).find((block) => block.type === "actions");
    const button = actions?.elements?.[0];
    expect(button?.value).toMatch(/^k\d+$/);
    const click = (value: string, trigger: string) => ({
      type: "block_actions",
      team: { id: "T1" },
      user: { id: "UCLICK" },
      channel: { id: "C1" },
      trigger_id: trigger,
      container: { type: "message", message_ts: "1003.000100", channel_id: "C1", thread_ts: "1000.000100" },
      message: { ts: "1003.000100", thread_ts: "1000.000100" },
      actions: [{ type: "button", action_id: button?.action_id, value, action_ts: "1" }],
    });
    const before = postsIn("C1").length;
    const uploadsBefore = fake.callsOf("files.completeUploadExternal").length;
    expect((await postSlackInteraction(base, secret, click(button?.value ?? "", "t-click"))).status).toBe(200);
    await fake.waitFor(() => fake.callsOf("files.completeUploadExternal").length > uploadsBefore);
    const clickPosts = postsIn("C1").slice(before);
    expect(clickPosts.length).toBeGreaterThanOrEqual(2);
    expect(clickPosts.every((call) => call.body.thread_ts === "1000.000100")).toBe(true);
    expect(String(clickPosts[0]?.body.text)).toMatch(/^egress (triage|source-ips|denies|show cluster)/);
    expect(fake.callsOf("users.info").some((call) => call.body.user === "UCLICK")).toBe(true);
    await store.putButton(
      "old",
      { command: "whois 20.50.10.10", platform: "slack", channel: "C1", thread: "1000.000100", requestedBy: "U1" },
      Date.now() - 10_000,
      1,
    );
    await postSlackInteraction(base, secret, click("old", "t-old"));
    await fake.waitFor((calls) =>
      calls.some((call) => call.method === "chat.postEphemeral" && String(call.body.text).includes("expired")),
    );
  });

  it('runs the command written in a message from the "Diagnose egress" shortcut, in that message\'s thread', async () => {
    const uploads = fake.callsOf("files.completeUploadExternal").length;
    const shortcut = {
      type: "message_action",
      callback_id: "diagnose_egress",
      trigger_id: "t-shortcut",
      team: { id: "T1" },
      user: { id: "U1" },
      channel: { id: "CSHORT" },
      message_ts: "3000.000300",
      message: { type: "message", ts: "3000.000300", thread_ts: "2999.000100", text: "<@UBOT> whois 20.50.10.10" },
      response_url: fake.responseUrl("short"),
    };
    expect((await postSlackInteraction(base, secret, shortcut)).status).toBe(200);
    await fake.waitFor(() => fake.callsOf("files.completeUploadExternal").length > uploads);
    const posts = postsIn("CSHORT");
    expect(posts.length).toBeGreaterThanOrEqual(2);
    expect(posts.every((call) => call.body.thread_ts === "2999.000100")).toBe(true);
  });

  it("serves health, readiness and metrics", async () => {
    const health = await fetch(`${base}/healthz`, { headers: { "x-request-id": "req-42" } });
    expect(await health.json()).toEqual({ status: "ok" });
    expect(health.headers.get("x-request-id")).toBe("req-42");
    expect(
      (await fetch(`${base}/healthz`, { headers: { "x-request-id": "bad id <script>" } })).headers.get("x-request-id"),
    ).toMatch(/^[0-9a-f-]{36}$/);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, simulated: true });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/egress_runs_total\{runbook="show-cluster",status="succeeded"\} [1-9]/);
    expect(metrics).toMatch(/egress_ack_latency_seconds_count\{platform="slack"\} [1-9]/);
    expect(metrics).toContain("egress_step_duration_seconds_bucket");
    expect(metrics).toMatch(/egress_azure_requests_total\{method="GET",status="200"\} [1-9]/);
    expect(metrics).toMatch(/egress_azure_cache_reads\{result="miss"\} [1-9]/);
    expect(metrics).toMatch(/egress_commands_total\{platform="slack",outcome="succeeded"\} [1-9]/);
    // Refusals (the usage error and the unauthorized user above) are commands too.
    expect(metrics).toMatch(/egress_commands_total\{platform="slack",outcome="refused"\} [1-9]/);
  });
});

describe("Slack API failures and limits", () => {
  it("retries a 429 (Retry-After) and a 5xx from the Web API and still answers in the thread", async () => {
    fake.faults.push({
      method: "chat.postMessage",
      status: 429,
      headers: { "retry-after": "0" },
      body: { ok: false, error: "ratelimited" },
    });
    fake.faults.push({ method: "chat.update", status: 503 });
    const uploadsBefore = fake.callsOf("files.completeUploadExternal").length;
    await postSlashCommand(base, secret, {
      text: "whois 20.50.10.10",
      channel_id: "CRETRY",
      user_id: "U2",
      trigger_id: "t-retry",
      response_url: fake.responseUrl("retry"),
    });
    await fake.waitFor(() => fake.callsOf("files.completeUploadExternal").length > uploadsBefore);
    const posts = postsIn("CRETRY");
    // The first post met the 429 and was sent again; the thread still has its root, progress and summary.
    expect(posts.length).toBeGreaterThanOrEqual(4);
    expect(String(posts[0]?.body.text)).toBe(String(posts[1]?.body.text));
    expect(posts.slice(2).every((call) => typeof call.body.thread_ts === "string")).toBe(true);
  });

  it("retries a Web API call whose connection was reset (no HTTP answer at all) and still answers in the thread", async () => {
    fake.resets.set("chat.postMessage", 1);
    const uploadsBefore = fake.callsOf("files.completeUploadExternal").length;
    await postSlashCommand(base, secret, {
      text: "whois 20.50.10.10",
      channel_id: "CRESET",
      user_id: "URESET",
      trigger_id: "t-reset",
      response_url: fake.responseUrl("reset"),
    });
    await fake.waitFor(() => fake.callsOf("files.completeUploadExternal").length > uploadsBefore);
    expect(fake.callsOf("chat.postMessage (reset)").length).toBe(1);
    const posts = postsIn("CRESET");
    expect(posts.length).toBeGreaterThanOrEqual(3);
    expect(posts.slice(1).every((call) => typeof call.body.thread_ts === "string")).toBe(true);
  });

  it("refuses a user over the per-user rate limit, saying when to retry", async () => {
    for (const [index] of [1, 2, 3, 4].entries()) {
      await postSlashCommand(base, secret, {
        text: "whois 20.50.10.10",
        channel_id: "CRATE",
        user_id: "U2",
        trigger_id: `t-rate-${index}`,
        response_url: fake.responseUrl(`rate-${index}`),
      });
    }
    await fake.waitFor((calls) =>
      calls.some(
        (call) => call.method === "response_url" && String(call.body.text).includes("many commands in a short time"),
      ),
    );
  });

  it("refuses oversized input with a clear reason", async () => {
    await postSlashCommand(base, secret, {
      text: `whois ${"9".repeat(5000)}`,
      user_id: "U1",
      trigger_id: "t-big",
      response_url: fake.responseUrl("big"),
    });
    await fake.waitFor((calls) =>
      calls.some((call) => call.method === "response_url" && /too long/i.test(String(call.body.text))),
    );
  });
});
