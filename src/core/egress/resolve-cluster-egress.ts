import type { ClusterGraph } from "../azure/cluster-graph.js";
import { expectedKinds, type NodePoolEgress } from "./egress-model.js";
import { resolveSubnetEgress, type SubnetEgress } from "./resolve-subnet-egress.js";

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
export function resolveClusterEgress(graph: ClusterGraph): ClusterEgress {
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
    };
  });
  return { nodePools, details };
}
