import { describe, expect, it } from "@jest/globals";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStateStore } from "../../../src/store/sqlite-state-store.js";

const audit = (id: string, startedAt: string) => ({
  id,
  platform: "slack" as const,
  user: "U0ALICE",
  channel: "C0INCIDENT",
  thread: "1732440000.000100",
  command: "triage aks-plant-prod --since 1h",
  runbook: "triage",
  outcome: "succeeded",
  digest: "sha256:ab",
  startedAt,
  finishedAt: startedAt,
});

describe("the sqlite state store", () => {
  it("claims a dedupe key once within its lifetime, then again after it", () => {
    const store = openSqliteStateStore(":memory:");
    expect(store.claimOnce("Ev0123", 1_000, 600_000)).toBe(true);
    expect(store.claimOnce("Ev0123", 2_000, 600_000)).toBe(false);
    expect(store.claimOnce("Ev0123", 700_000, 600_000)).toBe(true);
  });
  it("keeps button contexts under short keys and tells expired from unknown", () => {
    const store = openSqliteStateStore(":memory:");
    const context = {
      command: "denies rg/aks --since 1d",
      platform: "slack" as const,
      channel: "C1",
      thread: "1.2",
      requestedBy: "U1",
    };
    store.putButton("b7Kx", context, 0, 3_600_000);
    expect(store.getButton("b7Kx", 1_000)).toEqual({ kind: "found", context });
    expect(store.getButton("b7Kx", 3_600_001)).toEqual({ kind: "expired" });
    expect(store.getButton("zzzz", 1_000)).toEqual({ kind: "missing" });
  });
  it("keeps conversation references and progress message IDs", () => {
    const store = openSqliteStateStore(":memory:");
    store.putConversation("teams:19:abc;messageid=1", {
      serviceUrl: "https://smba.example/",
      conversation: { id: "19:abc;messageid=1" },
    });
    store.putProgressMessage("run-1", "1732440000.000200");
    store.putProgressMessage("run-1", "1732440000.000300");
    expect(store.getConversation("teams:19:abc;messageid=1")).toEqual({
      serviceUrl: "https://smba.example/",
      conversation: { id: "19:abc;messageid=1" },
    });
    expect(store.getConversation("nope")).toBeUndefined();
    expect(store.getProgressMessage("run-1")).toBe("1732440000.000300");
  });
  it("lists audit records since a time, newest first, and keeps them across a restart", () => {
    const directory = mkdtempSync(join(tmpdir(), "egress-state-"));
    const first = openSqliteStateStore(directory);
    first.recordAudit(audit("a1", "2026-11-24T08:00:00.000Z"));
    first.recordAudit(audit("a2", "2026-11-24T09:30:00.000Z"));
    first.putButton(
      "b1",
      { command: "help", platform: "slack", channel: null, thread: null, requestedBy: null },
      0,
      10_000,
    );
    first.close();
    const second = openSqliteStateStore(directory);
    expect(second.listAudit(Date.parse("2026-11-24T09:00:00.000Z")).map((record) => record.id)).toEqual(["a2"]);
    expect(second.listAudit(0).map((record) => record.id)).toEqual(["a2", "a1"]);
    expect(second.getButton("b1", 5_000).kind).toBe("found");
    second.close();
  });
});
