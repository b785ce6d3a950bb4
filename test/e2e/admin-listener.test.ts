import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startConsole, type ConsoleUnderTest } from "../support/console-under-test.js";

let bot: ConsoleUnderTest;

beforeAll(async () => {
  bot = await startConsole({ adminPort: 0 });
});

afterAll(async () => {
  await bot.close();
});

describe("EGRESS_ADMIN_PORT: an admin listener on 127.0.0.1", () => {
  it("serves /metrics and the console there, and neither on the bot's port", async () => {
    expect(bot.base).not.toBe(bot.botBase);
    expect(bot.server.adminHttp?.address()).toMatchObject({ address: "127.0.0.1" });
    expect((await fetch(`${bot.base}/metrics`)).status).toBe(200);
    expect(await (await fetch(`${bot.base}/metrics`)).text()).toContain("egress_");
    expect((await fetch(`${bot.base}/`)).status).toBe(200);
    expect((await fetch(`${bot.base}/console/api/catalog`)).status).toBe(200);
    for (const path of ["/metrics", "/", "/console/api/catalog"])
      expect((await fetch(`${bot.botBase}${path}`)).status).toBe(404);
    expect((await fetch(`${bot.botBase}/healthz`)).status).toBe(200);
    expect(bot.server.platforms.console).toContain("admin listener");
  });
});

describe("the console on, in production, with EGRESS_METRICS_PORT (as the ha overlay and the example manifest set it)", () => {
  it("keeps /metrics on its own listener for Prometheus, not behind the console's loopback admin listener", async () => {
    const withMetrics = await startConsole({ adminPort: 0, metricsPort: 0, production: true });
    try {
      const metricsPort = withMetrics.server.metricsPort();
      expect(metricsPort).not.toBeNull();
      const scraped = await fetch(`http://127.0.0.1:${metricsPort ?? 0}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain("egress_");
      // Neither the console's admin listener nor the chat port serves it.
      expect((await fetch(`${withMetrics.base}/metrics`)).status).toBe(404);
      expect((await fetch(`${withMetrics.botBase}/metrics`)).status).toBe(404);
      expect((await fetch(`${withMetrics.base}/`)).status).toBe(200);
    } finally {
      await withMetrics.close();
    }
  });
});
