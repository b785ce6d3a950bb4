import { describe, expect, it } from "@jest/globals";
import { compareDrift } from "../../../src/core/drift/compare-drift.js";
import type { EgressSnapshot, SnapshotPool } from "../../../src/core/drift/egress-snapshot.js";
import { partnerKeyOf, type PartnerHandover } from "../../../src/core/partners/partner-handover.js";

const id = (name: string) =>
  `/subscriptions/3f2c9a4e-8b1d-4c6e-9f0a-2d7b5e8c1a94/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/${name}`;
const pool = (sources: SnapshotPool["sources"], cidrs: string[], reason: string | null = null): SnapshotPool => ({
  name: "system",
  kind: sources === "known" ? "natGateway" : "unknown",
  sources,
  sourceCidrs: cidrs,
  podSourceCidrs: null,
  reason,
});
const snapshot = (name: string, pools: SnapshotPool[]): EgressSnapshot => ({
  clusterId: id(name),
  clusterName: name,
  resourceGroup: "rg",
  subscriptionId: "3f2c9a4e-8b1d-4c6e-9f0a-2d7b5e8c1a94",
  outboundType: "userAssignedNATGateway",
  takenAt: "2026-12-01T00:00:00.000Z",
  needsFullRead: null,
  pools,
});
const handover = (name: string, cidrs: string[]): PartnerHandover => ({
  id: `h-${name}`,
  partner: "Contoso",
  partnerKey: partnerKeyOf("Contoso"),
  clusterId: id(name).toUpperCase(),
  clusterName: name,
  resourceGroup: "rg",
  subscriptionId: "3f2c9a4e-8b1d-4c6e-9f0a-2d7b5e8c1a94",
  cidrs,
  addresses: [],
  nodePools: [],
  handedBy: { platform: "cli", user: "ops" },
  handedAt: "2026-11-01T00:00:00.000Z",
  bundleDigest: "sha256:ab",
  runId: "run-1",
  simulated: false,
});

describe("compareDrift", () => {
  it("the first comparison records without reporting changes, but reports an allowlist already broken", () => {
    const drift = compareDrift(
      [snapshot("a", [pool("known", ["20.0.0.9/32"])])],
      [],
      [handover("a", ["20.0.0.1/32"])],
      "now",
    );
    expect(drift.baseline).toBe(false);
    expect(drift.changes).toEqual([]);
    expect(drift.breaks.map((broken) => broken.uncovered)).toEqual([["20.0.0.9/32"]]);
  });
  it("a source covered by a larger handed prefix breaks nothing; a handed prefix no source uses is idle", () => {
    const drift = compareDrift(
      [snapshot("a", [pool("known", ["20.0.0.4/32"])])],
      [snapshot("a", [pool("known", ["20.0.0.4/32"])])],
      [handover("a", ["20.0.0.0/29", "20.1.0.0/30"])],
      "now",
    );
    expect(drift.breaks).toEqual([]);
    expect(drift.idle).toEqual([
      {
        partner: "Contoso",
        cluster: "rg/a",
        idle: ["20.0.0.0/30", "20.0.0.5/32", "20.0.0.6/31", "20.1.0.0/30"],
      },
    ]);
  });
  it("unknown sources neither break nor free an allowlist: it is unchecked, with why", () => {
    const drift = compareDrift(
      [snapshot("a", [pool("unknown", [], "the NAT gateway could not be read (AZURE_FORBIDDEN)")])],
      [snapshot("a", [pool("known", ["20.0.0.1/32"])])],
      [handover("a", ["20.0.0.1/32"])],
      "now",
    );
    expect([drift.breaks, drift.idle]).toEqual([[], []]);
    expect(drift.unchecked).toEqual([
      {
        partner: "Contoso",
        cluster: "rg/a",
        reason: "sources unknown for system (the NAT gateway could not be read (AZURE_FORBIDDEN))",
      },
    ]);
    expect(drift.changes[0]?.lines).toEqual(["system: natGateway, 20.0.0.1/32 → unknown, sources unknown"]);
  });
  it("a cluster gone from the inventory is a change, and its allowlists are unchecked", () => {
    const drift = compareDrift(
      [],
      [snapshot("a", [pool("known", ["20.0.0.1/32"])])],
      [handover("a", ["20.0.0.1/32"])],
      "now",
    );
    expect(drift.changes).toEqual([
      expect.objectContaining({ kind: "gone", cluster: "rg/a", sourcesBefore: ["20.0.0.1/32"] }),
    ]);
    expect(drift.unchecked).toEqual([
      { partner: "Contoso", cluster: "rg/a", reason: "the cluster is not in the inventory" },
    ]);
  });
});
