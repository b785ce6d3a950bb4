// Two replicas of the real server on one PostgreSQL, with the durable run queue as production runs
// them: what one stores, the other sees. A Slack retry landing on the other replica is not run twice,
// a button posted by one runs on the other, rate limits count across both, a Teams command accepted by
// one is answered (by whichever takes it), and a bundle link one signs (with the store's shared key)
// opens on the other.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createService, silentLogger, type StateStore } from "../../src/index.js";
import type { BotServer } from "../../adapters/server/create-server.js";
import { readTeamsSettings } from "../../adapters/teams/teams-settings.js";
import { openPgBossRunQueue } from "../../src/store/pg-boss-run-queue.js";
import { openPostgresStateStore } from "../../src/store/postgres-state-store.js";
import { slackOn, testBotServer, testChatHandler } from "../support/bot-under-test.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { FakeTeamsConnector } from "../support/fake-teams-connector.js";
import { freshSchema, postgresForTests } from "../support/postgres-under-test.js";
import { clickButton, firstNextButton } from "../support/slack-buttons.js";
import { postSlashCommand } from "../support/slack-request.js";
import { demoWorldWithFault } from "../support/demo-world-with-fault.js";
import { finalAnswers } from "../support/replica-fleet.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const postgresUp = await postgresForTests("the replica tests are");

const secret = "replica-secret";
const thread = "19:incident@thread.tacv2;messageid=1759881511856";
let slack: FakeSlackApi;
let connector: FakeTeamsConnector;
let schema: Awaited<ReturnType<typeof freshSchema>>;
const replicas: { server: BotServer; store: StateStore; base: string }[] = [];
let key = 0;

async function startReplica(
  name: string,
  world = "demo",
): Promise<{ server: BotServer; store: StateStore; base: string }> {
  const store = await openPostgresStateStore({ connectionString: schema.connectionString, maxConnections: 4 });
  const queue = await openPgBossRunQueue({
    connectionString: schema.connectionString,
    schema: `${schema.name}_jobs`,
    log: silentLogger,
  });
  const service = await createService({ azure: { world }, store });
  const handler = testChatHandler(service, store, {
    newKey: () => `${name}-${++key}`,
    rateLimits: { perUser: { count: 3, perInMs: 60_000 }, perChannel: { count: 100, perInMs: 60_000 } },
  });
  const server = testBotServer(
    { service, handler, store },
    {
      slack: slackOn(slack.apiUrl, { signingSecret: secret }),
      teams: readTeamsSettings(
        { NODE_ENV: "test", EGRESS_PUBLIC_URL: "https://egress.example.com" },
        { tenants: ["tenant-1"], allowGuests: [] },
      ),
      teamsRetry: { retries: 2, minTimeout: 10, maxTimeout: 50 },
      queue,
      // No EGRESS_LINK_KEY: the replicas sign with the key the store shares.
    },
  );
  const replica = { server, store, base: `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}` };
  replicas.push(replica);
  return replica;
}

(postgresUp ? describe : describe.skip)("two replicas on one PostgreSQL (skipped only where none answers)", () => {
  let a: Awaited<ReturnType<typeof startReplica>>;
  let b: Awaited<ReturnType<typeof startReplica>>;
  beforeAll(async () => {
    slack = new FakeSlackApi();
    await slack.start();
    connector = new FakeTeamsConnector();
    await connector.start();
    schema = await freshSchema();
    a = await startReplica("a");
    b = await startReplica("b");
  }, 60_000);
  afterAll(async () => {
    for (const replica of replicas) {
      await replica.server.close(2000);
      await replica.store.close();
    }
    await slack.stop();
    await connector.stop();
    await schema.query(`drop schema if exists ${schema.name}_jobs cascade`);
    await schema.drop();
  });

  const summaries = (channel: string) =>
    slack
      .callsOf("chat.postMessage")
      .filter((call) => call.body.channel === channel && JSON.stringify(call.body.blocks ?? "").includes("Proof set"));

  it("a Slack retry landing on the other replica is not run twice", async () => {
    const command = {
      text: "show cluster aks-claims-prod",
      channel_id: "CRETRY",
      trigger_id: "t-replica-retry",
      response_url: slack.responseUrl("replica-retry"),
    };
    await postSlashCommand(a.base, secret, command);
    await postSlashCommand(b.base, secret, command, {
      "x-slack-retry-num": "1",
      "x-slack-retry-reason": "http_timeout",
    });
    await slack.waitFor(() => summaries("CRETRY").length >= 1, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(summaries("CRETRY")).toHaveLength(1);
  });

  it("a button posted by one replica runs on the other, in its thread", async () => {
    const button = firstNextButton(slack, "CRETRY");
    const before = slack.callsOf("chat.postMessage").length;
    const clicked = await clickButton(b.base, secret, button, "t-replica-click");
    expect(clicked.status).toBe(200);
    await slack.waitFor(() => slack.callsOf("chat.postMessage").length > before, 60_000);
    expect(slack.callsOf("chat.postMessage")[before]?.body.thread_ts).toBe(button.rootTs);
  });

  it("rate limits count the commands of both replicas", async () => {
    const send = (replica: typeof a, index: number) =>
      postSlashCommand(replica.base, secret, {
        text: "whois 20.50.10.10",
        user_id: "URATE",
        channel_id: "CRATE",
        trigger_id: `t-rate-${index}`,
        response_url: slack.responseUrl(`rate-${index}`),
      });
    for (const [index, replica] of [a, b, a, b].entries()) await send(replica, index);
    await slack.waitFor(
      (calls) => calls.some((call) => JSON.stringify(call.body).includes("run many commands in a short time")),
      60_000,
    );
    const refusals = slack.calls.filter((call) =>
      JSON.stringify(call.body).includes("run many commands in a short time"),
    );
    expect(refusals).toHaveLength(1);
  });

  it("a bundle link one replica signs opens on the other; the same activity resent to the other replica is answered once", async () => {
    const before = connector.calls.length;
    const send = (replica: typeof a) =>
      fetch(`${replica.base}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          type: "message",
          id: "replica-link",
          serviceUrl: connector.serviceUrl,
          channelId: "msteams",
          from: { id: "29:alice", name: "Alice Ops", aadObjectId: "obj-alice" },
          recipient: { id: "28:egress", name: "Egress" },
          conversation: { id: thread, conversationType: "channel", isGroup: true, tenantId: "tenant-1" },
          text: "<at>Egress</at> whois 20.50.10.10",
          entities: [{ type: "mention", text: "<at>Egress</at>", mentioned: { id: "28:egress", name: "Egress" } }],
          channelData: { tenant: { id: "tenant-1" } },
        }),
      });
    expect((await send(a)).status).toBe(200);
    // Teams resends an activity it thinks was lost: here to the other replica.
    expect((await send(b)).status).toBe(200);
    await connector.waitFor(
      (calls) => calls.slice(before).some((call) => /egress\.example\.com\/bundles\//.test(JSON.stringify(call.body))),
      60_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const answers = connector.calls
      .slice(before)
      .filter((call) => /egress\.example\.com\/bundles\//.test(JSON.stringify(call.body)));
    expect(answers).toHaveLength(1);
    const link = /https:\/\/egress\.example\.com(\/bundles\/[^"\\)\s]+)/.exec(
      JSON.stringify(connector.calls.slice(before).map((call) => call.body)),
    )?.[1];
    expect(link).toBeDefined();
    const opened = await fetch(`${b.base}${(link ?? "").replace(/\\u0026/g, "&")}`);
    expect(opened.status).toBe(200);
    expect(await opened.json()).toMatchObject({ schema: "egress.evidence/v1", runbook: { name: "whois" } });
    // A tampered signature is refused on either replica.
    expect((await fetch(`${b.base}${(link ?? "").replace(/signature=[^&]+/, "signature=forged")}`)).status).toBe(403);
  });

  it("a replica shutting down hands its unfinished run back: the other answers it once, in its thread, resumed", async () => {
    // Only the stopping replica works the queue when the command arrives: the others are closed.
    for (const replica of replicas.splice(0)) {
      await replica.server.close(0);
      await replica.store.close();
    }
    const folder = mkdtempSync(join(tmpdir(), "egress-handback-"));
    // Its route table never answers: the run is in hand when the replica stops.
    const stopping = await startReplica(
      "c",
      demoWorldWithFault('{ match: "routeTables/rt-plant-egress$", latencyMs: 600000 }', folder),
    );
    const response = await postSlashCommand(stopping.base, secret, {
      text: "show cluster aks-plant-prod",
      channel_id: "CHANDBACK",
      user_id: "UHAND",
      trigger_id: "t-handback",
      response_url: slack.responseUrl("handback"),
    });
    expect(response.status).toBe(200);
    const progressOf = (call: { body: Record<string, unknown> }) =>
      call.body.channel === "CHANDBACK" && JSON.stringify(call.body).includes("running");
    await slack.waitFor(
      (calls) => calls.some((call) => call.method === "chat.postMessage" && progressOf(call)),
      60_000,
    );
    const taking = await startReplica("d");
    await stopping.server.close(200);
    await slack.waitFor(() => finalAnswers(slack, "CHANDBACK").length >= 1, 90_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(finalAnswers(slack, "CHANDBACK")).toHaveLength(1);
    const posted = slack.callsOf("chat.postMessage").filter((call) => call.body.channel === "CHANDBACK");
    // One root, one progress message (posted by the stopping replica, finished by the other), one answer.
    expect(posted.filter((call) => call.body.thread_ts === undefined)).toHaveLength(1);
    expect(posted.filter(progressOf)).toHaveLength(1);
    expect(
      slack
        .callsOf("chat.update")
        .some((call) => call.body.channel === "CHANDBACK" && JSON.stringify(call.body).includes("(resumed)")),
    ).toBe(true);
    expect(taking.server.tracker.size).toBe(0);
  }, 180_000);
});
