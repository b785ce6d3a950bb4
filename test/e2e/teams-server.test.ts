import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createService, openStateStore, type StateStore } from "../../src/index.js";
import type { BotServer } from "../../adapters/server/create-server.js";
import { readTeamsSettings } from "../../adapters/teams/teams-settings.js";
import { cardProblems } from "../support/adaptive-card-validator.js";
import { testBotServer, testChatHandler } from "../support/bot-under-test.js";
import { FakeTeamsConnector } from "../support/fake-teams-connector.js";

const thread = "19:incident@thread.tacv2;messageid=1759881511856";
let connector: FakeTeamsConnector;
let server: BotServer;
let store: StateStore;
let base: string;
let key = 0;

const activity = (id: string, text: string, extra: Record<string, unknown> = {}) => ({
  type: "message",
  id,
  serviceUrl: connector.serviceUrl,
  channelId: "msteams",
  from: { id: "29:alice", name: "Alice Ops", aadObjectId: "obj-alice" },
  recipient: { id: "28:egress", name: "Egress" },
  conversation: { id: thread, conversationType: "channel", isGroup: true, tenantId: "tenant-1" },
  text: `<at>Egress</at> ${text}`,
  entities: [{ type: "mention", text: "<at>Egress</at>", mentioned: { id: "28:egress", name: "Egress" } }],
  channelData: { tenant: { id: "tenant-1" } },
  ...extra,
});
const post = (body: unknown) =>
  fetch(`${base}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const cardText = (card: Record<string, unknown> | undefined) => JSON.stringify(card ?? {});

beforeAll(async () => {
  connector = new FakeTeamsConnector();
  await connector.start();
  store = await openStateStore(":memory:");
  const service = await createService({ azure: { world: "demo" }, store });
  const handler = testChatHandler(service, store, { newKey: () => `t${++key}` });
  const teams = readTeamsSettings(
    { NODE_ENV: "test", EGRESS_PUBLIC_URL: "https://egress.example.com" },
    { tenants: ["tenant-1"], allowGuests: [] },
  );
  server = testBotServer(
    { service, handler, store },
    { teams, teamsRetry: { retries: 3, minTimeout: 10, maxTimeout: 50 }, linkKey: "test-link-key" },
  );
  base = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}`;
});

afterAll(async () => {
  await server.close(1000);
  await connector.stop();
  await store.close();
});

describe("Teams over HTTP (Agents SDK, anonymous local mode, fake connector on loopback)", () => {
  it("answers a channel-thread mention in the same thread: a progress card updated in place, then the summary card", async () => {
    const response = await post(activity("a-show", "show cluster aks-claims-prod"));
    expect(response.status).toBe(200);
    await connector.waitFor(() => connector.cards().some((card) => cardText(card).includes("Proof set")));
    const posts = connector.calls.filter((call) => call.method === "POST");
    expect(posts.every((call) => call.path.startsWith(`/v3/conversations/${thread}/activities`))).toBe(true);
    expect(connector.calls.some((call) => call.method === "PUT")).toBe(true);
    const summary = connector.cards().find((card) => cardText(card).includes("Proof set"));
    expect(summary?.version).toBe("1.5");
    expect(cardText(summary)).toContain("SIMULATED");
    expect(cardText(summary)).toContain("show-cluster for aks-claims-prod: no findings");
    expect(cardText(summary)).toContain("run succeeded");
    expect(cardText(summary)).toContain('"type":"Action.Execute"');
    expect(cardText(summary)).toContain("https://egress.example.com/bundles/");
    // The egress path picture: too large to inline (over 12,000 characters as a data URI), so behind
    // the bundle's signed link, which Teams fetches from the public URL.
    expect(cardText(summary)).toMatch(
      /"type":"Image","url":"https:\/\/egress\.example\.com\/bundles\/[^"/]+\/path\.png\?expires=\d+&signature=[^"]+"/,
    );
  });

  it("serves the path picture behind the bundle's signed link, and refuses a tampered one", async () => {
    const summary = connector.cards().find((card) => cardText(card).includes("Proof set"));
    const bundleUrl = (
      (summary?.actions as { type: string; url?: string }[]).find((action) => action.type === "Action.OpenUrl")?.url ??
      ""
    ).replace("https://egress.example.com", base);
    const picture = await fetch(bundleUrl.replace(/^([^?]*)\?/, "$1/path.png?"));
    expect(picture.status).toBe(200);
    expect(picture.headers.get("content-type")).toBe("image/png");
    expect([...new Uint8Array(await picture.arrayBuffer()).slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
    const tampered = bundleUrl.replace(/^([^?]*)\?/, "$1/path.png?").replace(/signature=.{4}/, "signature=AAAA");
    expect((await fetch(tampered)).status).toBe(403);
  });

  it("sends only cards that Microsoft's renderer parses and validates without a single event", () => {
    const cards = connector.cards();
    expect(cards.length).toBeGreaterThan(1);
    for (const card of cards) expect(cardProblems(card)).toEqual([]);
  });

  it("serves the bundle behind the signed link, and refuses a tampered one", async () => {
    const summary = connector.cards().find((card) => cardText(card).includes("Proof set"));
    const url = (
      (summary?.actions as { type: string; url?: string }[]).find((action) => action.type === "Action.OpenUrl")?.url ??
      ""
    ).replace("https://egress.example.com", base);
    const bundle = (await (await fetch(url)).json()) as { schema: string; simulated: boolean };
    expect(bundle).toMatchObject({ schema: "egress.evidence/v1", simulated: true });
    expect((await fetch(url.replace(/signature=.{4}/, "signature=AAAA"))).status).toBe(403);
  });

  it("runs an Action.Execute button in the same thread", async () => {
    const summary = connector.cards().find((card) => cardText(card).includes("Proof set"));
    const execute = (summary?.actions as { type: string; verb?: string; data?: { egressKey: string } }[]).find(
      (action) => action.type === "Action.Execute",
    );
    const before = connector.calls.length;
    const response = await post({
      ...activity("a-click", ""),
      type: "invoke",
      name: "adaptiveCard/action",
      text: undefined,
      value: { action: { type: "Action.Execute", verb: execute?.verb, data: execute?.data } },
    });
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).toContain("Running it in this thread.");
    await connector.waitFor((calls) =>
      calls.slice(before).some((call) => JSON.stringify(call.body).includes("Findings")),
    );
    expect(connector.calls.slice(before).every((call) => call.path.startsWith(`/v3/conversations/${thread}/`))).toBe(
      true,
    );
  });

  it("answers a duplicate activity (Teams resends after ~15 s) once", async () => {
    const before = connector.calls.length;
    await post(activity("a-dup", "whois 20.50.10.10"));
    await post(activity("a-dup", "whois 20.50.10.10"));
    await connector.waitFor((calls) =>
      calls.slice(before).some((call) => JSON.stringify(call.body).includes("whois of 20.50.10.10")),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const progressPosts = connector.calls
      .slice(before)
      .filter((call) => call.method === "POST" && JSON.stringify(call.body).includes("egress whois"));
    expect(progressPosts.length).toBe(1);
  });

  it("retries connector 5xx and 429 and still delivers, without the SDK's generic error message", async () => {
    const before = connector.calls.length;
    connector.failures.push(503, 429);
    await post(activity("a-retry", "whois 20.50.10.10"));
    await connector.waitFor((calls) => calls.slice(before).filter((call) => call.method === "POST").length >= 4);
    // The first reply met 503, its retry 429, the next attempt went through: three POSTs of the same reply.
    const posts = connector.calls
      .slice(before)
      .filter((call) => call.method === "POST")
      .slice(0, 3);
    expect(posts.length).toBe(3);
    expect(new Set(posts.map((call) => `${call.path} ${JSON.stringify(call.body.attachments)}`)).size).toBe(1);
    expect(connector.calls.some((call) => JSON.stringify(call.body).includes("encountered an error"))).toBe(false);
  });

  it("retries a connector 412 (a lost update race) and still delivers", async () => {
    const before = connector.calls.length;
    connector.failures.push(412);
    await post(activity("a-412", "whois 20.50.10.10"));
    await connector.waitFor((calls) => calls.slice(before).filter((call) => call.method !== "GET").length >= 3);
    const writes = connector.calls.slice(before).filter((call) => call.method !== "GET");
    // The write that met 412 was sent again, unchanged.
    expect(writes.length).toBeGreaterThanOrEqual(2);
    expect(`${writes[0]?.method} ${writes[0]?.path}`).toBe(`${writes[1]?.method} ${writes[1]?.path}`);
    expect(JSON.stringify(writes[0]?.body)).toBe(JSON.stringify(writes[1]?.body));
  });

  it("runs an Action.Submit button (a message activity with a value) and says when a button has expired", async () => {
    const before = connector.calls.length;
    await store.putButton(
      "teams-old",
      { command: "whois 20.50.10.10", platform: "teams", channel: null, thread: thread, requestedBy: null },
      Date.now() - 10_000,
      1,
    );
    await post({ ...activity("a-submit-old", ""), text: undefined, value: { egressKey: "teams-old" } });
    await connector.waitFor((calls) => calls.slice(before).some((call) => String(call.body.text).includes("expired")));
    const summary = connector.cards().find((card) => cardText(card).includes("Proof set"));
    const execute = (summary?.actions as { type: string; data?: { egressKey: string } }[]).find(
      (action) => action.type === "Action.Execute",
    );
    const mark = connector.calls.length;
    await post({ ...activity("a-submit", ""), text: undefined, value: { egressKey: execute?.data?.egressKey } });
    await connector.waitFor((calls) =>
      calls.slice(mark).some((call) => JSON.stringify(call.body).includes("Findings")),
    );
  });

  it("answers a malformed activity with 400", async () => {
    const response = await post({ hello: "world" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "not a valid activity" });
  });

  it("rejects a bogus bearer token even in anonymous mode", async () => {
    const response = await fetch(`${base}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer abc.def.ghi" },
      body: JSON.stringify(activity("a-bogus", "whois 20.50.10.10")),
    });
    expect(response.status).toBe(401);
  });

  it("refuses a guest of the tenant (the connector's member record says guest)", async () => {
    connector.guests.add("29:guest");
    const before = connector.calls.length;
    await post(
      activity("a-guest", "whois 20.50.10.10", { from: { id: "29:guest", name: "Guest", aadObjectId: "obj-guest" } }),
    );
    await connector.waitFor((calls) =>
      calls
        .slice(before)
        .some(
          (call) =>
            String(call.body.text).includes("members of this organisation only") &&
            String(call.body.text).includes("(teams.allowGuests)"),
        ),
    );
    expect(connector.calls.slice(before).some((call) => JSON.stringify(call.body).includes("egress whois"))).toBe(
      false,
    );
  });

  it("refuses users of other tenants", async () => {
    const before = connector.calls.length;
    await post(
      activity("a-other", "whois 20.50.10.10", {
        conversation: { id: thread, conversationType: "channel", tenantId: "tenant-evil" },
        channelData: { tenant: { id: "tenant-evil" } },
      }),
    );
    await connector.waitFor((calls) =>
      calls.slice(before).some((call) => String(call.body.text).includes("members of this organisation only")),
    );
  });
});

describe("Teams in production", () => {
  it("refuses anonymous mode: Teams stays off and /api/messages is not served", async () => {
    const settings = readTeamsSettings({ NODE_ENV: "production" }, { tenants: [], allowGuests: [] });
    expect(settings).toEqual({
      enabled: false,
      reason:
        "no Agents SDK settings (clientId, tenantId, clientSecret); anonymous local mode is refused under NODE_ENV=production",
    });
    const service = await createService({ azure: { world: "demo" } });
    const offStore = await openStateStore(":memory:");
    const off = testBotServer(
      { service, handler: testChatHandler(service, offStore), store: offStore },
      { teams: settings },
    );
    const port = await off.listen(0, "127.0.0.1");
    expect(off.platforms.teams).toMatch(/^off: no Agents SDK settings/);
    expect(
      (
        await fetch(`http://127.0.0.1:${port}/api/messages`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        })
      ).status,
    ).toBe(404);
    await off.close(100);
    await offStore.close();
  });
});
