import { describe, expect, it } from "@jest/globals";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { verifyAuditChain } from "../../../src/core/audit/audit-chain.js";
import { openSqliteStateStore } from "../../../src/store/sqlite-state-store.js";

describe("the embedded store's migrations", () => {
  it("brings a file an earlier release wrote up to date, chaining its audit records in the order they were written", async () => {
    const directory = mkdtempSync(join(tmpdir(), "egress-old-state-"));
    // The schema as the release before the ledger left it (user_version 0, no hashes).
    const old = new DatabaseSync(join(directory, "egress-state.db"));
    old.exec(`
      create table audit (
        id text primary key, platform text not null, user text, channel text, thread text, command text not null,
        runbook text, outcome text not null, digest text, started_at text not null, finished_at text not null);
      create table buttons (key text primary key, context text not null, expires_at integer not null);
      insert into audit values ('old-1', 'slack', 'U1', 'C1', null, 'whois 20.50.10.10', 'whois', 'succeeded', null,
        '2026-11-20T09:00:00.000Z', '2026-11-20T09:00:01.000Z');
      insert into audit values ('old-2', 'cli', 'ops', null, null, 'show cluster aks-plant-prod', 'show-cluster',
        'partial', 'sha256:ab', '2026-11-20T08:00:00.000Z', '2026-11-20T08:00:05.000Z');
      insert into buttons values ('kept', '{"command":"help","platform":"slack","channel":null,"thread":null,"requestedBy":null}', 9999999999999);
    `);
    old.close();

    const store = openSqliteStateStore(directory);
    await store.recordAudit({
      id: "new-1",
      platform: "teams",
      user: "Carol",
      channel: null,
      thread: null,
      command: "denies aks-plant-prod",
      runbook: "denies",
      outcome: "succeeded",
      digest: null,
      startedAt: "2026-12-02T10:00:00.000Z",
      finishedAt: "2026-12-02T10:00:02.000Z",
    });
    const ledger = await store.listLedger();
    // Written order (rowid), not start time: old-2 started first but was written second.
    expect(ledger.map((entry) => [entry.seq, entry.record.id])).toEqual([
      [1, "old-1"],
      [2, "old-2"],
      [3, "new-1"],
    ]);
    expect(verifyAuditChain(ledger)).toMatchObject({ ok: true, count: 3 });
    expect((await store.getButton("kept", 0)).kind).toBe("found");
    await store.close();
    // Opening again applies nothing twice.
    const again = openSqliteStateStore(directory);
    expect(verifyAuditChain(await again.listLedger())).toMatchObject({ ok: true, count: 3 });
    await again.close();
  });
});
