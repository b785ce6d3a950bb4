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
