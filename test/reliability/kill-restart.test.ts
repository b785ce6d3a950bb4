// A real kill -9: the built server process (as `npm start` and the image run it) is killed with
// SIGKILL while a run waits on Azure, and a new process starts on the same state directory. The thread
// of the killed run is told, a button posted before the kill still works, and the audit has both.
import { describe, expect, it } from "@jest/globals";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStateStore } from "../../src/index.js";
import { startBuiltServer, type BuiltServer } from "../support/built-server.js";
import { demoWorldWithFault } from "../support/demo-world-with-fault.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { clickButton, firstNextButton } from "../support/slack-buttons.js";
import { postSlashCommand } from "../support/slack-request.js";

const secret = "kill-secret";
const exited = (server: BuiltServer): Promise<void> =>
  new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) resolve();
    else server.child.once("exit", () => resolve());
  });

describe("kill -9 during a run, then a restart on the same state directory", () => {
  it("tells the killed run's thread, keeps earlier buttons working, and audits the run as interrupted", async () => {
    const folder = mkdtempSync(join(tmpdir(), "egress-kill-"));
    // aks-plant-prod's route table never answers: its run is mid-way when the process is killed.
    const world = demoWorldWithFault('{ match: "routeTables/rt-plant-egress$", latencyMs: 600000 }', folder);
    const fake = new FakeSlackApi();
    await fake.start();
    const start = () =>
      startBuiltServer(
        { EGRESS_WORLD: world, SLACK_SIGNING_SECRET: secret, SLACK_BOT_TOKEN: "xoxb-kill", SLACK_API_URL: fake.apiUrl },
        // The state directory (`.egress`) is relative to the working directory.
        { cwd: folder },
      );
    const first = await start();
    const base = (server: BuiltServer) => `http://127.0.0.1:${server.port}`;
    try {
      // A command that finishes, and leaves buttons.
      await postSlashCommand(base(first), secret, {
        text: "show cluster aks-claims-prod",
        trigger_id: "k-1",
        response_url: fake.responseUrl("k-1"),
      });
      await fake.waitFor(
        (calls) => calls.some((call) => JSON.stringify(call.body.blocks ?? []).includes("egress_next_0")),
        60_000,
      );
      // A command that hangs on Azure: killed once its thread exists.
      const before = fake.callsOf("chat.postMessage").length;
      await postSlashCommand(base(first), secret, {
        text: "show cluster aks-plant-prod",
        user_id: "U2",
        trigger_id: "k-2",
        response_url: fake.responseUrl("k-2"),
      });
      await fake.waitFor(() => fake.callsOf("chat.postMessage").length > before, 60_000);
      // Killed once the run is noted with the thread its progress message opened (read from the
      // state file beside the running server, as another process would).
      const deadline = Date.now() + 60_000;
      for (;;) {
        const peek = await openStateStore(join(folder, ".egress"));
        const noted = (await peek.unfinishedRuns()).some(
          (record) => record.command.includes("aks-plant-prod") && record.thread !== null,
        );
        await peek.close();
        if (noted) break;
        if (Date.now() > deadline) throw new Error("the hung run was never noted with its thread");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      first.child.kill("SIGKILL");
      await exited(first);
    } finally {
      first.child.kill("SIGKILL");
    }

    const second = await start();
    try {
      await fake.waitFor(
        (calls) =>
          calls.some(
            (call) =>
              call.method === "chat.postMessage" &&
              JSON.stringify(call.body.text ?? "").includes(
                "restarted before it finished `egress show cluster aks-plant-prod`",
              ),
          ),
        60_000,
      );
      const told = fake
        .callsOf("chat.postMessage")
        .find((call) => JSON.stringify(call.body.text ?? "").includes("restarted before it finished"));
      const killedRootCall = fake
        .callsOf("chat.postMessage")
        .find((call) => JSON.stringify(call.body).includes("aks-plant-prod"));
      expect(told?.body.channel).toBe("C1");
      // In the killed run's thread, when it had one.
      expect(told?.body.thread_ts).toBeDefined();
      expect(killedRootCall).toBeDefined();

      // The button posted before the kill runs in its thread on the new process.
      const button = firstNextButton(fake);
      const beforeClick = fake.callsOf("chat.postMessage").length;
      const clicked = await clickButton(base(second), secret, button, "k-click");
      expect(clicked.status).toBe(200);
      await fake.waitFor(() => fake.callsOf("chat.postMessage").length > beforeClick, 60_000);
      expect(fake.callsOf("chat.postMessage")[beforeClick]?.body.thread_ts).toBe(button.rootTs);
    } finally {
      second.child.kill("SIGTERM");
      await exited(second);
      await fake.stop();
    }

    const store = await openStateStore(join(folder, ".egress"));
    const audit = await store.listAudit(0);
    await store.close();
    expect(audit.map((record) => record.outcome)).toEqual(expect.arrayContaining(["interrupted"]));
    expect(audit.find((record) => record.outcome === "interrupted")?.command).toContain("aks-plant-prod");
  }, 180_000);
});
