import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import type { ConsoleCatalog, ConsoleEvent, FleetPageData } from "../../adapters/console/web/console-protocol.js";
import { verifyDigest } from "../../src/core/evidence/digest.js";
import { cardProblems } from "../support/adaptive-card-validator.js";
import { ConsoleEventLog } from "../support/console-events.js";
import { startConsole, type ConsoleUnderTest } from "../support/console-under-test.js";

let bot: ConsoleUnderTest;
let sessions = 0;
const newSession = (): string => `session-${++sessions}-test`;

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${bot.base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

async function command(
  log: ConsoleEventLog,
  text: string,
  place: { world?: string; runbookFile?: string | null } = {},
): Promise<string> {
  const response = await post("/console/api/commands", {
    session: log.session,
    text,
    world: place.world ?? "demo",
    runbookFile: place.runbookFile ?? null,
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { replyId: string }).replyId;
}

const finished = (replyId: string) => (events: readonly ConsoleEvent[]) =>
  events.some(
    (event) => "replyId" in event && event.replyId === replyId && ["result", "failure", "private"].includes(event.type),
  );
const resultOf = (log: ConsoleEventLog, replyId: string) =>
  log.of(replyId).find((event): event is Extract<ConsoleEvent, { type: "result" }> => event.type === "result");

/** A new session's event stream, open. */
async function openSession(): Promise<ConsoleEventLog> {
  const log = new ConsoleEventLog(bot.base, newSession());
  await log.open();
  return log;
}

/** Runs a command in the session and waits until its reply has ended. */
async function commandToEnd(
  log: ConsoleEventLog,
  text: string,
  place: { world?: string; runbookFile?: string | null } = {},
): Promise<string> {
  const replyId = await command(log, text, place);
  await log.waitFor(finished(replyId));
  return replyId;
}

beforeAll(async () => {
  bot = await startConsole();
});

afterAll(async () => {
  await bot.close();
});

describe("console page and assets", () => {
  it("serves the page at / with a strict content security policy, and every asset it names from this server", async () => {
    const page = await fetch(`${bot.base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)]
      .map((match) => match[1] ?? "")
      .filter((url) => !url.startsWith("#") && !url.startsWith("data:"));
    expect(assets).toEqual(
      expect.arrayContaining([
        "/console/vendor/adaptivecards.js",
        "/console/vendor/markdown-it.js",
        "/console/assets/console-page.js",
        "/console/assets/console.css",
      ]),
    );
    for (const asset of assets) {
      expect(asset.startsWith("/")).toBe(true);
      expect((await fetch(`${bot.base}${asset}`)).status).toBe(200);
    }
  });

  it("serves the Fleet page under the same policy, its table as JSON and CSV, and refuses unknown worlds", async () => {
    const page = await fetch(`${bot.base}/fleet`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await page.text()).toContain('src="/console/assets/fleet-page.js"');
    expect((await fetch(`${bot.base}/console/assets/fleet-page.js`)).status).toBe(200);
    const fleet = (await (await fetch(`${bot.base}/console/api/fleet?world=demo`)).json()) as FleetPageData;
    expect(fleet.simulated).toBe(true);
    expect(fleet.summary).toMatch(/^4 cluster\(s\), 7 node pool\(s\) in 1 subscription\(s\)/);
    expect(fleet.table.headers).toEqual([
      "CLUSTER",
      "SUBSCRIPTION",
      "LOCATION",
      "OUTBOUND TYPE",
      "POOL",
      "EGRESS",
      "SOURCES",
    ]);
    expect(fleet.table.rows).toHaveLength(7);
    expect(fleet.table.rows).toContainEqual([
      "rg-claims-prod/aks-claims-prod",
      "7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b",
      "westeurope",
      "userAssignedNATGateway",
      "claims",
      "natGateway",
      "20.31.18.40/30",
    ]);
    const csv = await fetch(`${bot.base}/console/api/fleet.csv?world=demo`);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toBe('attachment; filename="egress-fleet.csv"');
    const lines = (await csv.text()).trimEnd().split("\n");
    expect(lines[0]).toMatch(/^subscription_id,resource_group,cluster,/);
    expect(lines).toHaveLength(8);
    const unknown = await fetch(`${bot.base}/console/api/fleet?world=nope.yaml`);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toContain('unknown world "nope.yaml"');
  });

  it("lists the worlds, runbook files, chat commands and installed runbooks for the pickers and completion", async () => {
    const catalog = (await (await fetch(`${bot.base}/console/api/catalog`)).json()) as ConsoleCatalog;
    expect(catalog.worlds).toEqual([
      { id: "demo", label: "demo (built-in)", simulated: true },
      { id: "file:udr.yaml", label: "udr.yaml", simulated: true },
    ]);
    expect(catalog.defaultWorld).toBe("demo");
    expect(catalog.runbookFiles).toEqual(["cluster-route-check.yaml", "cluster-summary.yaml"]);
    expect(catalog.commands.map((entry) => entry.words)).toEqual([
      "help",
      "show cluster",
      "triage",
      "source-ips",
      "denies",
      "whois",
      "fleet",
      "partners",
      "partners show",
      "drift",
      "drift history",
      "whatif",
      "runbooks",
      "run",
    ]);
    expect(catalog.commands.find((entry) => entry.words === "triage")?.usage).toMatch(/^triage <cluster> \[--dest/);
    expect(catalog.runbooks.map((entry) => entry.name)).toEqual(
      expect.arrayContaining(["triage", "show-cluster", "whois"]),
    );
  });
});

describe("runs through the shared chat flow, streamed as server-sent events", () => {
  it("streams progress and then the result: the Teams card and the Slack messages the adapters would send", async () => {
    const log = await openSession();
    const replyId = await commandToEnd(log, "triage aks-plant-prod");
    const events = log.of(replyId);
    expect(events[0]).toMatchObject({ type: "command", text: "triage aks-plant-prod", via: "typed", world: "demo" });
    const progress = events.filter((event) => event.type === "progress");
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(progress.at(-1))).toContain("succeeded");
    const result = resultOf(log, replyId);
    expect(result?.simulated).toBe(true);
    expect(JSON.stringify(result?.cards)).toContain("REQUIRED_ENDPOINT_DENIED");
    expect(JSON.stringify(result?.slack)).toContain("REQUIRED_ENDPOINT_DENIED");
    for (const card of result?.cards ?? []) expect(cardProblems(card)).toEqual([]);
    for (const event of progress) if (event.type === "progress") expect(cardProblems(event.card)).toEqual([]);
    expect(JSON.stringify(result?.cards)).toContain(`${bot.base}/console/api/bundles/${result?.runId}.json`);
    // The path picture, shown inline under the result.
    expect(result?.picture).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(result?.picture).toContain('data-pool="system"');
    await log.close();
  });

  it("offers the bundle as JSON whose digest verifies, and as Markdown", async () => {
    const log = await openSession();
    const replyId = await commandToEnd(log, "show cluster aks-plant-prod");
    const result = resultOf(log, replyId);
    const json = await fetch(`${bot.base}${result?.downloads.json ?? ""}`);
    expect(json.headers.get("content-disposition")).toMatch(/attachment; filename="egress-show-cluster-.+\.json"/);
    const bundle = (await json.json()) as { digest: string };
    expect(bundle.digest).toBe(result?.digest);
    expect(verifyDigest(bundle as never)).toBe(true);
    const markdown = await fetch(`${bot.base}${result?.downloads.markdown ?? ""}`);
    expect(markdown.headers.get("content-type")).toContain("text/markdown");
    expect(await markdown.text()).toContain("show-cluster");
    expect((await fetch(`${bot.base}/console/api/bundles/unknown-run.json`)).status).toBe(404);
    await log.close();
  });

  it("runs a next button's command as a follow-up in the same session and world; unknown keys get a private answer", async () => {
    const log = await openSession();
    const replyId = await commandToEnd(log, "triage aks-plant-prod");
    const card = JSON.stringify(resultOf(log, replyId)?.cards);
    const key = /"egressKey":"([^"]+)"/.exec(card)?.[1] ?? "";
    expect(key).not.toBe("");
    const clicked = await post("/console/api/buttons", { session: log.session, key, world: "demo", runbookFile: null });
    expect(clicked.status).toBe(202);
    const followUp = ((await clicked.json()) as { replyId: string }).replyId;
    await log.waitFor(finished(followUp));
    expect(log.of(followUp)[0]).toMatchObject({ type: "command", via: "button", world: "demo" });
    expect(resultOf(log, followUp)).toBeDefined();

    const unknown = await post("/console/api/buttons", {
      session: log.session,
      key: "no-such-key",
      world: "demo",
      runbookFile: null,
    });
    const refusal = ((await unknown.json()) as { replyId: string }).replyId;
    await log.waitFor(finished(refusal));
    expect(log.of(refusal)).toEqual([
      {
        type: "private",
        replyId: refusal,
        text: expect.stringContaining("not known to this bot") as unknown,
        id: expect.any(Number) as unknown,
      },
    ]);
    await log.close();
  });

  it("answers help and usage mistakes privately, and an unknown cluster with a failed run in the thread", async () => {
    const log = await openSession();
    const help = await command(log, "help");
    const usage = await command(log, "triage");
    const missing = await command(log, "show cluster aks-nowhere");
    await log.waitFor((events) => [help, usage, missing].every((replyId) => finished(replyId)(events)));
    expect(JSON.stringify(log.of(help))).toContain("show cluster");
    expect(JSON.stringify(log.of(usage))).toContain("\\nusage: triage <cluster>");
    expect(JSON.stringify(log.of(usage))).not.toMatch(/Usage: usage/i);
    const failed = resultOf(log, missing);
    expect(JSON.stringify(failed?.cards)).toContain("show-cluster: failed");
    expect(JSON.stringify(failed?.cards)).toContain("What went wrong");
    expect(JSON.stringify(failed?.cards)).toMatch(/aks-nowhere/);
    expect(JSON.stringify(failed?.slack)).toMatch(
      /What went wrong\* \(run failed\)\\n❌ \*egress\*: No cluster matches .*aks-nowhere/,
    );
    await log.close();
  });

  it("runs in another world from the worlds folder, and refuses worlds and runbook files it does not offer", async () => {
    const log = await openSession();
    const replyId = await commandToEnd(log, "show cluster aks-example", { world: "file:udr.yaml" });
    expect(JSON.stringify(resultOf(log, replyId)?.cards)).toContain("show-cluster for aks-example: ");
    for (const world of ["file:../../etc/passwd", "live", "file:missing.yaml"]) {
      const refused = await post("/console/api/commands", {
        session: log.session,
        text: "help",
        world,
        runbookFile: null,
      });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: string }).error).toContain(`unknown world "${world}"`);
    }
    const badFile = await post("/console/api/commands", {
      session: log.session,
      text: "help",
      world: "demo",
      runbookFile: "../triage.yaml",
    });
    expect(badFile.status).toBe(400);
    await log.close();
  });

  it("replays a session's thread to a reconnecting page from its Last-Event-ID", async () => {
    const first = new ConsoleEventLog(bot.base, newSession());
    await first.open();
    const replyId = await command(first, "whois 51.124.77.10");
    await first.waitFor(finished(replyId));
    await first.close();
    const again = new ConsoleEventLog(bot.base, first.session);
    await again.open();
    await again.waitFor((events) => events.length === first.events.length);
    expect(again.events.map((event) => event.id)).toEqual(first.events.map((event) => event.id));
    const resumed = new ConsoleEventLog(bot.base, first.session);
    await resumed.open(first.events[1]?.id ?? 0);
    await resumed.waitFor((events) => events.length === first.events.length - 2);
    expect(resumed.events[0]?.id).toBe(first.events[2]?.id);
    await Promise.all([again.close(), resumed.close()]);
  });
});

describe("runbook files from disk, reloaded on save", () => {
  it("reports load errors with line and column, reloads when the file is fixed, and runs the new text", async () => {
    const log = await openSession();
    const file = join(bot.runbookFolder, "cluster-summary.yaml");
    const good = readFileSync(file, "utf8");
    const picked = await post("/console/api/runbook-file", { session: log.session, file: "cluster-summary.yaml" });
    expect(picked.status).toBe(200);
    expect(await picked.json()).toMatchObject({
      file: "cluster-summary.yaml",
      name: "cluster-summary",
      inputs: ["cluster"],
      issues: [],
    });

    writeFileSync(file, good.replace("uses: azure.cluster.get", "uses: azure.cluster.gett"));
    await log.waitFor((events) => events.some((event) => event.type === "runbook" && event.issues.length > 0));
    const broken = log.events.find((event) => event.type === "runbook" && event.issues.length > 0) as Extract<
      ConsoleEvent,
      { type: "runbook" }
    >;
    expect(broken.issues[0]).toMatchObject({
      line: 17,
      column: expect.any(Number) as unknown,
      message: expect.stringContaining("azure.cluster.gett") as unknown,
    });

    writeFileSync(
      file,
      good
        .replace("title: Cluster summary (example)", "title: Cluster summary (edited)")
        .replace("label: Show the cluster's egress", "label: Show the egress (edited)"),
    );
    const latestRunbookState = (events: readonly ConsoleEvent[]) =>
      events.filter((event) => event.type === "runbook").at(-1);
    await log.waitFor(
      (events) =>
        latestRunbookState(events)?.issues.length === 0 &&
        events.filter((event) => event.type === "runbook").length >= 3,
    );
    const replyId = await commandToEnd(log, "run cluster-summary cluster=aks-plant-prod", {
      runbookFile: "cluster-summary.yaml",
    });
    expect(JSON.stringify(resultOf(log, replyId)?.cards)).toContain("Show the egress (edited)");
    writeFileSync(file, good);
    await log.close();
  });

  it("refuses a file outside the runbook folder", async () => {
    const response = await post("/console/api/runbook-file", { session: newSession(), file: "../worlds/udr.yaml" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain("no runbook file");
  });
});

describe("bad input and strangers", () => {
  it("names every problem of a malformed request body and runs nothing", async () => {
    const response = await post("/console/api/commands", { session: "x", text: 42, world: "demo" });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: string };
    expect(error).toContain("session:");
    expect(error).toContain("text:");
    expect(error).toContain("runbookFile:");
    expect(
      (
        await post("/console/api/commands", {
          session: newSession(),
          text: "x".repeat(4001),
          world: "demo",
          runbookFile: null,
        })
      ).status,
    ).toBe(400);
  });

  it("refuses requests that are not JSON from the console's own origin (another site's form or script)", async () => {
    const form = await fetch(`${bot.base}/console/api/commands`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "text=help",
    });
    expect(form.status).toBe(403);
    const foreign = await post(
      "/console/api/commands",
      { session: newSession(), text: "help", world: "demo", runbookFile: null },
      { origin: "https://evil.example" },
    );
    expect(foreign.status).toBe(403);
  });

  it("refuses a page served under another host name (DNS rebinding), even from loopback", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(bot.base);
      request({ host: "127.0.0.1", port: url.port, path: "/", headers: { host: "attacker.example" } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
        .on("error", reject)
        .end();
    });
    expect(status).toBe(403);
  });
});
