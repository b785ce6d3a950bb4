import { describe, expect, it } from "@jest/globals";
import { recoverInterruptedRuns } from "../../../src/app/chat/recover-interrupted-runs.js";
import type { RunningRecord } from "../../../src/core/ports/state-store.js";
import { silentLogger } from "../../../src/core/ports/logger.js";
import { openSqliteStateStore } from "../../../src/store/sqlite-state-store.js";

const at = (iso: string) => Date.parse(iso);
const run = (key: string, startedAt: string, heartbeatAt?: string): RunningRecord => ({
  key,
  platform: "slack",
  user: "U1",
  channel: "C1",
  thread: "1732440000.000100",
  command: "show cluster aks-plant-prod",
  runbook: "show-cluster",
  startedAt,
  ...(heartbeatAt ? { heartbeatAt } : {}),
});

describe("runs a stop left unfinished", () => {
  it("on a shared store, only runs whose heartbeat stopped are told interrupted; live replicas' runs are left alone", async () => {
    const store = openSqliteStateStore(":memory:");
    await store.startRun(run("alive", "2026-12-02T10:00:00.000Z", "2026-12-02T10:09:00.000Z"));
    await store.startRun(run("dead", "2026-12-02T10:00:00.000Z", "2026-12-02T10:05:00.000Z"));
    const told: string[] = [];
    const recovered = await recoverInterruptedRuns(
      store,
      () => at("2026-12-02T10:10:00.000Z"),
      (record) => Promise.resolve(void told.push(record.key)),
      silentLogger,
      180_000,
    );
    expect(recovered).toBe(1);
    expect(told).toEqual(["dead"]);
    expect((await store.unfinishedRuns()).map((record) => record.key)).toEqual(["alive"]);
    expect((await store.listAudit(0)).map((record) => [record.id, record.outcome])).toEqual([
      ["dead-interrupted", "interrupted"],
    ]);
  });

  it("on the embedded store (one process), every unfinished run at start is interrupted", async () => {
    const store = openSqliteStateStore(":memory:");
    await store.startRun(run("a", "2026-12-02T10:00:00.000Z", "2026-12-02T10:09:59.000Z"));
    const recovered = await recoverInterruptedRuns(
      store,
      () => at("2026-12-02T10:10:00.000Z"),
      () => Promise.resolve(),
      silentLogger,
    );
    expect(recovered).toBe(1);
    expect(await store.unfinishedRuns()).toEqual([]);
  });
});
