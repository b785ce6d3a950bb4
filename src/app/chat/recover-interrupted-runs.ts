import type { Logger } from "../../core/ports/logger.js";
import type { RunningRecord, StateStore } from "../../core/ports/state-store.js";

/** What the thread of an interrupted run is told. */
export function interruptedText(record: RunningRecord): string {
  return `egress-bot restarted before it finished \`egress ${record.command}\` (started ${record.startedAt}); nothing was lost but that run's answer. Run it again; buttons posted earlier still work.`;
}

/**
 * After a crash or kill -9, the runs that never finished: each is audited as `interrupted` and its
 * thread is told (by the platform's `notify`; the console and CLI have no thread to tell), then
 * forgotten. A notification that fails is logged, never retried forever.
 */
export async function recoverInterruptedRuns(
  store: StateStore,
  now: () => number,
  notify: (record: RunningRecord) => Promise<void>,
  log: Logger,
  staleAfterMs = 0,
): Promise<number> {
  // On a shared store, only runs whose replica stopped beating: the others are running elsewhere.
  const runs = (await store.unfinishedRuns()).filter(
    (record) => now() - Date.parse(record.heartbeatAt ?? record.startedAt) >= staleAfterMs,
  );
  for (const record of runs) {
    await store.recordAudit({
      id: `${record.key}-interrupted`,
      platform: record.platform,
      user: record.user,
      channel: record.channel,
      thread: record.thread,
      command: record.command,
      runbook: record.runbook,
      outcome: "interrupted",
      digest: null,
      startedAt: record.startedAt,
      finishedAt: new Date(now()).toISOString(),
    });
    try {
      await notify(record);
    } catch (error) {
      log.warn(
        { platform: record.platform, error: error instanceof Error ? error.message.slice(0, 200) : "unknown" },
        "could not tell a thread its run was interrupted",
      );
    }
    await store.finishRun(record.key);
  }
  if (runs.length > 0) log.info({ runs: runs.length }, "runs interrupted by the last stop were reported");
  return runs.length;
}
