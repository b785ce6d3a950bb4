import { describe, expect, it } from "@jest/globals";
import { runCli } from "../../adapters/cli/run-cli.js";
import { openStateStore, partnerKeyOf, type StateStore } from "../../src/index.js";
import { FakeClock } from "../support/fake-clock.js";
import { sequentialIds } from "../support/fixed-ids.js";
import { memoryIo } from "../support/memory-io.js";

const claims =
  "/subscriptions/7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b/resourceGroups/rg-claims-prod/providers/Microsoft.ContainerService/managedClusters/aks-claims-prod";

async function egress(store: StateStore, args: string[]) {
  const io = memoryIo({ USER: "tester" });
  const clock = new FakeClock();
  const code = await runCli([...args, "--world", "demo"], io, {
    ids: sequentialIds(),
    clock,
    azure: { now: () => clock.now() },
    store,
  });
  return { code, out: io.out(), err: io.err() };
}

describe("egress drift as a CI gate", () => {
  it("exits 1 with --fail-on break when a partner's allowlist no longer covers a cluster, 0 without the flag", async () => {
    const store = await openStateStore(":memory:");
    expect((await egress(store, ["drift", "--fail-on", "break"])).code).toBe(0);
    // Contoso was once handed another prefix than the one aks-claims-prod leaves through now.
    await store.recordHandover({
      id: "h1",
      partner: "Contoso",
      partnerKey: partnerKeyOf("Contoso"),
      clusterId: claims,
      clusterName: "aks-claims-prod",
      resourceGroup: "rg-claims-prod",
      subscriptionId: "7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b",
      cidrs: ["20.31.18.0/30"],
      addresses: [],
      nodePools: [],
      handedBy: { platform: "slack", user: "U0NETSEC" },
      handedAt: "2026-11-01T10:00:00.000Z",
      bundleDigest: "sha256:0d",
      runId: "run-0",
      simulated: true,
    });
    const gate = await egress(store, ["drift", "--fail-on", "break"]);
    expect(gate.code).toBe(1);
    expect(gate.out).toContain("Partner allowlists broken");
    expect(gate.out).toMatch(/Contoso +rg-claims-prod\/aks-claims-prod +20\.31\.18\.40\/30 +system, claims/);
    expect(gate.out).toContain("PARTNER_ALLOWLIST_BROKEN");
    expect(gate.out).toMatch(/Contoso +rg-claims-prod\/aks-claims-prod +20\.31\.18\.0\/30/);
    expect((await egress(store, ["drift"])).code).toBe(0);
    // The gate takes no snapshot: the watch owns the baseline.
    expect(await store.latestSnapshots()).toEqual([]);
  });
  it("drift history names a cluster's kept snapshots", async () => {
    const store = await openStateStore(":memory:");
    const history = await egress(store, ["drift", "history", "aks-claims-prod"]);
    expect(history.code).toBe(0);
    expect(history.out).toContain("Egress history of rg-claims-prod/aks-claims-prod");
    expect(history.out).toContain("No snapshot yet");
  });
});
