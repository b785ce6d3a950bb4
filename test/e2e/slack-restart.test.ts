import { describe, expect, it } from "@jest/globals";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createService, openStateStore } from "../../src/index.js";
import { slackOn, testBotServer, testChatHandler } from "../support/bot-under-test.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { clickButton, firstNextButton } from "../support/slack-buttons.js";
import { postSlashCommand } from "../support/slack-request.js";

const secret = "restart-secret";

async function startBot(directory: string, fake: FakeSlackApi) {
  const store = await openStateStore(directory);
  const service = await createService({ azure: { world: "demo" }, store });
  // Keys must not repeat across the two processes' lifetimes, as random keys wouldn't.
  let key = 0;
  const handler = testChatHandler(service, store, { newKey: () => `${directory.length}-${Date.now()}-${++key}` });
  const server = testBotServer({ service, handler, store }, { slack: slackOn(fake.apiUrl, { signingSecret: secret }) });
  const base = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}`;
  return {
    base,
    stop: async () => {
      await server.close(1000);
      await store.close();
    },
  };
}

describe("state across a restart (embedded SQLite store in a directory)", () => {
  it("a button posted before the restart still runs in its thread after it, and the audit keeps both commands", async () => {
    const directory = mkdtempSync(join(tmpdir(), "egress-restart-"));
    const fake = new FakeSlackApi();
    await fake.start();
    const first = await startBot(directory, fake);
    await postSlashCommand(first.base, secret, {
      text: "show cluster aks-claims-prod",
      trigger_id: "r-1",
      response_url: fake.responseUrl("r-1"),
    });
    await fake.waitFor(() => fake.callsOf("files.completeUploadExternal").length === 1);
    await first.stop();

    const button = firstNextButton(fake);

    const second = await startBot(directory, fake);
    const before = fake.callsOf("chat.postMessage").length;
    await clickButton(second.base, secret, button, "r-click");
    await fake.waitFor(() => fake.callsOf("files.completeUploadExternal").length === 2);
    const after = fake.callsOf("chat.postMessage").slice(before);
    expect(after.length).toBeGreaterThanOrEqual(2);
    expect(after.every((call) => call.body.thread_ts === button.rootTs)).toBe(true);
    await second.stop();

    const store = await openStateStore(directory);
    expect((await store.listAudit(0)).map((record) => record.platform)).toEqual(["slack", "slack"]);
    await store.close();
    await fake.stop();
  });

  it("a run a crash left unfinished: after the restart its thread is told and the audit says interrupted", async () => {
    const directory = mkdtempSync(join(tmpdir(), "egress-crash-"));
    // What a kill -9 in the middle of a run leaves behind: the run noted as started, never finished.
    const crashed = await openStateStore(directory);
    await crashed.startRun({
      key: "k-crashed",
      platform: "slack",
      user: "U1",
      channel: "C1",
      thread: "1764669600.000100",
      command: "triage aks-plant-prod --since 1h",
      runbook: "triage",
      startedAt: "2026-11-24T10:00:00.000Z",
    });
    await crashed.close();

    const fake = new FakeSlackApi();
    await fake.start();
    const bot = await startBot(directory, fake);
    await fake.waitFor(() =>
      fake
        .callsOf("chat.postMessage")
        .some((call) =>
          String(call.body.text).includes("restarted before it finished `egress triage aks-plant-prod --since 1h`"),
        ),
    );
    const told = fake.callsOf("chat.postMessage").find((call) => String(call.body.text).includes("restarted"));
    expect(told?.body).toMatchObject({ channel: "C1", thread_ts: "1764669600.000100" });
    await bot.stop();

    const store = await openStateStore(directory);
    expect(await store.unfinishedRuns()).toEqual([]);
    expect(await store.listAudit(0)).toEqual([
      expect.objectContaining({
        outcome: "interrupted",
        command: "triage aks-plant-prod --since 1h",
        thread: "1764669600.000100",
      }),
    ]);
    await store.close();
    await fake.stop();
  });

  it("a run that ends is not left behind", async () => {
    const directory = mkdtempSync(join(tmpdir(), "egress-ended-"));
    const fake = new FakeSlackApi();
    await fake.start();
    const bot = await startBot(directory, fake);
    await postSlashCommand(bot.base, secret, {
      text: "whois 20.31.18.41",
      trigger_id: "e-1",
      response_url: fake.responseUrl("e-1"),
    });
    await fake.waitFor(() => fake.callsOf("files.completeUploadExternal").length === 1);
    await bot.stop();
    const store = await openStateStore(directory);
    expect(await store.unfinishedRuns()).toEqual([]);
    await store.close();
    await fake.stop();
  });
});
