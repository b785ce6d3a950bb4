import { excludeCidr } from "cidr-tools";
import { rangeContains } from "../egress/source-cidrs.js";
import type { FleetCluster } from "../fleet/fleet-report.js";
import type { PartnerHandover } from "../partners/partner-handover.js";
import type { ClusterChange, DriftReport } from "./drift-report.js";
import type { EgressSnapshot, SnapshotPool } from "./egress-snapshot.js";

/** A fleet row as a snapshot. */
export function snapshotOf(row: FleetCluster, takenAt: string): EgressSnapshot {
  return {
    clusterId: row.id,
    clusterName: row.name,
    resourceGroup: row.resourceGroup,
    subscriptionId: row.subscriptionId,
    outboundType: row.outboundType,
    takenAt,
    needsFullRead: row.needsFullRead,
    pools: row.pools.map((pool) => ({
      name: pool.name,
      kind: pool.kind,
      sources: pool.sources,
      sourceCidrs: [...pool.sourceCidrs],
      podSourceCidrs: pool.podSourceCidrs ? [...pool.podSourceCidrs] : null,
      reason: pool.reason,
    })),
  };
}

/** Every public source of a snapshot (nodes and pods), sorted, once each. */
export const sourcesOf = (snapshot: EgressSnapshot): string[] =>
  [...new Set(snapshot.pools.flatMap((pool) => [...pool.sourceCidrs, ...(pool.podSourceCidrs ?? [])]))].sort();

/** A snapshot pool in words: its kind and its sources (`natGateway, 20.0.0.0/30`, `unknown, sources unknown`). */
export const describePool = (pool: SnapshotPool): string =>
  `${pool.kind}, ${pool.sources === "known" ? pool.sourceCidrs.join(" ") || "no source" : `sources ${pool.sources}`}`;

/** What changed in a cluster between two snapshots, one line per change; empty when nothing did. */
export function changedLines(before: EgressSnapshot, after: EgressSnapshot): string[] {
  const lines: string[] = [];
  if (before.outboundType !== after.outboundType)
    lines.push(`outbound type ${before.outboundType} → ${after.outboundType}`);
  const earlier = new Map(before.pools.map((pool) => [pool.name, pool]));
  const later = new Map(after.pools.map((pool) => [pool.name, pool]));
  for (const pool of after.pools) {
    const old = earlier.get(pool.name);
    if (!old) lines.push(`new node pool ${pool.name}: ${describePool(pool)}`);
    else if (
      describePool(old) !== describePool(pool) ||
      (old.podSourceCidrs ?? []).join() !== (pool.podSourceCidrs ?? []).join()
    )
      lines.push(`${pool.name}: ${describePool(old)} → ${describePool(pool)}`);
  }
  for (const pool of before.pools) if (!later.has(pool.name)) lines.push(`node pool ${pool.name} removed`);
  return lines;
}

/** The sources of a cluster a handover does not cover (a source is covered when a handed CIDR holds it). */
const uncoveredBy = (sources: readonly string[], cidrs: readonly string[]): string[] =>
  sources.filter((source) => !cidrs.some((cidr) => rangeContains(cidr, source)));

/** The parts of the handed CIDRs no source uses (a /31 of two addresses, one swapped away, leaves a /32). */
function idleParts(handed: readonly string[], sources: readonly string[]): string[] {
  try {
    return sources.length === 0 ? [...handed] : excludeCidr([...handed], [...sources]);
  } catch {
    // A CIDR cidr-tools refuses: say nothing is idle rather than guess.
    return [];
  }
}

/**
 * The drift of a fleet: each cluster against its last snapshot (new, changed, gone), and each
 * standing partner allowlist against the cluster's sources now: broken (a source it does not cover),
 * idle (a handed CIDR no source uses), or unchecked with why (sources unknown, a cluster missing from
 * the inventory). A pool whose sources are unknown breaks nothing and frees nothing. Pure.
 */
export function compareDrift(
  current: readonly EgressSnapshot[],
  previous: readonly EgressSnapshot[],
  standing: readonly PartnerHandover[],
  asOf: string,
): DriftReport {
  const key = (id: string) => id.toLowerCase();
  const before = new Map(previous.map((snapshot) => [key(snapshot.clusterId), snapshot]));
  const now = new Map(current.map((snapshot) => [key(snapshot.clusterId), snapshot]));
  const name = (snapshot: EgressSnapshot) => `${snapshot.resourceGroup}/${snapshot.clusterName}`;
  const changes: ClusterChange[] = [];
  for (const snapshot of current) {
    const old = before.get(key(snapshot.clusterId));
    if (!old) {
      if (previous.length > 0)
        changes.push({
          clusterId: snapshot.clusterId,
          cluster: name(snapshot),
          kind: "new",
          lines: snapshot.pools.map((pool) => `node pool ${pool.name}: ${describePool(pool)}`),
          sourcesBefore: [],
          sourcesAfter: sourcesOf(snapshot),
        });
      continue;
    }
    const lines = changedLines(old, snapshot);
    if (lines.length > 0)
      changes.push({
        clusterId: snapshot.clusterId,
        cluster: name(snapshot),
        kind: "changed",
        lines,
        sourcesBefore: sourcesOf(old),
        sourcesAfter: sourcesOf(snapshot),
      });
  }
  for (const old of previous)
    if (!now.has(key(old.clusterId)))
      changes.push({
        clusterId: old.clusterId,
        cluster: name(old),
        kind: "gone",
        lines: ["no longer in the inventory (deleted, or the bot may no longer read it)"],
        sourcesBefore: sourcesOf(old),
        sourcesAfter: [],
      });

  const report: DriftReport = {
    asOf,
    clustersScanned: current.length,
    baseline: previous.length > 0,
    changes,
    breaks: [],
    idle: [],
    unchecked: [],
  };
  for (const handover of standing) {
    const cluster = `${handover.resourceGroup}/${handover.clusterName}`;
    const snapshot = now.get(key(handover.clusterId));
    if (!snapshot) {
      report.unchecked.push({ partner: handover.partner, cluster, reason: "the cluster is not in the inventory" });
      continue;
    }
    const unknown = snapshot.pools.filter((pool) => pool.sources === "unknown");
    if (unknown.length > 0) {
      report.unchecked.push({
        partner: handover.partner,
        cluster,
        reason: `sources unknown for ${unknown.map((pool) => `${pool.name} (${pool.reason ?? "no reason given"})`).join(", ")}`,
      });
      continue;
    }
    const sources = sourcesOf(snapshot);
    const uncovered = uncoveredBy(sources, handover.cidrs);
    if (uncovered.length > 0)
      report.breaks.push({
        partner: handover.partner,
        clusterId: handover.clusterId,
        cluster,
        uncovered,
        pools: snapshot.pools
          .filter((pool) =>
            [...pool.sourceCidrs, ...(pool.podSourceCidrs ?? [])].some((cidr) => uncovered.includes(cidr)),
          )
          .map((pool) => pool.name),
        handedAt: handover.handedAt,
        digest: handover.bundleDigest,
      });
    const idle = idleParts(handover.cidrs, sources);
    if (idle.length > 0) report.idle.push({ partner: handover.partner, cluster, idle });
  }
  return report;
}
