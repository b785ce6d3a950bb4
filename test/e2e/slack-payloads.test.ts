import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createService, openStateStore, type StateStore } from "../../src/index.js";
import type { BotServer } from "../../adapters/server/create-server.js";
import { slackOn, testBotServer, testChatHandler } from "../support/bot-under-test.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { postSlackEvent, postSlackInteraction, slackHeaders } from "../support/slack-request.js";
import {
  appMentionWithFile,
  appRateLimited,
  appUninstalled,
  gridSlashCommand,
  messageShortcut,
  threadButtonClick,
  tokensRevoked,
  urlVerification,
} from "../fixtures/chat/slack-payloads.js";

// Real Slack payload shapes (test/fixtures/chat/slack-payloads.ts names each one's source) through
// the real server and Bolt, signed as Slack signs them, answered to a fake Web API on loopback.
const secret = "payload-signing-secret";
let fake: FakeSlackApi;
let server: BotServer;
let store: StateStore;
let base: string;

beforeAll(async () => {
  fake = new FakeSlackApi();
  await fake.start();
  store = await openStateStore(":memory:");
  const service = await createService({ azure: { world: "demo" }, store });
  const handler = testChatHandler(service, store);
  server = testBotServer(
    { service, handler, store },
    {
      slack: slackOn(fake.apiUrl, { signingSecret: secret }),
      slackRetryConfig: { retries: 1, minTimeout: 10, maxTimeout: 20 },
    },
  );
  base = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}`;
});

afterAll(async () => {
  await server.close(1000);
  await fake.stop();
  await store.close();
});

const postForm = (fields: Record<string, string>): Promise<Response> => {
  const body = new URLSearchParams(fields).toString();
  return fetch(`${base}/slack/events`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...slackHeaders(secret, body) },
    body,
  });
};
const rootPostsIn = (channel: string): string[] =>
  fake
    .callsOf("chat.postMessage")
    .filter((call) => call.body.channel === channel)
    .map((call) => String(call.body.text));

describe("Slack payloads as Slack sends them", () => {
  it("runs an Enterprise Grid slash command from a member whose home is another workspace of the org", async () => {
    fake.enterpriseMembers.set("U0GRIDUSER", "E0CONTOSO");
    const response = await postForm(
      gridSlashCommand("show cluster aks-claims-prod", "grid.1", fake.responseUrl("grid-1"), "C0GRID01"),
    );
    expect(response.status).toBe(200);
    await fake.waitFor(() =>
      fake
        .callsOf("chat.postMessage")
        .some((call) => call.body.channel === "C0GRID01" && JSON.stringify(call.body).includes("Proof set")),
    );
    expect(rootPostsIn("C0GRID01")[0]).toContain("ran `egress show cluster aks-claims-prod`");
    // The egress path picture goes up with the bundle, as a PNG in the thread.
    await fake.waitFor(() =>
      fake.callsOf("files.getUploadURLExternal").some((call) => String(call.body.filename).endsWith("-path.png")),
    );
  });

  it("runs the command a shortcut's message quotes in inline code or a code block, on a person's or a bot's message", async () => {
    await postSlackInteraction(
      base,
      secret,
      messageShortcut(
        "could someone run `triage aks-claims-prod --dest api.vendor.example:443` please?",
        "sc.inline",
        fake.responseUrl("sc-inline"),
        "C0INLINE",
      ),
    );
    await postSlackInteraction(
      base,
      secret,
      messageShortcut(
        "```\negress denies aks-plant-prod\n```",
        "sc.block",
        fake.responseUrl("sc-block"),
        "C0BLOCK",
        true,
      ),
    );
    await fake.waitFor(
      () =>
        fake.callsOf("chat.postMessage").some((call) => call.body.channel === "C0INLINE") &&
        fake.callsOf("chat.postMessage").some((call) => call.body.channel === "C0BLOCK"),
    );
    expect(rootPostsIn("C0INLINE").join(" ")).toContain("egress triage aks-claims-prod --dest api.vendor.example:443");
    expect(rootPostsIn("C0BLOCK").join(" ")).toContain("egress denies aks-plant-prod");
  });

  it("tells the user, through the shortcut's response_url, when it is used where the bot cannot post", async () => {
    fake.notInChannel.add("C0NOTIN");
    await postSlackInteraction(
      base,
      secret,
      messageShortcut("`whois 20.50.10.10`", "sc.notin", fake.responseUrl("sc-notin"), "C0NOTIN"),
    );
    await fake.waitFor(() =>
      fake
        .callsOf("response_url")
        .some((call) => JSON.stringify(call.body).includes("I can't post in this conversation")),
    );
    const told = fake.callsOf("response_url").find((call) => JSON.stringify(call.body).includes("I can't post"));
    expect(told?.body.response_type).toBe("ephemeral");
  });

  it("acknowledges every Events API envelope at once: app_rate_limited, tokens_revoked, app_uninstalled, unknown types, url_verification, ssl_check", async () => {
    for (const payload of [
      appRateLimited(),
      tokensRevoked("Ev0REVOKED"),
      appUninstalled("Ev0UNINSTALLED"),
      { token: "x", type: "an_envelope_slack_adds_later", team_id: "T1", api_app_id: "A0EGRESS" },
    ]) {
      const response = await postSlackEvent(base, secret, payload);
      expect({ type: payload.type, status: response.status }).toEqual({ type: payload.type, status: 200 });
    }
    const challenge = await postSlackEvent(
      base,
      secret,
      urlVerification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"),
    );
    expect(await challenge.json()).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
    expect((await postForm({ ssl_check: "1", token: "gIkuvaNzQIHg97ATvDxqgjtO" })).status).toBe(200);
  });

  it("still refuses an unsigned envelope", async () => {
    const response = await fetch(`${base}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...slackHeaders("wrong-secret", JSON.stringify(appRateLimited())),
      },
      body: JSON.stringify(appRateLimited()),
    });
    expect(response.status).toBe(401);
  });

  it("runs a button clicked inside a thread, answering in that thread", async () => {
    await store.putButton(
      "pay-thread",
      { command: "whois 20.31.18.41", platform: "slack", channel: "C0THREAD", thread: null, requestedBy: "U1" },
      Date.now(),
      60_000,
    );
    const response = await postSlackInteraction(
      base,
      secret,
      threadButtonClick("egress_next_0", "pay-thread", "bt.1", fake.responseUrl("bt-1"), "C0THREAD"),
    );
    expect(response.status).toBe(200);
    await fake.waitFor(() =>
      fake
        .callsOf("chat.postMessage")
        .some(
          (call) =>
            call.body.channel === "C0THREAD" &&
            call.body.thread_ts === "1764669600.000100" &&
            JSON.stringify(call.body).includes("whois of 20.31.18.41"),
        ),
    );
  });

  it("runs an app_mention that carries a file", async () => {
    await postSlackEvent(base, secret, appMentionWithFile("<@UBOT> whois 20.50.10.10", "Ev0FILE"));
    await fake.waitFor(() =>
      fake.callsOf("chat.postMessage").some((call) => JSON.stringify(call.body).includes("whois of 20.50.10.10")),
    );
  });

  it("keeps events of two workspaces apart when their event ids match", async () => {
    const before = fake.calls.length;
    await postSlackEvent(base, secret, appMentionWithFile("<@UBOT> help", "Ev0SAME", "T1"));
    await postSlackEvent(base, secret, appMentionWithFile("<@UBOT> help", "Ev0SAME", "T2"));
    // Each workspace gets its answer (help for one; the other's user is not its member, and is told).
    await fake.waitFor(
      (calls) => calls.slice(before).filter((call) => call.method === "chat.postEphemeral").length >= 2,
    );
  });

  it("answers clearly, not with silence, when users.info fails", async () => {
    fake.faults.push({ method: "users.info", status: 200, body: { ok: false, error: "internal_error" } });
    const response = await postForm({
      ...gridSlashCommand("whois 20.50.10.10", "grid.fail", fake.responseUrl("grid-fail")),
      user_id: "U0NEWUSER",
    });
    expect(response.status).toBe(200);
    await fake.waitFor(() =>
      fake
        .callsOf("response_url")
        .some((call) => JSON.stringify(call.body).includes("I could not check your Slack account")),
    );
  });
});
