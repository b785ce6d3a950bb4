import type { ClusterGraph } from "../azure/cluster-graph.js";
import { expectedKinds, type NodePoolEgress } from "./egress-model.js";
import type { Destination } from "../commands/value-syntax.js";
import type { DestinationRoute } from "./egress-model.js";
import { resolveSubnetEgress, type SubnetEgress } from "./resolve-subnet-egress.js";
import { selectRoute } from "./routes/select-route.js";

/** The resolution of every pool, with the per-subnet details findings need. */
export interface ClusterEgress {
  readonly nodePools: readonly NodePoolEgress[];
  /** By pool name: the node subnet's resolution (and the pod subnet's, when pods take VNet IPs). */
  readonly details: ReadonlyMap<string, { readonly node: SubnetEgress; readonly pod: SubnetEgress | null }>;
}

/**
 * Resolves, per node pool, how nodes leave the cluster (their subnet) and, where pods take VNet IPs
 * from a pod subnet, how pods leave (the pod subnet; overlay and kubenet pods leave as their node).
 * Pure: everything comes from the graph.
 */
export function resolveClusterEgress(
  graph: ClusterGraph,
  options: { readonly destination?: Destination } = {},
): ClusterEgress {
  const expected = expectedKinds[graph.cluster.outboundType.toLowerCase()];
  const details = new Map<string, { node: SubnetEgress; pod: SubnetEgress | null }>();
  const nodePools = graph.cluster.agentPools.map((pool): NodePoolEgress => {
    const node = resolveSubnetEgress(graph, pool.vnetSubnetId, pool);
    const pod = pool.podSubnetId ? resolveSubnetEgress(graph, pool.podSubnetId, pool) : null;
    details.set(pool.name, { node, pod });
    return {
      name: pool.name,
      mode: pool.mode,
      count: pool.count,
      maxCount: pool.maxCount,
      nodeSubnetId: pool.vnetSubnetId,
      podSubnetId: pool.podSubnetId,
      egress: node.egress,
      sourceCidrs: node.sourceCidrs,
      sources: node.sources,
      // An outbound type this release does not know is not held against the cluster.
      matchesOutboundType: expected
        ? expected.includes(node.egress.kind) && (!pod || expected.includes(pod.egress.kind))
        : true,
      podEgress: pod?.egress ?? null,
      podSourceCidrs: pod ? pod.sourceCidrs : null,
      podSources: pod ? pod.sources : null,
      ...(options.destination ? { destinationRoute: destinationRoute(node, options.destination) } : {}),
    };
  });
  return { nodePools, details };
}

/** The route Azure selects for a destination from a subnet; an FQDN's depends on what it resolves to. */
function destinationRoute(subnet: SubnetEgress, destination: Destination): DestinationRoute {
  if (destination.kind === "fqdn")
    return {
      destination: destination.text,
      unknown: `${destination.host} is a name: the route depends on the address it resolves to`,
    };
  if (subnet.routes.length === 0)
    return { destination: destination.text, unknown: subnet.sources.reason ?? "the subnet's routes could not be read" };
  const route = selectRoute(subnet.routes, destination.host);
  if (!route) return { destination: destination.text, unknown: "no route covers it" };
  return {
    destination: destination.text,
    prefix: route.prefix,
    nextHopType: route.nextHopType,
    nextHopIps: route.nextHopIps,
    origin: route.origin,
    route: route.name,
  };
}
