import { describe, expect, it } from "@jest/globals";
import { createService, openStateStore, RunHandedBack, type FinalResult } from "../../../src/index.js";
import { testChatHandler } from "../../support/bot-under-test.js";
import { RecordingSurface } from "../../support/recording-surface.js";

const requester = { platform: "slack" as const, user: "U1", userGroups: [], entraObjectId: null, channel: "C1" };

async function handlerWith(options: { authorization?: { contact: string | null; rules: [] } } = {}) {
  const store = await openStateStore(":memory:");
  const service = await createService({ azure: { world: "demo" }, store });
  const handler = testChatHandler(service, store, { authorization: options.authorization ?? null });
  return { handler, store };
}

/** The record a queued whois command's attempt carries. */
const queuedRecord = (key: string, thread: string) => ({
  key,
  platform: "slack" as const,
  user: "U1",
  channel: "C1",
  thread,
  command: "whois 20.50.10.10",
  runbook: null,
  startedAt: new Date().toISOString(),
});

describe("ChatCommandHandler", () => {
  it("runs a command: progress from pending to the outcome, then the result with stored button keys and an audit record", async () => {
    const { handler, store } = await handlerWith();
    const surface = new RecordingSurface();
    const outcome = await handler.handle({ requester, thread: "1.0", text: "show cluster aks-claims-prod" }, surface);
    expect(outcome).toMatchObject({ status: "succeeded", runbook: "show-cluster" });
    expect(surface.progress[0]).toMatchObject({
      title: "show cluster aks-claims-prod",
      simulated: true,
      outcome: null,
    });
    expect(surface.progress.at(-1)?.outcome).toBe("succeeded");
    const [result] = surface.results;
    expect(result?.view.simulated).toBe(true);
    expect(result?.markdown).toContain("# show-cluster");
    expect(result?.buttonKeys.length).toBe(result?.bundle.next.length);
    const lookup = await store.getButton(result?.buttonKeys[0] ?? "", Date.now());
    expect(lookup).toMatchObject({ kind: "found", context: { channel: "C1", thread: "1.0", platform: "slack" } });
    expect((await store.listAudit(0))[0]).toMatchObject({
      platform: "slack",
      user: "U1",
      command: "show cluster aks-claims-prod",
      outcome: "succeeded",
    });
  });

  it("works at most maxConcurrentRuns runs at once; the others wait with their progress message posted, and all are answered", async () => {
    const store = await openStateStore(":memory:");
    const real = await createService({ azure: { world: "demo" }, store });
    let running = 0;
    let most = 0;
    const release: (() => void)[] = [];
    const service = {
      ...real,
      runCommand: async (...args: Parameters<typeof real.runCommand>) => {
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => release.push(resolve));
        running -= 1;
        return real.runCommand(...args);
      },
    };
    const handler = testChatHandler(service, store, { maxConcurrentRuns: 2 });
    const surfaces = Array.from({ length: 5 }, () => new RecordingSurface());
    const outcomes = Promise.all(
      surfaces.map((surface, index) =>
        handler.handle(
          { requester: { ...requester, user: `U${index}` }, thread: `${index}.0`, text: "whois 20.50.10.10" },
          surface,
        ),
      ),
    );
    while (release.length < 2 || surfaces.some((surface) => surface.progress.length === 0))
      await new Promise((resolve) => setTimeout(resolve, 5));
    // Two runs in progress, three waiting: every progress message is posted already.
    expect(running).toBe(2);
    let done = false;
    void outcomes.then(() => (done = true));
    while (!done) {
      release.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(most).toBe(2);
    expect((await outcomes).map((outcome) => outcome.status)).toEqual(Array(5).fill("succeeded"));
  });

  it("a queued run notes its answer once the first message is posted, and a heartbeat keeps the note", async () => {
    const { handler, store } = await handlerWith();
    const record = queuedRecord("queued-1", "1.0");
    let seen: unknown = "not asked";
    class NotingSurface extends RecordingSurface {
      override async postResult(result: FinalResult) {
        await result.firstPosted?.();
        await handler.heartbeat();
        seen = (await store.getRun("queued-1"))?.answered;
        return super.postResult(result);
      }
    }
    const queued = {
      record,
      attempt: 0,
      handBack: new AbortController().signal,
      stillHeld: () => Promise.resolve(true),
    };
    const outcome = await handler.handle(
      { requester, thread: "1.0", text: "whois 20.50.10.10", queued },
      new NotingSurface("1.0"),
    );
    expect(outcome.status).toBe("succeeded");
    expect(seen).toBe(true);
    // Answered: the record is gone.
    expect(await store.getRun("queued-1")).toBeNull();
  });

  it("a queued run whose lease ran out stops unanswered, as if handed back, and keeps its record", async () => {
    const { handler, store } = await handlerWith();
    const record = queuedRecord("queued-2", "2.0");
    const surface = new RecordingSurface("2.0");
    const queued = {
      record,
      attempt: 0,
      handBack: new AbortController().signal,
      stillHeld: () => Promise.resolve(false),
    };
    await expect(
      handler.handle({ requester, thread: "2.0", text: "whois 20.50.10.10", queued }, surface),
    ).rejects.toBeInstanceOf(RunHandedBack);
    expect(surface.results).toEqual([]);
    expect(surface.failures).toEqual([]);
    expect((await store.getRun("queued-2"))?.command).toBe("whois 20.50.10.10");
  });

  it("marks a run cut short by shutdown as interrupted", async () => {
    const { handler } = await handlerWith();
    const surface = new RecordingSurface();
    const outcome = await handler.handle(
      {
        requester,
        thread: null,
        text: "triage aks-plant-prod",
        abortSignal: AbortSignal.abort(new Error("the bot is shutting down")),
      },
      surface,
    );
    expect(outcome.status).toBe("interrupted");
    expect(surface.progress.at(-1)?.outcome).toBe("interrupted");
  });

  it("refuses with the reason and records the refusal; help and usage errors answer privately", async () => {
    const { handler, store } = await handlerWith({ authorization: { contact: "#access", rules: [] } });
    const surface = new RecordingSurface();
    expect((await handler.handle({ requester, thread: null, text: "whois 20.50.10.10" }, surface)).status).toBe(
      "refused",
    );
    expect(surface.privately[0]).toMatch(/^Not allowed: .* Ask #access for access\.$/);
    expect((await store.listAudit(0))[0]).toMatchObject({ outcome: "refused", runbook: "whois" });
    await handler.handle({ requester, thread: null, text: "help whois" }, surface);
    expect(surface.privately[1]?.split("\n")[0]).toBe("whois <ip>");
    await handler.handle({ requester, thread: null, text: "frobnicate" }, surface);
    expect(surface.privately[2]).toBe(
      'unknown command "frobnicate"\ncommands: help, show cluster, triage, source-ips, denies, whois, fleet, partners, partners show, drift, drift history, whatif, runbooks, run (try: help <command>)',
    );
    expect(surface.results).toEqual([]);
  });

  it("audits what it could not parse (kept as typed, on one line) and outsiders refused by an adapter", async () => {
    const { handler, store } = await handlerWith();
    const surface = new RecordingSurface();
    await handler.handle({ requester, thread: null, text: "frobnicate\u0007 the\n\nfirewall" }, surface);
    const outsider = { ...requester, user: "UOUTSIDER" };
    const outcome = await handler.refuse(
      { requester: outsider, thread: "9.9", text: "triage aks-plant-prod" },
      "This bot answers members of this organisation only.",
      surface,
    );
    expect(outcome).toEqual({ platform: "slack", runbook: "triage", status: "refused", bundle: null });
    expect(surface.privately.at(-1)).toBe("This bot answers members of this organisation only.");
    const records = await store.listAudit(0);
    expect(records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ outcome: "invalid", command: "frobnicate the firewall", user: "U1", runbook: null }),
        expect.objectContaining({
          outcome: "refused",
          command: "triage aks-plant-prod",
          user: "UOUTSIDER",
          thread: "9.9",
        }),
      ]),
    );
    expect(surface.results).toEqual([]);
  });

  it("authorizes on the cluster Azure resolves: a rule naming rg/name covers the bare name, an alias in any case and the ID", async () => {
    const id =
      "/subscriptions/7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b/resourceGroups/rg-claims-prod/providers/Microsoft.ContainerService/managedClusters/aks-claims-prod";
    const aliases = { Claims: id };
    const store = await openStateStore(":memory:");
    // As main.ts wires it: the same aliases for the Azure layer and for authorization.
    const service = await createService({ azure: { world: "demo", aliases }, store });
    const rule = {
      slackUsers: ["U1"],
      slackUserGroups: [],
      entraObjectIds: [],
      channels: [],
      runbooks: ["*"],
      clusters: ["RG-CLAIMS-PROD/aks-claims-prod"],
      subscriptions: [],
    };
    const handler = testChatHandler(service, store, { authorization: { contact: null, rules: [rule] }, aliases });
    const surface = new RecordingSurface();
    for (const text of ["whois 20.50.10.10", "show cluster aks-plant-prod"])
      expect((await handler.handle({ requester, thread: null, text }, surface)).status).toBe("refused");
    for (const reference of [
      "aks-claims-prod",
      "rg-claims-prod/AKS-CLAIMS-PROD",
      "claims",
      "CLAIMS",
      id,
      id.toUpperCase(),
    ])
      expect(
        (await handler.handle({ requester, thread: null, text: `show cluster ${reference}` }, surface)).status,
      ).toBe("succeeded");
  });
});

describe("ChatCommandHandler heartbeats", () => {
  it("refreshes the heartbeat of the runs in progress, and forgets a run once it ends", async () => {
    const store = await openStateStore(":memory:");
    const service = await createService({ azure: { world: "demo" }, store });
    let now = Date.parse("2026-12-02T10:00:00.000Z");
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    // A surface whose progress message waits: the run stays in progress until released.
    const surface = new RecordingSurface();
    surface.startProgress = async (view) => {
      surface.progress.push(view);
      await held;
    };
    const handler = testChatHandler(service, store, { clock: { now: () => now } });
    const running = handler.handle({ requester, thread: "1.0", text: "whois 20.50.10.10" }, surface);
    while ((await store.unfinishedRuns()).length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    now += 60_000;
    await handler.heartbeat();
    expect((await store.unfinishedRuns()).map((record) => record.heartbeatAt)).toEqual(["2026-12-02T10:01:00.000Z"]);
    release();
    await running;
    expect(await store.unfinishedRuns()).toEqual([]);
    await handler.heartbeat();
    expect(await store.unfinishedRuns()).toEqual([]);
  });
});
