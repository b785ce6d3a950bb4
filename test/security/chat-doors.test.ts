import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createService, openStateStore, type StateStore } from "../../src/index.js";
import type { BotServer } from "../../adapters/server/create-server.js";
import { readTeamsSettings } from "../../adapters/teams/teams-settings.js";
import { slackOn, testBotServer, testChatHandler } from "../support/bot-under-test.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { FakeTeamsConnector } from "../support/fake-teams-connector.js";
import { openHeldRequest, rawRequest, whenClosed } from "../support/raw-http.js";
import { postSlashCommand, slackHeaders } from "../support/slack-request.js";

// An attacker on the same network (here: 127.0.0.2, outside the allowed 127.0.0.1) and a careless
// caller, against the real server over loopback HTTP. Every case asserts the refusal and that
// nothing ran: no reply to any platform, no audit record of a run.
const secret = "doors-signing-secret";
let slackApi: FakeSlackApi;
let connector: FakeTeamsConnector;
let server: BotServer;
let store: StateStore;
let port: number;
let base: string;
let commands = 0;

beforeAll(async () => {
  slackApi = new FakeSlackApi();
  await slackApi.start();
  connector = new FakeTeamsConnector();
  await connector.start();
  store = await openStateStore(":memory:");
  const service = await createService({ azure: { world: "demo" }, store });
  const handler = testChatHandler(service, store, { onRunFinished: () => void commands++ });
  const teams = readTeamsSettings(
    { NODE_ENV: "test" },
    { tenants: ["tenant-1"], allowGuests: [], anonymousPeers: ["127.0.0.1/32"] },
  );
  server = testBotServer(
    { service, handler, store },
    {
      slack: slackOn(slackApi.apiUrl, { signingSecret: secret }),
      teams,
      slackRetryConfig: { retries: 0 },
      teamsRetry: { retries: 0, minTimeout: 10, maxTimeout: 20 },
      requestTimeoutInMs: 1000,
    },
  );
  port = await server.listen(0, "127.0.0.1");
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await server.close(1000);
  await slackApi.stop();
  await connector.stop();
  await store.close();
});

const activity = (text: string, serviceUrl: string, id = `a-${Math.random()}`) => ({
  type: "message",
  id,
  serviceUrl,
  channelId: "msteams",
  from: { id: "29:mallory", name: "Mallory", aadObjectId: "obj-mallory" },
  recipient: { id: "28:egress", name: "Egress" },
  conversation: { id: "19:ops@thread.tacv2;messageid=1", conversationType: "channel", tenantId: "tenant-1" },
  text,
  entities: [{ type: "mention", text: "<at>Egress</at>", mentioned: { id: "28:egress", name: "Egress" } }],
  channelData: { tenant: { id: "tenant-1" } },
});
const teamsPost = (body: unknown, localAddress = "127.0.0.1") =>
  rawRequest(`${base}/api/messages`, {
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    localAddress,
  });
/** What the platforms and the audit have seen, to show that a refused request left no trace. */
const traces = async () => ({
  slack: slackApi.calls.filter((call) => call.method !== "auth.test").length,
  teams: connector.calls.length,
  audit: (await store.listAudit(0)).length,
  commands,
});
/** The traces once earlier work has finished posting (nothing changed for half a second). */
async function settledTraces(): ReturnType<typeof traces> {
  let last = JSON.stringify(await traces());
  for (let quiet = 0; quiet < 5;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = JSON.stringify(await traces());
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
  return traces();
}

describe("Teams anonymous local mode", () => {
  it("refuses an activity from a peer outside the allowed set, before reading it", async () => {
    const before = await settledTraces();
    const response = await teamsPost(activity("whois 20.50.10.10", connector.serviceUrl), "127.0.0.2");
    expect(response.status).toBe(403);
    expect(response.body).toContain("anonymous local mode answers only this machine");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await traces()).toEqual(before);
  });

  it.each([
    "https://attacker.example/",
    "https://smba.trafficmanager.net/amer/",
    "http://127.0.0.1.attacker.example/",
    "http://user:secret@127.0.0.1:9/",
    "http://10.0.0.5/",
    "file:///etc/passwd",
    "not a url",
  ])("refuses an activity whose serviceUrl is %s, and sends nothing there", async (serviceUrl) => {
    const before = await settledTraces();
    const response = await teamsPost(activity("whois 20.50.10.10", serviceUrl));
    expect(response.status).toBe(403);
    expect(response.body).toContain("serviceUrl refused");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await traces()).toEqual(before);
  });

  it("answers an allowed peer with a loopback serviceUrl, escaping what the user typed", async () => {
    const response = await teamsPost(
      activity("<at>Egress</at> show cluster [x](https://evil.example) <b>hi</b>", connector.serviceUrl),
    );
    expect(response.status).toBe(200);
    await connector.waitFor((calls) => calls.some((call) => JSON.stringify(call.body).includes("evil")));
    const texts = connector.calls.map((call) => (typeof call.body.text === "string" ? call.body.text : ""));
    const echoed = texts.find((text) => text.includes("evil")) ?? "";
    expect(echoed).not.toContain("[x](https://evil.example)");
    expect(echoed).toContain("\\[x\\]");
    expect(echoed).not.toMatch(/<b>/);
  });
});

describe("request bodies are bounded before any parsing", () => {
  it("refuses a declared oversized body at once, on both chat endpoints", async () => {
    for (const [path, size] of [
      ["/slack/events", 4 * 1024 * 1024],
      ["/api/messages", 1024 * 1024],
    ] as const) {
      const socket = await openHeldRequest(
        port,
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n{"a":`,
      );
      const answer = await whenClosed(socket);
      expect(answer).toMatch(/^HTTP\/1\.1 413/);
    }
  });

  it("refuses a chunked body that grows past the limit", async () => {
    const chunk = "x".repeat(64 * 1024);
    const chunks = Array.from({ length: 6 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join("");
    const socket = await openHeldRequest(
      port,
      `POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}`,
    );
    const answer = await whenClosed(socket);
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
  });

  it("holds 100 oversized unsigned bodies without growing, and still answers a signed command", async () => {
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const body = "y".repeat(64 * 1024);
    const sockets = await Promise.all(
      Array.from({ length: 100 }, () =>
        openHeldRequest(
          port,
          `POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${4 * 1024 * 1024}\r\n\r\n${body}`,
        ),
      ),
    );
    const answers = await Promise.all(sockets.map(whenClosed));
    expect(answers.every((answer) => answer.startsWith("HTTP/1.1 413"))).toBe(true);
    const growthInMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    // 100 × 4 MB read would be 400 MB; refused before reading, the process barely moves.
    expect(growthInMb).toBeLessThan(64);
    const signed = await postSlashCommand(base, secret, { text: "whois 20.50.10.10", trigger_id: "t-after-flood" });
    expect(signed.status).toBe(200);
  });

  it("closes a connection whose body trickles in slower than the request timeout", async () => {
    const started = Date.now();
    const socket = await openHeldRequest(
      port,
      `POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":`,
    );
    const answer = await whenClosed(socket);
    expect(answer === "" || /^HTTP\/1\.1 408/.test(answer)).toBe(true);
    // Generous ceiling: the timeout is 1 s; a busy machine may take a few more.
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe("Slack requests", () => {
  it("refuses a timestamp from the future like a stale one, and runs nothing", async () => {
    const before = await settledTraces();
    const body = new URLSearchParams({
      command: "/egress",
      text: "whois 20.50.10.10",
      team_id: "T1",
      channel_id: "C1",
      user_id: "U1",
      trigger_id: "t-future",
    }).toString();
    const future = Math.floor(Date.now() / 1000) + 3600;
    const response = await fetch(`${base}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...slackHeaders(secret, body, future) },
      body,
    });
    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await traces()).toEqual(before);
  });

  const controls = [
    "<!here>",
    "<!channel>",
    "<!everyone>",
    "<https://evil.example|click here>",
    "<@U0ADMIN>",
    "<#C0SECRET>",
  ];
  it.each([
    ["a usage error echoes the argument", (control: string) => `show cluster ${control}`],
    ["an unknown command echoes the word", (control: string) => `${control} now`],
    [
      "a partner name reaches the thread title and the summary",
      (control: string) => `source-ips aks-claims-prod --partner "${control}"`,
    ],
  ])("%s: mrkdwn control sequences arrive escaped in every text and block", async (_name, command) => {
    for (const control of controls) {
      const before = slackApi.calls.length;
      const response = await postSlashCommand(base, secret, {
        text: command(control),
        trigger_id: `t-${Math.random()}`,
        response_url: slackApi.responseUrl(`r-${Math.random()}`),
      });
      expect(response.status).toBe(200);
      await slackApi.waitFor((calls) => calls.length > before);
      // Let the run post everything it will post.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const sent = JSON.stringify(slackApi.calls.slice(before).map((call) => call.body));
      expect(sent).not.toContain(control.slice(0, 6));
    }
  });
});

describe("/metrics", () => {
  it("answers this machine only on the bot's port", async () => {
    // Every 127/8 address is this machine; other peers get 403 (the same guard as the console's).
    expect((await rawRequest(`${base}/metrics`, { method: "GET", localAddress: "127.0.0.2" })).status).toBe(200);
  });

  it("is not on the public listener in production, and is on its own port when asked", async () => {
    const service = await createService({ azure: { world: "demo" }, store });
    const production = testBotServer(
      { service, handler: testChatHandler(service, store), store },
      { production: true, metricsPort: 0, metricsHost: "127.0.0.1" },
    );
    const publicPort = await production.listen(0, "127.0.0.1");
    try {
      expect((await fetch(`http://127.0.0.1:${publicPort}/metrics`)).status).toBe(404);
      const scraped = await fetch(`http://127.0.0.1:${production.metricsPort()}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain("egress_commands_total");
      expect(production.platforms.metrics).toContain("own listener");
    } finally {
      await production.close(100);
    }
  });
});
