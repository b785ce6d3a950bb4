// Benchmarks of the web console: command to summary over server-sent events, and in Chromium the
// page's start-up and the time from pressing Enter to the summary card being drawn. Azure is the
// demo world with 100 ms added to every ARM request, as for the chat server.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { WorldChoices } from "../adapters/console/world-choices.js";
import { workspaceCache } from "../adapters/console/workspace-cache.js";
import { createBotServer } from "../adapters/server/create-server.js";
import { createMetrics } from "../adapters/server/metrics.js";
import { createService } from "../src/app/create-service.js";
import { openStateStore } from "../src/app/open-state-store.js";
import { findPackageRoot } from "../src/app/package-root.js";
import { silentLogger } from "../src/core/ports/logger.js";
import { chromiumPath, launchChromium } from "../test/support/chromium.js";
import { benchHandler, slowDemoWorld } from "./bench-bot.js";

type Row = [string, string, string, boolean];

async function startConsole() {
  const world = slowDemoWorld();
  const store = await openStateStore(":memory:");
  const service = createService({ azure: { world, cacheTtlInMs: 0 }, store });
  const handler = benchHandler(service, store, "c");
  const server = createBotServer({
    service,
    handler,
    store,
    metrics: createMetrics(),
    log: silentLogger,
    slack: { enabled: false, reason: "not benchmarked" },
    teams: { enabled: false, reason: "not benchmarked" },
    readiness: () => Promise.resolve({ ready: true, reasons: [] }),
    console: {
      allowRemote: false,
      worlds: new WorldChoices(world, null),
      runbookFolder: null,
      assetsFolder: join(findPackageRoot(), "dist", "console-web"),
      openWorkspace: workspaceCache({
        serverWorld: world,
        serverWorkspace: { service, handler },
        createService: () => Promise.reject(new Error("one world only")),
        createHandler: () => handler,
      }),
    },
  });
  const port = await server.listen(0, "127.0.0.1");
  return { base: `http://localhost:${port}`, server, store, service };
}

/** Posts a command and resolves when its result event arrives on the session's stream. */
async function commandToResult(base: string, session: string, text: string): Promise<number> {
  const controller = new AbortController();
  const events = await fetch(`${base}/console/api/events?session=${session}`, { signal: controller.signal });
  if (!events.body) throw new Error("the event stream has no body");
  const reader = events.body.pipeThrough(new TextDecoderStream()).getReader();
  const started = performance.now();
  const posted = await fetch(`${base}/console/api/commands`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ session, text, world: "server", runbookFile: null }),
  });
  if (posted.status !== 202) throw new Error(`console answered ${posted.status}`);
  for (let buffer = ""; !buffer.includes('"type":"result"');) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the event stream ended before the result");
    buffer += value;
  }
  const elapsed = performance.now() - started;
  controller.abort();
  return elapsed;
}

/** Runs the console benchmarks and returns table rows. */
export async function consoleBenchmarks(): Promise<Row[]> {
  const rows: Row[] = [];
  const bot = await startConsole();
  const runbook = bot.service.runbooks.find((candidate) => candidate.name === "show-cluster");
  if (!runbook) throw new Error("show-cluster is not installed");
  await commandToResult(bot.base, "bench-warm-up", "triage aks-plant-prod"); // loads the simulator's Kusto service

  const direct: number[] = [];
  const viaConsole: number[] = [];
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    await bot.service.runRunbook(
      runbook,
      { cluster: "aks-plant-prod" },
      { requestedBy: { platform: "cli", user: null, channel: null, thread: null } },
    );
    direct.push(performance.now() - started);
    viaConsole.push(await commandToResult(bot.base, `bench-round-${round}`, "show cluster aks-plant-prod"));
  }
  const overhead = Math.min(...viaConsole) - Math.min(...direct);
  rows.push([
    "console: show cluster aks-plant-prod, POST to the result event, minus the run itself",
    `${overhead.toFixed(0)} ms (${Math.min(...viaConsole).toFixed(0)} vs ${Math.min(...direct).toFixed(0)} ms)`,
    "≤ 300 ms",
    overhead <= 300,
  ]);

  if (!existsSync(chromiumPath)) {
    rows.push(["console in Chromium", `not measured: no Chromium at ${chromiumPath}`, "n/a", true]);
  } else {
    const browser = await launchChromium();
    const loads: number[] = [];
    const drawn: number[] = [];
    for (let round = 0; round < 3; round++) {
      const page = await browser.context.newPage();
      let started = performance.now();
      await page.goto(`${bot.base}/`);
      await page.waitForSelector("body[data-ready=true]");
      loads.push(performance.now() - started);
      await page.fill("#command", "show cluster aks-plant-prod");
      started = performance.now();
      await page.press("#command", "Enter");
      await page.locator(".exchange .teams-view .teams-card", { hasText: "Proof set" }).waitFor();
      await page.locator(".exchange .slack-view .slack-message", { hasText: "Proof set" }).waitFor();
      drawn.push(performance.now() - started);
      await page.close();
    }
    await browser.close();
    const load = Math.min(...loads);
    rows.push([
      "console page: open to ready (assets, catalog, event stream), best of 3",
      `${load.toFixed(0)} ms`,
      "< 1000 ms",
      load < 1000,
    ]);
    const drawOverhead = Math.min(...drawn) - Math.min(...direct);
    rows.push([
      "console in Chromium: Enter to the summary drawn in both views, minus the run itself",
      `${drawOverhead.toFixed(0)} ms (${Math.min(...drawn).toFixed(0)} vs ${Math.min(...direct).toFixed(0)} ms)`,
      "≤ 500 ms",
      drawOverhead <= 500,
    ]);
  }
  await bot.server.close(5000);
  await bot.store.close();
  return rows;
}
