import { describe, expect, it } from "@jest/globals";
import { createService, openStateStore } from "../../src/index.js";
import { testBotServer, testChatHandler } from "../support/bot-under-test.js";

describe("graceful shutdown", () => {
  it("stops accepting (503, not ready) while running work finishes, then closes", async () => {
    const store = await openStateStore(":memory:");
    const service = await createService({ azure: { world: "demo" }, store });
    const server = testBotServer(
      { service, handler: testChatHandler(service, store), store },
      { slack: { enabled: false, reason: "none" }, teams: { enabled: false, reason: "none" } },
    );
    const base = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}`;
    expect(server.platforms).toEqual({
      slack: "off: none",
      teams: "off: none",
      console: "off",
      metrics: "/metrics on the bot's port, for this machine only",
    });
    let release: () => void = () => undefined;
    server.tracker.track(new Promise<void>((resolve) => (release = resolve)));
    const closing = server.close(10_000);
    const during = await fetch(`${base}/readyz`, { headers: { connection: "close" } }).catch(() => null);
    // Either the listener is already closed to new connections, or it answers 503: never "ready".
    if (during) expect(during.status).toBe(503);
    let closed = false;
    void closing.then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    release();
    await closing;
    expect(closed).toBe(true);
    await store.close();
  });
});
