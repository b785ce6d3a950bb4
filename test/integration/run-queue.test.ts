// The durable run queue (pg-boss on a real PostgreSQL) between two replicas in one process: an
// accepted command is answered exactly once by whichever replica takes it; a replica that stops hands
// its unfinished run back, and the other answers it once, in the same progress message, saying it was
// resumed. (A replica killed with SIGKILL is the end-to-end test's part.)
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createService,
  intakeOf,
  RunIntake,
  runKeyOf,
  silentLogger,
  type QueuedAnswerer,
  type RunQueue,
  type StateStore,
} from "../../src/index.js";
import { openPgBossRunQueue } from "../../src/store/pg-boss-run-queue.js";
import { openPostgresStateStore } from "../../src/store/postgres-state-store.js";
import { testChatHandler } from "../support/bot-under-test.js";
import { demoWorldWithFault } from "../support/demo-world-with-fault.js";
import { freshSchema, postgresForTests } from "../support/postgres-under-test.js";
import { RecordingSurface } from "../support/recording-surface.js";

const postgresUp = await postgresForTests("the run queue tests are");

const requester = {
  platform: "slack" as const,
  user: "U1",
  userGroups: ["S-oncall"],
  entraObjectId: null,
  channel: "C1",
};

/** Waits for `done`, polling, up to a generous ceiling (a busy machine is slow, never wrong). */
async function until(done: () => boolean | Promise<boolean>, ceilingInMs = 60_000): Promise<void> {
  const deadline = Date.now() + ceilingInMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

(postgresUp ? describe : describe.skip)("the durable run queue on PostgreSQL (skipped only where none answers)", () => {
  let schema: Awaited<ReturnType<typeof freshSchema>>;
  const opened: { store: StateStore; queue: RunQueue }[] = [];
  // The surfaces the replicas rebuild, one per run key: what each replica showed in the thread.
  const rebuilt = new Map<string, RecordingSurface[]>();
  let keys = 0;

  async function replica(name: string, world: string | null = null) {
    const store = await openPostgresStateStore({ connectionString: schema.connectionString, maxConnections: 4 });
    const queue = await openPgBossRunQueue({
      connectionString: schema.connectionString,
      schema: `${schema.name}_jobs`,
      log: silentLogger,
      concurrency: 4,
    });
    opened.push({ store, queue });
    const service = await createService({ azure: { world: world ?? "demo" }, store });
    const handler = testChatHandler(service, store, { newKey: () => `${name}-${++keys}` });
    const intake = new RunIntake({ store, queue, clock: { now: Date.now }, log: silentLogger });
    // What a platform does with a queued command: its own flow, on a surface rebuilt from the record.
    const answer: QueuedAnswerer = async (record, queued) => {
      const surface = new RecordingSurface(record.thread, record.progressMessage ?? null);
      rebuilt.set(record.key, [...(rebuilt.get(record.key) ?? []), surface]);
      const text = intakeOf(record)?.text ?? "";
      await handler.handle({ requester, thread: record.thread, text, abortSignal: queued.handBack, queued }, surface);
    };
    const start = () => queue.start((attempt) => intake.work(attempt, { slack: answer }));
    const accept = (text: string, dedupeKey: string) =>
      intake.accept({
        platform: "slack",
        user: "U1",
        channel: "C1",
        thread: "1733130000.000100",
        text,
        payload: {},
        dedupeKey,
      });
    return { store, queue, start, accept };
  }

  beforeAll(async () => {
    schema = await freshSchema();
  });
  afterAll(async () => {
    for (const { queue, store } of opened) {
      await queue.stop(0).catch(() => undefined);
      await store.close();
    }
    await schema.query(`drop schema if exists ${schema.name}_jobs cascade`);
    await schema.drop();
  });

  it("answers an accepted command once, on the replica that takes it, and forgets it once answered", async () => {
    const a = await replica("a");
    const b = await replica("b");
    await a.start();
    await b.start();
    await a.accept("show cluster aks-claims-prod", "slack:command:T1:trigger-1");
    // The same request delivered again (to the other replica) is the same command: nothing is added.
    await b.accept("show cluster aks-claims-prod", "slack:command:T1:trigger-1");
    const key = runKeyOf("slack:command:T1:trigger-1");
    await until(() => (rebuilt.get(key) ?? []).some((surface) => surface.results.length > 0));
    await until(async () => (await a.store.getRun(key)) === null);
    // Delivered once more after it was answered: still one answer, and no record left behind.
    await b.accept("show cluster aks-claims-prod", "slack:command:T1:trigger-1");
    expect(await a.store.getRun(key)).toBeNull();
    const surfaces = rebuilt.get(key) ?? [];
    expect(surfaces).toHaveLength(1);
    const [worked] = surfaces;
    expect(worked?.posted).toBe(1);
    expect(worked?.thread).toBe("1733130000.000100");
    expect(worked?.progress.at(-1)).toMatchObject({ outcome: "succeeded" });
    expect(worked?.progress.some((view) => view.resumed)).toBe(false);
    expect(worked?.results[0]?.bundle.requestedBy).toMatchObject({ user: "U1", channel: "C1" });
    const audit = (await a.store.listAudit(0)).filter((record) => record.command === "show cluster aks-claims-prod");
    expect(audit.map((record) => record.outcome)).toEqual(["succeeded"]);
    await a.queue.stop(0);
    await b.queue.stop(0);
  }, 120_000);

  it("hands an unfinished run back when its replica stops; another answers it once and says it was resumed", async () => {
    const folder = mkdtempSync(join(tmpdir(), "egress-queue-"));
    // On the first replica the route table never answers: its run is in hand when it stops.
    const hanging = await replica(
      "c",
      demoWorldWithFault('{ match: "routeTables/rt-plant-egress$", latencyMs: 600000 }', folder),
    );
    const healthy = await replica("d");
    await hanging.start();
    await hanging.accept("show cluster aks-plant-prod", "slack:command:T1:trigger-2");
    const key = runKeyOf("slack:command:T1:trigger-2");
    await until(() => hanging.queue.inHand === 1);
    await until(() => (rebuilt.get(key)?.[0]?.progress.length ?? 0) > 0);
    // The stopping replica hands the run back at once (no grace), and never answers it itself.
    await healthy.start();
    await hanging.queue.stop(0);
    await until(() => (rebuilt.get(key) ?? []).some((surface) => surface.results.length > 0), 90_000);
    const [first, second] = rebuilt.get(key) ?? [];
    expect(first?.results).toEqual([]);
    expect(first?.failures).toEqual([]);
    expect(first?.progress.some((view) => view.outcome !== null)).toBe(false);
    expect(second?.results).toHaveLength(1);
    // The second attempt edits the progress message the first posted: one progress message in the thread.
    expect(first?.posted).toBe(1);
    expect(second?.posted).toBe(0);
    expect(second?.progressMessage).toBe(first?.progressMessage);
    expect(second?.progress[0]?.resumed).toBe(true);
    expect(second?.progress.at(-1)).toMatchObject({ resumed: true });
    // The requester travelled with the run (groups included) and the record is gone once answered.
    expect(second?.results[0]?.bundle.requestedBy).toMatchObject({ user: "U1", channel: "C1" });
    await until(async () => (await healthy.store.getRun(key)) === null);
    await healthy.queue.stop(0);
  }, 150_000);
});
