import { describe, expect, it } from "@jest/globals";
import { userInfo } from "node:os";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../adapters/cli/run-cli.js";
import { createService } from "../../src/app/create-service.js";
import { parseCommand } from "../../src/core/commands/parse-command.js";
import { openSqliteStateStore } from "../../src/store/sqlite-state-store.js";
import { FakeClock } from "../support/fake-clock.js";
import { sequentialIds } from "../support/fixed-ids.js";
import { memoryIo } from "../support/memory-io.js";

const plantId =
  "/subscriptions/7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b/resourceGroups/rg-plant-prod/providers/Microsoft.ContainerService/managedClusters/aks-plant-prod";

describe("the configuration file", () => {
  it("gives cluster aliases to the Azure layer", async () => {
    const directory = mkdtempSync(join(tmpdir(), "egress-alias-"));
    const file = join(directory, "egress.yaml");
    writeFileSync(file, `aliases:\n  plant: ${plantId}\n`);
    const io = memoryIo({ EGRESS_CONFIG: file });
    const code = await runCli(["show", "cluster", "plant", "--world", "demo", "--output", "json"], io, {
      ids: sequentialIds(),
    });
    expect(code).toBe(0);
    expect((JSON.parse(io.out()) as { cluster: { name: string } }).cluster.name).toBe("aks-plant-prod");
  });
});

describe("the audit of every command", () => {
  it("records who ran what, where, with what outcome and digest", async () => {
    const store = openSqliteStateStore(":memory:");
    const clock = new FakeClock();
    const service = createService({
      azure: { world: "demo", now: () => clock.now() },
      store,
      clock,
      ids: sequentialIds(),
    });
    const parsed = parseCommand("source-ips aks-claims-prod --partner 'Acme Payments'");
    if (!parsed.ok) throw new Error(parsed.error.reason);
    const result = await service.runCommand(parsed.command, {
      requestedBy: { platform: "slack", user: "U0ALICE", channel: "C0INCIDENT", thread: "1732440000.000100" },
    });
    const refused = parseCommand("run no-such-runbook");
    if (!refused.ok) throw new Error(refused.error.reason);
    await expect(
      service.runCommand(refused.command, {
        requestedBy: { platform: "slack", user: "U0ALICE", channel: "C0INCIDENT", thread: null },
      }),
    ).rejects.toMatchObject({ code: "RUNBOOK_NOT_FOUND" });
    const records = await store.listAudit(0);
    // Both started at the same pinned time, so compare as a set.
    expect(records).toHaveLength(2);
    expect(
      records.map(({ platform, user, channel, thread, command, runbook, outcome }) => ({
        platform,
        user,
        channel,
        thread,
        command,
        runbook,
        outcome,
      })),
    ).toEqual(
      expect.arrayContaining([
        {
          platform: "slack",
          user: "U0ALICE",
          channel: "C0INCIDENT",
          thread: "1732440000.000100",
          command: 'source-ips aks-claims-prod --partner "Acme Payments"',
          runbook: "source-ips",
          outcome: "succeeded",
        },
        {
          platform: "slack",
          user: "U0ALICE",
          channel: "C0INCIDENT",
          thread: null,
          command: "run no-such-runbook",
          runbook: "no-such-runbook",
          outcome: "refused",
        },
      ]),
    );
    expect(records.find((record) => record.runbook === "source-ips")?.digest).toBe(
      result.kind === "bundle" ? result.bundle.digest : "",
    );
  });
  it("is listed by egress audit from the state directory the configuration names", async () => {
    const directory = mkdtempSync(join(tmpdir(), "egress-audit-"));
    const stateDirectory = join(directory, "state");
    const store = openSqliteStateStore(stateDirectory);
    await store.recordAudit({
      id: "a1",
      platform: "teams",
      user: "Carol",
      channel: "19:abc@thread.tacv2",
      thread: "1",
      command: "triage aks-plant-prod",
      runbook: "triage",
      outcome: "partial",
      digest: "sha256:0123456789abcdef0123",
      startedAt: new Date().toISOString(),
      finishedAt: new Date().toISOString(),
    });
    await store.close();
    const config = join(directory, "egress.yaml");
    writeFileSync(config, `state: { directory: ${stateDirectory} }\n`);
    const io = memoryIo({ EGRESS_CONFIG: config });
    expect(await runCli(["audit", "--since", "1h"], io)).toBe(0);
    expect(io.out()).toMatch(
      / {2}STARTED +PLATFORM +USER +CHANNEL +COMMAND +OUTCOME +DIGEST\n {2}\S+ +teams +Carol +19:abc@thread\.tacv2 +triage aks-plant-prod +partial +sha256:0123456789ab/,
    );
    const json = memoryIo({ EGRESS_CONFIG: config });
    await runCli(["audit", "--output", "json"], json);
    expect((JSON.parse(json.out()) as { records: unknown[] }).records).toHaveLength(1);
  });
  it("records CLI runs with the OS user in the configured state directory", async () => {
    const directory = mkdtempSync(join(tmpdir(), "egress-cli-audit-"));
    const config = join(directory, "egress.yaml");
    writeFileSync(config, `state: { directory: ${join(directory, "state")} }\n`);
    const run = memoryIo({ EGRESS_CONFIG: config, USER: "not-the-os-user" });
    expect(await runCli(["whois", "20.50.10.10", "--world", "demo"], run)).toBe(0);
    const listed = memoryIo({ EGRESS_CONFIG: config });
    await runCli(["audit", "--output", "json"], listed);
    const { records } = JSON.parse(listed.out()) as { records: { platform: string; user: string; command: string }[] };
    expect(records).toEqual([
      expect.objectContaining({ platform: "cli", user: userInfo().username, command: "whois 20.50.10.10" }),
    ]);
  });
  it("says there is nothing yet when the state directory does not exist", async () => {
    const io = memoryIo({ EGRESS_CONFIG: "" });
    const directory = mkdtempSync(join(tmpdir(), "egress-none-"));
    const config = join(directory, "egress.yaml");
    writeFileSync(config, `state: { directory: ${join(directory, "missing")} }\n`);
    const withConfig = memoryIo({ EGRESS_CONFIG: config });
    expect(await runCli(["audit"], withConfig)).toBe(0);
    expect(withConfig.err()).toContain("no audit records: the state directory");
    expect(io.out()).toBe("");
  });
});
