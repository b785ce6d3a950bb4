// One contract, two stores: the embedded node:sqlite store and PostgreSQL run the same tests.
import { afterEach, describe, expect, it } from "@jest/globals";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { verifyAuditChain } from "../../src/core/audit/audit-chain.js";
import type { AuditRecord, EgressSnapshot, PartnerHandover, StateStore } from "../../src/core/ports/state-store.js";
import { partnerKeyOf } from "../../src/core/partners/partner-handover.js";
import { openPostgresStateStore } from "../../src/store/postgres-state-store.js";
import { openSqliteStateStore } from "../../src/store/sqlite-state-store.js";
import { freshSchema, postgresForTests } from "../support/postgres-under-test.js";

/** A store under test, reopenable on the same state, with raw SQL for tampering. */
interface Subject {
  open(): Promise<StateStore>;
  /** Runs SQL against the store's own tables (`audit` / `egress_audit`). */
  tamper(sql: { sqlite: string; postgres: string }): Promise<void>;
  dispose(): Promise<void>;
}

const subjects: Record<string, () => Promise<Subject>> = {
  "embedded (node:sqlite)": () => {
    const directory = mkdtempSync(join(tmpdir(), "egress-contract-"));
    return Promise.resolve({
      open: () => Promise.resolve(openSqliteStateStore(directory)),
      tamper: (sql) => {
        const db = new DatabaseSync(join(directory, "egress-state.db"));
        db.exec(sql.sqlite);
        db.close();
        return Promise.resolve();
      },
      dispose: () => Promise.resolve(),
    });
  },
  PostgreSQL: async () => {
    const schema = await freshSchema();
    return {
      open: () => openPostgresStateStore({ connectionString: schema.connectionString, maxConnections: 4 }),
      tamper: async (sql) => void (await schema.query(sql.postgres)),
      dispose: schema.drop,
    };
  },
};

const postgresUp = await postgresForTests("the PostgreSQL half of the store contract is");

const audit = (id: string, startedAt: string, command = "triage aks-plant-prod --since 1h"): AuditRecord => ({
  id,
  platform: "slack",
  user: "U0ALICE",
  channel: "C0INCIDENT",
  thread: "1732440000.000100",
  command,
  runbook: "triage",
  outcome: "succeeded",
  digest: "sha256:ab",
  startedAt,
  finishedAt: startedAt,
});
const clusterIdOf = (name: string) =>
  `/subscriptions/3f2c9a4e-8b1d-4c6e-9f0a-2d7b5e8c1a94/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/${name}`;
const handover = (
  id: string,
  partner: string,
  cluster: string,
  handedAt: string,
  cidrs: string[],
): PartnerHandover => ({
  id,
  partner,
  partnerKey: partnerKeyOf(partner),
  clusterId: clusterIdOf(cluster),
  clusterName: cluster,
  resourceGroup: "rg",
  subscriptionId: "3f2c9a4e-8b1d-4c6e-9f0a-2d7b5e8c1a94",
  cidrs,
  addresses: cidrs.map((cidr) => ({
    cidr,
    grade: "stable",
    reason: "a static Standard IP",
    from: "ippre (NAT gateway)",
  })),
  nodePools: [{ name: "system" }],
  handedBy: { platform: "slack", user: "U0ALICE" },
  handedAt,
  bundleDigest: "sha256:ab",
  runId: `run-${id}`,
  simulated: false,
});
const snapshot = (cluster: string, takenAt: string, cidrs: string[]): EgressSnapshot => ({
  clusterId: clusterIdOf(cluster),
  clusterName: cluster,
  resourceGroup: "rg",
  subscriptionId: "3f2c9a4e-8b1d-4c6e-9f0a-2d7b5e8c1a94",
  outboundType: "userAssignedNATGateway",
  takenAt,
  needsFullRead: null,
  pools: [
    { name: "system", kind: "natGateway", sources: "known", sourceCidrs: cidrs, podSourceCidrs: null, reason: null },
  ],
});
const context = {
  command: "denies rg/aks --since 1d",
  platform: "slack" as const,
  channel: "C1",
  thread: "1.2",
  requestedBy: "U1",
};

describe.each(Object.keys(subjects).filter((name) => name !== "PostgreSQL" || postgresUp))(
  "the state store contract: %s",
  (name) => {
    let subject: Subject;
    const opened: StateStore[] = [];
    const open = async (): Promise<StateStore> => {
      subject ??= await (subjects[name] as () => Promise<Subject>)();
      const store = await subject.open();
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close().catch(() => undefined);
      await subject?.dispose();
      subject = undefined as unknown as Subject;
    });

    it("says whether replicas share it", async () => {
      expect((await open()).shared).toBe(name === "PostgreSQL");
    });

    it("claims a dedupe key once within its lifetime, then again after it; two replicas share the claim", async () => {
      const one = await open();
      const other = await open();
      expect(await one.claimOnce("slack:event:T1:Ev0123", 1_000, 600_000)).toBe(true);
      expect(await other.claimOnce("slack:event:T1:Ev0123", 2_000, 600_000)).toBe(false);
      expect(await one.claimOnce("slack:event:T1:Ev0123", 700_000, 600_000)).toBe(true);
      // Claims racing for one key: exactly one wins.
      const racing = await Promise.all(
        Array.from({ length: 10 }, (_, index) => (index % 2 ? one : other).claimOnce("race", 5_000, 600_000)),
      );
      expect(racing.filter(Boolean)).toHaveLength(1);
    });

    it("keeps button contexts under short keys, across replicas, and tells expired from unknown", async () => {
      const one = await open();
      const other = await open();
      await one.putButton("b7Kx", context, 0, 3_600_000);
      expect(await other.getButton("b7Kx", 1_000)).toEqual({ kind: "found", context });
      expect(await other.getButton("b7Kx", 3_600_001)).toEqual({ kind: "expired" });
      expect(await other.getButton("zzzz", 1_000)).toEqual({ kind: "missing" });
    });

    it("keeps conversation references and progress message IDs", async () => {
      const store = await open();
      const reference = { serviceUrl: "https://smba.example/", conversation: { id: "19:abc;messageid=1" } };
      await store.putConversation("teams:19:abc;messageid=1", reference);
      await store.putProgressMessage("run-1", "1732440000.000200");
      await store.putProgressMessage("run-1", "1732440000.000300");
      expect(await store.getConversation("teams:19:abc;messageid=1")).toEqual(reference);
      expect(await store.getConversation("nope")).toBeUndefined();
      expect(await store.getProgressMessage("run-1")).toBe("1732440000.000300");
      expect(await store.getProgressMessage("run-0")).toBeNull();
    });

    it("keeps runs in progress until they finish; noting a run again keeps its thread", async () => {
      const store = await open();
      const run = {
        key: "r1",
        platform: "slack" as const,
        user: "U1",
        channel: "C1",
        thread: null,
        command: "show cluster aks-plant-prod",
        runbook: "show-cluster",
        startedAt: "2026-11-24T09:00:00.000Z",
      };
      await store.startRun(run);
      await store.startRun({ ...run, thread: "1732440000.000100" });
      await store.startRun({ ...run, key: "r2", startedAt: "2026-11-24T09:01:00.000Z" });
      expect((await store.unfinishedRuns()).map((record) => [record.key, record.thread])).toEqual([
        ["r1", "1732440000.000100"],
        ["r2", null],
      ]);
      await store.finishRun("r1");
      expect((await store.unfinishedRuns()).map((record) => record.key)).toEqual(["r2"]);
      // One run by key, with what a resumed run needs (its requester and progress message): gone once finished.
      const requester = {
        platform: "slack" as const,
        user: "U1",
        userGroups: ["S1"],
        entraObjectId: null,
        channel: "C1",
      };
      await store.startRun({ ...run, key: "r3", requester, progressMessage: "1732440000.000200" });
      expect(await store.getRun("r3")).toEqual({ ...run, key: "r3", requester, progressMessage: "1732440000.000200" });
      expect(await store.getRun("r1")).toBeNull();
      // Noted once: a second note of the same key changes nothing.
      expect(await store.startRunOnce({ ...run, key: "r3", command: "whois 20.50.1.1" })).toBe(false);
      expect((await store.getRun("r3"))?.command).toBe("show cluster aks-plant-prod");
      await store.finishRun("r3");
      expect(await store.startRunOnce({ ...run, key: "r3" })).toBe(true);
      await store.finishRun("r3");
      // A heartbeat is noting the run again: the record keeps it.
      await store.startRun({
        ...run,
        key: "r2",
        startedAt: "2026-11-24T09:01:00.000Z",
        heartbeatAt: "2026-11-24T09:02:00.000Z",
      });
      expect((await store.unfinishedRuns())[0]?.heartbeatAt).toBe("2026-11-24T09:02:00.000Z");
    });

    it("lists audit records since a time, newest first, and keeps them (and buttons) across a restart", async () => {
      const first = await open();
      await first.recordAudit(audit("a1", "2026-11-24T08:00:00.000Z"));
      await first.recordAudit(audit("a2", "2026-11-24T09:30:00.000Z"));
      await first.putButton("b1", context, 0, 10_000);
      await first.close();
      const second = await open();
      expect((await second.listAudit(Date.parse("2026-11-24T09:00:00.000Z"))).map((record) => record.id)).toEqual([
        "a2",
      ]);
      expect((await second.listAudit(0)).map((record) => record.id)).toEqual(["a2", "a1"]);
      expect((await second.getButton("b1", 5_000)).kind).toBe("found");
    });

    it("chains the audit: every record bound to the one before, across a restart and concurrent writers", async () => {
      const one = await open();
      const other = await open();
      await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          (index % 2 ? one : other).recordAudit(
            audit(`c${index}`, `2026-11-24T09:${String(index).padStart(2, "0")}:00.000Z`),
          ),
        ),
      );
      await one.close();
      const again = await open();
      await again.recordAudit(audit("after-restart", "2026-11-24T10:00:00.000Z"));
      const ledger = await again.listLedger();
      expect(ledger.map((entry) => entry.seq)).toEqual(Array.from({ length: 21 }, (_, index) => index + 1));
      expect(verifyAuditChain(ledger)).toEqual({ ok: true, count: 21, head: ledger.at(-1)?.hash });
      // Paged from a verified prefix, the rest verifies on its own.
      const rest = await again.listLedger(10);
      expect(verifyAuditChain(rest, ledger[9]?.hash, 10)).toMatchObject({ ok: true, count: 11 });
    });

    it("counts rate limits per key in a sliding window, shared by replicas; refusals say when to retry", async () => {
      const one = await open();
      const other = await open();
      const limit = { count: 2, perInMs: 1000 };
      expect(await one.takeRate("user:slack:U1", 0, limit)).toEqual({ allowed: true });
      expect(await other.takeRate("user:slack:U1", 100, limit)).toEqual({ allowed: true });
      expect(await one.takeRate("user:slack:U1", 200, limit)).toEqual({ allowed: false, retryInMs: 800 });
      expect(await other.takeRate("user:slack:U2", 200, limit)).toEqual({ allowed: true });
      // The refused hit was not counted: at 1001 the first hit has left the window.
      expect(await other.takeRate("user:slack:U1", 1001, limit)).toEqual({ allowed: true });
      // Ten racing commands against a limit of three, from two replicas: exactly three pass.
      const racing = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          (index % 2 ? one : other).takeRate("channel:slack:C9", 5000, { count: 3, perInMs: 60_000 }),
        ),
      );
      expect(racing.filter((decision) => decision.allowed)).toHaveLength(3);
    });

    it("keeps bundles for their links until they expire, and one shared key for every replica", async () => {
      const one = await open();
      const other = await open();
      const bundle = { schema: "egress.evidence/v1", runId: "r-1", findings: [{ code: "X" }] };
      await one.putBundle("r-1", bundle, 0, 1000);
      expect(await other.getBundle("r-1", 500)).toEqual(bundle);
      expect(await other.getBundle("r-1", 1000)).toBeUndefined();
      expect(await other.getBundle("r-0", 0)).toBeUndefined();
      const [first, second] = await Promise.all([one.sharedKey("bundle-links"), other.sharedKey("bundle-links")]);
      expect(first).toMatch(/^[\w-]{43}$/);
      expect(second).toBe(first);
      expect(await one.sharedKey("another")).not.toBe(first);
    });

    it("keeps partner handovers for good, newest first, per partner by its compared name, across replicas", async () => {
      const one = await open();
      const other = await open();
      await one.recordHandover(
        handover("h1", "Contoso Payments", "aks-a", "2026-11-01T10:00:00.000Z", ["20.0.0.0/30"]),
      );
      await other.recordHandover(handover("h2", "Fabrikam", "aks-a", "2026-11-02T10:00:00.000Z", ["20.0.0.0/30"]));
      await one.recordHandover(
        handover("h3", "contoso  payments", "aks-a", "2026-11-03T10:00:00.000Z", ["20.0.1.0/30"]),
      );
      expect((await other.listHandovers()).map((entry) => entry.id)).toEqual(["h3", "h2", "h1"]);
      const contoso = await one.listHandovers(partnerKeyOf("CONTOSO payments"));
      expect(contoso.map((entry) => [entry.id, entry.cidrs])).toEqual([
        ["h3", ["20.0.1.0/30"]],
        ["h1", ["20.0.0.0/30"]],
      ]);
      expect(contoso[0]).toEqual(
        handover("h3", "contoso  payments", "aks-a", "2026-11-03T10:00:00.000Z", ["20.0.1.0/30"]),
      );
      expect(await one.listHandovers("nobody")).toEqual([]);
    });

    it("keeps egress snapshots per cluster in any case of its ID: the newest of each, and a cluster's history", async () => {
      const one = await open();
      const other = await open();
      await one.putSnapshot(snapshot("aks-a", "2026-11-01T10:00:00.000Z", ["20.0.0.1/32"]));
      await other.putSnapshot(snapshot("aks-b", "2026-11-01T10:00:00.000Z", ["20.0.0.2/32"]));
      await one.putSnapshot(snapshot("AKS-A", "2026-11-02T10:00:00.000Z", ["20.0.0.9/32"]));
      const latest = await other.latestSnapshots();
      expect(latest.map((entry) => [entry.clusterName, entry.pools[0]?.sourceCidrs]).sort()).toEqual([
        ["AKS-A", ["20.0.0.9/32"]],
        ["aks-b", ["20.0.0.2/32"]],
      ]);
      expect((await one.listSnapshots(clusterIdOf("aks-a"))).map((entry) => entry.takenAt)).toEqual([
        "2026-11-02T10:00:00.000Z",
        "2026-11-01T10:00:00.000Z",
      ]);
      expect(await one.listSnapshots(clusterIdOf("aks-a"), 1)).toHaveLength(1);
    });

    it("names the first broken link when a record is changed, and when one is removed", async () => {
      const store = await open();
      for (const index of [1, 2, 3, 4]) await store.recordAudit(audit(`t${index}`, `2026-11-24T0${index}:00:00.000Z`));
      await subject.tamper({
        sqlite: "update audit set outcome = 'refused' where id = 't2'",
        postgres: "update egress_audit set outcome = 'refused' where id = 't2'",
      });
      expect(verifyAuditChain(await store.listLedger())).toEqual({
        ok: false,
        count: 1,
        seq: 2,
        reason: "record 2 was changed after it was written: its hash does not match its content",
      });
      await subject.tamper({
        sqlite: "update audit set outcome = 'succeeded' where id = 't2'; delete from audit where id = 't3'",
        postgres:
          "update egress_audit set outcome = 'succeeded' where id = 't2'; delete from egress_audit where id = 't3'",
      });
      expect(verifyAuditChain(await store.listLedger())).toMatchObject({
        ok: false,
        seq: 4,
        reason: expect.stringContaining("record 3 is missing"),
      });
    });
  },
);

(postgresUp ? describe : describe.skip)("PostgreSQL start-up (skipped only where no PostgreSQL answers)", () => {
  it("replicas starting together apply each migration once, under the advisory lock", async () => {
    const schema = await freshSchema();
    try {
      const stores = await Promise.all(
        [1, 2, 3].map(() => openPostgresStateStore({ connectionString: schema.connectionString, maxConnections: 2 })),
      );
      const { rows } = await schema.query("select version from egress_schema_migrations order by version");
      expect(rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
      expect(await stores[0]?.claimOnce("k", 0, 1000)).toBe(true);
      expect(await stores[2]?.claimOnce("k", 1, 1000)).toBe(false);
      for (const store of stores) await store.close();
    } finally {
      await schema.drop();
    }
  });
});
