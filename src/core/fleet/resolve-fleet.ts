import type { ClusterGraph } from "../azure/cluster-graph.js";
import type { EgressInventory } from "../azure/egress-inventory.js";
import type { ManagedCluster } from "../azure/model.js";
import { resourceKey } from "../azure/resource-id.js";
import { readClusterGraph } from "../azure/read-cluster-graph.js";
import { clusterIdentityOf } from "../egress/report/egress-report.js";
import type { NodePoolEgress } from "../egress/egress-model.js";
import { resolveClusterEgress } from "../egress/resolve-cluster-egress.js";
import type { Read } from "../ports/azure-read-port.js";
import type { FleetCluster, FleetPool } from "./fleet-report.js";
import { indexInventory, inventoryReadPort, type BeyondInventory, type InventoryIndex } from "./inventory-read-port.js";

/** A cluster of the fleet with the graph its answer rests on (for whois and what-if). */
export interface ResolvedFleetCluster {
  readonly row: FleetCluster;
  readonly graph: ClusterGraph;
  /** The resolver's own answer per pool (paths with the resources they cross). */
  readonly nodePools: readonly NodePoolEgress[];
}

/** Which clusters to resolve. */
export interface FleetFilter {
  readonly subscription?: string | null;
  readonly outboundType?: string | null;
}

/** Whether a cluster passes the filter (subscription and outbound type, case-insensitively). */
export function inFleetFilter(cluster: ManagedCluster, filter: FleetFilter): boolean {
  return (
    (!filter.subscription || cluster.subscriptionId.toLowerCase() === filter.subscription.toLowerCase()) &&
    (!filter.outboundType || cluster.outboundType.toLowerCase() === filter.outboundType.toLowerCase())
  );
}

/**
 * Resolves one cluster of the inventory with the resolver `show cluster` runs, its reads answered
 * from the inventory. A path that hangs on Virtual WAN routing (hub connections and routing intent
 * are not in Resource Graph) is not guessed: the cluster says it needs a full read and its pools'
 * sources are unknown.
 */
export async function resolveFleetCluster(
  index: InventoryIndex,
  read: Pick<Read<EgressInventory>, "asOf" | "source">,
  cluster: ManagedCluster,
  simulated: boolean,
): Promise<ResolvedFleetCluster> {
  const beyond: BeyondInventory = { virtualWan: [], effectiveRoutes: [] };
  const port = inventoryReadPort(index, { asOf: read.asOf, source: read.source, simulated }, beyond);
  const graph = await readClusterGraph(port, cluster.id);
  const egress = resolveClusterEgress(graph);
  // A route table that disables gateway route propagation keeps a hub's routes out (as the resolver
  // models it): only subnets without one can be routed by Virtual WAN.
  const hubRoutable = cluster.agentPools
    .flatMap((pool) => [pool.vnetSubnetId, pool.podSubnetId])
    .filter((id): id is string => id !== null)
    .some((id) => {
      const subnet = graph.subnets.get(resourceKey(id));
      const table = subnet?.routeTableId ? graph.routeTables.get(resourceKey(subnet.routeTableId)) : undefined;
      return !table?.disableBgpRoutePropagation;
    });
  const needsFullRead =
    beyond.virtualWan.length > 0 && hubRoutable
      ? `its VNet is peered and Virtual WAN hubs exist: a hub's connections and routing intent, which can route its internet traffic, are not in Resource Graph. Run \`show cluster ${cluster.resourceGroup}/${cluster.name}\`.`
      : null;
  const bgp = [...egress.details.values()].map((detail) => detail.node.bgpMayAdd).find((reason) => reason !== null);
  const pools = egress.nodePools.map((pool): FleetPool => ({
    name: pool.name,
    mode: pool.mode,
    kind: needsFullRead ? "unknown" : pool.egress.kind,
    snatBy: needsFullRead ? "unknown" : pool.egress.snatBy.type,
    snatResourceId: needsFullRead ? null : pool.egress.snatBy.resourceId,
    sourceCidrs: needsFullRead ? [] : [...pool.sourceCidrs],
    sources: needsFullRead ? "unknown" : pool.sources.state,
    reason: needsFullRead ? `Resource Graph cannot show this path: ${needsFullRead}` : pool.sources.reason,
    nodeSubnetId: pool.nodeSubnetId,
    podKind: needsFullRead ? null : (pool.podEgress?.kind ?? null),
    podSourceCidrs: needsFullRead ? null : pool.podSourceCidrs ? [...pool.podSourceCidrs] : null,
  }));
  return {
    row: {
      ...clusterIdentityOf(cluster),
      needsFullRead,
      caveat: needsFullRead
        ? null
        : bgp
          ? `configured routes only (effective routes are not in Resource Graph): ${bgp}`
          : null,
      pools,
    },
    graph,
    nodePools: egress.nodePools,
  };
}

/**
 * The whole fleet from one inventory: every cluster resolved, in subscription, resource group and
 * name order (`fleet` filters the rows). Pure apart from awaiting the in-memory reads.
 */
export async function resolveFleet(read: Read<EgressInventory>, simulated: boolean): Promise<ResolvedFleetCluster[]> {
  const index = indexInventory(read.value);
  const clusters = [...read.value.clusters].sort(
    (a, b) =>
      a.subscriptionId.localeCompare(b.subscriptionId) ||
      a.resourceGroup.localeCompare(b.resourceGroup) ||
      a.name.localeCompare(b.name),
  );
  const resolved: ResolvedFleetCluster[] = [];
  for (const cluster of clusters) resolved.push(await resolveFleetCluster(index, read, cluster, simulated));
  return resolved;
}

// One resolution per inventory read: the fleet, whois and the drift watch asking within the read
// cache's TTL get the same inventory object, so they share its resolution too.
const resolvedByInventory = new WeakMap<EgressInventory, Promise<ResolvedFleetCluster[]>>();

/** The whole fleet of an inventory resolved once and remembered for as long as the inventory lives. */
export function resolvedFleetOf(read: Read<EgressInventory>, simulated: boolean): Promise<ResolvedFleetCluster[]> {
  const known = resolvedByInventory.get(read.value);
  if (known) return known;
  const resolving = resolveFleet(read, simulated);
  resolvedByInventory.set(read.value, resolving);
  // A failure is not remembered: the next caller tries again.
  resolving.catch(() => resolvedByInventory.delete(read.value));
  return resolving;
}
