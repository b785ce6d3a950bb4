import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { WebSocketServer, type WebSocket } from "ws";
import { createService, openStateStore, type StateStore } from "../../src/index.js";
import type { BotServer } from "../../adapters/server/create-server.js";
import { slackOn, testBotServer, testChatHandler } from "../support/bot-under-test.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";

// Socket Mode: the bot opens a WebSocket to the URL apps.connections.open returns; Slack sends
// envelopes over it and the bot acks each by its envelope_id. No inbound HTTP endpoint is used.
let fake: FakeSlackApi;
let sockets: WebSocketServer;
let server: BotServer;
let store: StateStore;
const connected: WebSocket[] = [];
const received: Record<string, unknown>[] = [];

beforeAll(async () => {
  sockets = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((resolve) => sockets.once("listening", resolve));
  sockets.on("connection", (socket) => {
    connected.push(socket);
    socket.on("message", (data: Buffer) => received.push(JSON.parse(data.toString("utf8")) as Record<string, unknown>));
    socket.send(
      JSON.stringify({ type: "hello", num_connections: 1, debug_info: { approximate_connection_time: 3600 } }),
    );
  });
  const address = sockets.address();
  const socketUrl = `ws://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/link`;
  fake = new FakeSlackApi();
  fake.connectionsUrl = socketUrl;
  await fake.start();
  store = await openStateStore(":memory:");
  const service = await createService({ azure: { world: "demo" }, store });
  server = testBotServer(
    { service, handler: testChatHandler(service, store), store },
    { slack: slackOn(fake.apiUrl, { appToken: "xapp-test" }) },
  );
  await server.listen(0, "127.0.0.1");
});

afterAll(async () => {
  await server.close(1000);
  // Let the client's close handshake finish, so its ping timers are cleared before the endpoint goes.
  await Promise.all(
    connected.map((socket) =>
      socket.readyState === socket.CLOSED ? Promise.resolve() : new Promise((resolve) => socket.once("close", resolve)),
    ),
  );
  await new Promise((resolve) => sockets.close(resolve));
  await fake.stop();
  await store.close();
});

describe("Slack over Socket Mode (fake WebSocket endpoint on loopback)", () => {
  it("connects with the app token, acks a slash-command envelope and answers in a thread", async () => {
    expect(server.platforms.slack).toBe("on (Socket Mode)");
    await fake.waitFor(() => connected.length > 0 && fake.callsOf("apps.connections.open").length > 0);
    expect(fake.callsOf("apps.connections.open")[0]?.authorization).toBe("Bearer xapp-test");
    await new Promise((resolve) => setTimeout(resolve, 100));
    connected[0]?.send(
      JSON.stringify({
        envelope_id: "env-1",
        type: "slash_commands",
        accepts_response_payload: true,
        payload: {
          command: "/egress",
          text: "whois 20.50.10.10",
          team_id: "T1",
          channel_id: "CSOCK",
          user_id: "U1",
          trigger_id: "sock-1",
          response_url: fake.responseUrl("sock"),
        },
      }),
    );
    await fake.waitFor(() => fake.callsOf("files.completeUploadExternal").length === 1);
    expect(received.some((message) => message.envelope_id === "env-1")).toBe(true);
    const posts = fake.callsOf("chat.postMessage").filter((call) => call.body.channel === "CSOCK");
    expect(posts[0]?.body.thread_ts).toBeUndefined();
    expect(posts.slice(1).every((call) => call.body.thread_ts === "1000.000100")).toBe(true);
  });
});
