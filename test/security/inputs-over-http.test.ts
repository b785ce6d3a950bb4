import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtinRunbooksFolder, createService, openStateStore, type StateStore } from "../../src/index.js";
import type { BotServer } from "../../adapters/server/create-server.js";
import { slackOn, testBotServer, testChatHandler } from "../support/bot-under-test.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { postSlashCommand } from "../support/slack-request.js";
import { recordingTransport, writeCarelessRunbooks } from "../support/careless-runbooks.js";

// What a user types, over real HTTP on loopback, into every input that could reach an ARM URL or
// an expression: cluster references, --dest, runbook inputs (through a careless runbook that reads
// whatever ID it is given) and a runbook whose expression would loop for minutes.
const secret = "inputs-signing-secret";
const subscription = "7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b";
const vnet = `/subscriptions/${subscription}/resourceGroups/rg-claims-network/providers/Microsoft.Network/virtualNetworks/vnet-claims-weu`;
let folder: string;
let slackApi: FakeSlackApi;
let server: BotServer;
let store: StateStore;
let base: string;
const sentToAzure: string[] = [];

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "egress-inputs-"));
  writeCarelessRunbooks(folder);
  slackApi = new FakeSlackApi();
  await slackApi.start();
  store = await openStateStore(":memory:");
  const service = await createService({
    azure: { world: "demo", wrapHttpClient: recordingTransport(sentToAzure) },
    runbookPaths: [builtinRunbooksFolder(), folder],
    store,
  });
  server = testBotServer(
    { service, handler: testChatHandler(service, store), store },
    { slack: slackOn(slackApi.apiUrl, { signingSecret: secret }), slackRetryConfig: { retries: 0 } },
  );
  base = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}`;
});

afterAll(async () => {
  await server.close(1000);
  await slackApi.stop();
  await store.close();
  rmSync(folder, { recursive: true, force: true });
});

/** Sends a slash command and waits for the bot's last word on it: a private reply, a failure or a summary. */
async function command(text: string): Promise<string> {
  const before = slackApi.calls.length;
  const responseUrl = slackApi.responseUrl(`r-${Math.random()}`);
  const response = await postSlashCommand(base, secret, {
    text,
    trigger_id: `t-${Math.random()}`,
    response_url: responseUrl,
  });
  expect(response.status).toBe(200);
  const finished = (calls: readonly { method: string; body: Record<string, unknown> }[]) =>
    calls
      .slice(before)
      .some(
        (call) =>
          call.method === "response_url" ||
          call.method === "files.completeUploadExternal" ||
          (typeof call.body.text === "string" ? call.body.text : "").startsWith("❌"),
      );
  await slackApi.waitFor(finished);
  return JSON.stringify(slackApi.calls.slice(before).map((call) => call.body));
}

const hostileIds = [
  `${vnet}/../../../providers/Microsoft.KeyVault/vaults/kv-prod`,
  `${vnet}/subnets/%2e%2e%2f%2e%2e`,
  `${vnet}?api-version=2015-01-01`,
  `/subscriptions/${subscription}/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/x`,
  `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v`,
];

describe("user input over HTTP never leaves the read scope", () => {
  it.each(hostileIds)("run read-anything id=%s is refused in the thread, and nothing reaches Azure", async (id) => {
    const before = sentToAzure.length;
    const said = await command(`run read-anything id=${id}`);
    expect(said).toMatch(/an ARM resource ID|does not read|cannot read/);
    expect(sentToAzure.slice(before)).toEqual([]);
  });

  it.each([
    "show cluster ../../providers/Microsoft.KeyVault/vaults/kv",
    "show cluster /subscriptions/x/../../providers/Microsoft.KeyVault/vaults/kv",
    "show cluster aks%2f..%2fkv",
    "triage aks-plant-prod --dest https://kv.vault.azure.net/../x",
    "denies aks-plant-prod --dest ../../etc",
  ])("%s is refused as input before anything is read", async (text) => {
    const before = sentToAzure.length;
    const said = await command(text);
    expect(said).toMatch(/not a cluster reference|cluster|dest|usage|Usage|not a/i);
    expect(sentToAzure.slice(before).filter((url) => /keyvault|vault\.azure|\.\.|%2e|%2f/i.test(url))).toEqual([]);
  });

  it("a runbook whose expression would loop for minutes fails its step within the bound, and says why", async () => {
    const started = Date.now();
    const said = await command("run loop-forever");
    expect(said).toMatch(/cost limit of 100000 steps|time limit of 100 ms/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
