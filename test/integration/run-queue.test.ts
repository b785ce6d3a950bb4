// The durable run queue (pg-boss on a real PostgreSQL) between two replicas in one process: a queued
// chat run is answered exactly once by whichever replica takes it, editing the progress message the
// accepting replica posted; a replica that stops hands its unfinished run back, and the other answers
// it once, saying it was resumed. (A replica killed with SIGKILL is the end-to-end test's part.)
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createService,
  silentLogger,
  type ChatCommandHandler,
  type RunQueue,
  type RunningRecord,
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
    const handler = testChatHandler(service, store, { queue, log: silentLogger, newKey: () => `${name}-${++keys}` });
    const start = () =>
      queue.start((attempt) =>
        handler.work(attempt, (record: RunningRecord) => {
          const surface = new RecordingSurface(record.thread, record.progressMessage ?? null);
          rebuilt.set(record.key, [...(rebuilt.get(record.key) ?? []), surface]);
          return Promise.resolve(surface);
        }),
      );
    return { store, queue, handler, start };
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

  /** The key of the one run a replica (by its key prefix) accepted, once a replica has taken it. */
  const runKeyOf = async (prefix: string): Promise<string> => {
    await until(() => [...rebuilt.keys()].some((key) => key.startsWith(prefix)));
    return [...rebuilt.keys()].find((key) => key.startsWith(prefix)) ?? "";
  };

  const accept = async (handler: ChatCommandHandler, text: string) => {
    const accepting = new RecordingSurface("1733130000.000100");
    const outcome = await handler.handle({ requester, thread: "1733130000.000100", text }, accepting);
    return { outcome, accepting };
  };

  it("answers a queued run once, on the replica that takes it, in the progress message the accepting replica posted", async () => {
    const a = await replica("a");
    const b = await replica("b");
    await a.start();
    await b.start();
    const { outcome, accepting } = await accept(a.handler, "show cluster aks-claims-prod");
    expect(outcome).toMatchObject({ status: "queued", runbook: "show-cluster" });
    expect(accepting.posted).toBe(1);
    const key = await runKeyOf("a-");
    await until(() => (rebuilt.get(key) ?? []).some((surface) => surface.results.length > 0));
    await until(async () => (await a.store.getRun(key)) === null);
    const surfaces = rebuilt.get(key) ?? [];
    expect(surfaces).toHaveLength(1);
    const [worked] = surfaces;
    // The rebuilt surface edited the accepting replica's message: no second progress message.
    expect(worked?.posted).toBe(0);
    expect(worked?.progressMessage).toBe(accepting.progressMessage);
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
    const { outcome } = await accept(hanging.handler, "show cluster aks-plant-prod");
    expect(outcome.status).toBe("queued");
    const key = await runKeyOf("c-");
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
    expect(second?.posted).toBe(0);
    expect(second?.progress[0]?.resumed).toBe(true);
    expect(second?.progress.at(-1)).toMatchObject({ resumed: true });
    // The requester travelled with the run (groups included) and the record is gone once answered.
    expect(second?.results[0]?.bundle.requestedBy).toMatchObject({ user: "U1", channel: "C1" });
    await until(async () => (await healthy.store.getRun(key)) === null);
    await healthy.queue.stop(0);
  }, 150_000);
});
