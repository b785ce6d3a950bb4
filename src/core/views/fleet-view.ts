import type { FleetCluster, FleetPool, FleetReport } from "../fleet/fleet-report.js";
import { toCsv } from "./csv.js";
import type { ViewTable } from "./view-tables.js";

/** A pool's sources in a cell: the CIDRs, or the state with why. */
function sourcesCell(pool: FleetPool): string {
  if (pool.sources === "known") return pool.sourceCidrs.join(" ") || "(none listed)";
  return `${pool.sources}${pool.reason ? `: ${pool.reason}` : ""}`;
}

const clusterCell = (cluster: FleetCluster): string => `${cluster.resourceGroup}/${cluster.name}`;
const egressCell = (pool: FleetPool): string =>
  `${pool.kind}${pool.podKind && pool.podKind !== pool.kind ? ` (pods: ${pool.podKind})` : ""}`;

/** The fleet as a table: one row per node pool (a cluster without pools has one row). */
export function fleetTable(report: FleetReport): ViewTable {
  return {
    headers: ["CLUSTER", "SUBSCRIPTION", "LOCATION", "OUTBOUND TYPE", "POOL", "EGRESS", "SOURCES"],
    rows: report.clusters.flatMap((cluster) => {
      const pools = cluster.pools.length > 0 ? cluster.pools : [null];
      return pools.map((pool) => [
        clusterCell(cluster),
        cluster.subscriptionId,
        cluster.location,
        cluster.outboundType,
        pool?.name ?? "",
        pool ? egressCell(pool) : "",
        pool ? sourcesCell(pool) : "no node pools",
      ]);
    }),
  };
}

/** One line about the fleet: how many clusters, pools, unknowns and full reads needed, and how it was read. */
export function fleetSummary(report: FleetReport): string {
  const pools = report.clusters.flatMap((cluster) => cluster.pools);
  const unknown = pools.filter((pool) => pool.sources === "unknown").length;
  const none = pools.filter((pool) => pool.sources === "none").length;
  const fullRead = report.clusters.filter((cluster) => cluster.needsFullRead).length;
  const filters = [
    report.filter.subscription ? `subscription ${report.filter.subscription}` : null,
    report.filter.outboundType ? `outbound type ${report.filter.outboundType}` : null,
  ].filter((part): part is string => part !== null);
  return [
    `${report.clusters.length} cluster(s), ${pools.length} node pool(s) in ${report.subscriptions.length} subscription(s)${filters.length > 0 ? ` (${filters.join(", ")})` : ""}`,
    unknown > 0 ? `${unknown} pool(s) with unknown sources` : null,
    none > 0 ? `${none} pool(s) with no path` : null,
    fullRead > 0 ? `${fullRead} cluster(s) need \`show cluster\` (Virtual WAN routing is not in Resource Graph)` : null,
    `Resource Graph as of ${report.asOf}`,
  ]
    .filter((part): part is string => part !== null)
    .join(" · ");
}

/** The fleet as CSV: one row per node pool, every field a spreadsheet needs to filter on. */
export function fleetCsv(report: FleetReport): string {
  return toCsv(
    [
      "subscription_id",
      "resource_group",
      "cluster",
      "location",
      "outbound_type",
      "pool",
      "mode",
      "egress_kind",
      "snat_by",
      "snat_resource_id",
      "sources_state",
      "source_cidrs",
      "pod_egress_kind",
      "pod_source_cidrs",
      "reason",
      "as_of",
    ],
    report.clusters.flatMap((cluster) =>
      cluster.pools.map((pool) => [
        cluster.subscriptionId,
        cluster.resourceGroup,
        cluster.name,
        cluster.location,
        cluster.outboundType,
        pool.name,
        pool.mode ?? "",
        pool.kind,
        pool.snatBy,
        pool.snatResourceId ?? "",
        pool.sources,
        pool.sourceCidrs.join(" "),
        pool.podKind ?? "",
        (pool.podSourceCidrs ?? []).join(" "),
        pool.reason ?? cluster.caveat ?? "",
        report.asOf,
      ]),
    ),
  );
}
