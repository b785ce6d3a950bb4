import type { StateStore, TickSchedule } from "../../src/index.js";

/** A drift schedule that ticks only when the test says so. */
export function manualSchedule(): { readonly schedule: TickSchedule; tick(): Promise<void> } {
  let onTick: (() => Promise<void>) | null = null;
  return {
    schedule: {
      start: (callback) => {
        onTick = callback;
        return Promise.resolve();
      },
      stop: () => Promise.resolve(),
    },
    tick: () => (onTick ? onTick() : Promise.reject(new Error("the schedule was not started"))),
  };
}

/**
 * Makes the drift watch see a change at its next tick: a newer snapshot of the cluster in which its
 * pools left through another prefix (20.31.18.0/30) than they do now.
 */
export async function pretendSourcesChanged(store: StateStore, clusterId: string): Promise<void> {
  const [kept] = await store.listSnapshots(clusterId);
  if (!kept) throw new Error(`no snapshot of ${clusterId}`);
  await store.putSnapshot({
    ...kept,
    takenAt: "2099-01-01T00:00:00.000Z",
    pools: kept.pools.map((pool) => ({ ...pool, sourceCidrs: ["20.31.18.0/30"] })),
  });
}
