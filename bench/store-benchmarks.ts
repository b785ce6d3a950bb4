// Benchmark of the embedded state store: what one chat command writes, with 150,000 buttons kept.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStateStore } from "../src/store/sqlite-state-store.js";
import { median } from "./median.js";

/** Median store time of one command (dedupe claim, three buttons, progress, conversation, audit). */
export async function storeBenchmarks(): Promise<[string, string, string, boolean][]> {
  const directory = mkdtempSync(join(tmpdir(), "egress-store-bench-"));
  const store = openSqliteStateStore(directory);
  try {
    const now = Date.parse("2026-11-24T10:00:00.000Z");
    const context = {
      command: "triage rg/aks",
      platform: "slack" as const,
      channel: "C1",
      thread: "1.0",
      requestedBy: "U1",
    };
    for (let index = 0; index < 150_000; index++)
      await store.putButton(`kept-${index}`, context, now - (index % 1000) * 60_000, 8 * 86_400_000);
    const timings: number[] = [];
    for (let command = 0; command < 400; command++) {
      const at = now + command * 1000;
      const started = performance.now();
      await store.claimOnce(`slack:command:T1:${command}`, at, 3_600_000);
      for (let button = 0; button < 3; button++)
        await store.putButton(`b-${command}-${button}`, context, at, 7 * 86_400_000);
      await store.putProgressMessage(`run-${command}`, `${command}.000100`);
      await store.putConversation(`teams:${command}`, { conversation: { id: String(command) } });
      await store.recordAudit({
        id: `audit-${command}`,
        platform: "slack",
        user: "U1",
        channel: "C1",
        thread: "1.0",
        command: "triage rg/aks",
        runbook: "triage",
        outcome: "succeeded",
        digest: null,
        startedAt: new Date(at).toISOString(),
        finishedAt: new Date(at).toISOString(),
      });
      timings.push(performance.now() - started);
    }
    const time = median(timings.slice(50));
    return [
      [
        "state store writes of one chat command (dedupe, 3 buttons, progress, conversation, audit) with 150,000 buttons kept",
        `${time.toFixed(2)} ms`,
        "< 0.5 ms",
        time < 0.5,
      ],
    ];
  } finally {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  }
}
