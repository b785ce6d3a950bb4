import type { ClusterGraph } from "../azure/cluster-graph.js";
import { defaultPortsPerNode, firewallPortsPerNode, nodeCounts } from "./snat-capacity.js";
import type { ClusterEgress } from "./resolve-cluster-egress.js";

/** A node pool's SNAT capacity by configuration (IPv4), as triage shows it beside what metrics observed. */
export interface SnatCapacity {
  readonly pool: string;
  /** The egress kind that translates. */
  readonly via: string;
  readonly resourceId: string | null;
  /** Nodes of the pools sharing the translator, at full scale with surge. */
  readonly nodesAtScale: number | null;
  readonly portsPerNodeAtScale: number | null;
  readonly portsAvailable: number | null;
  /** Why there are no figures (sources unknown, no translator), or a short verdict. */
  readonly note: string;
}

const ipv4Addresses = (cidrs: readonly string[]): number =>
  cidrs
    .filter((cidr) => !cidr.includes(":"))
    .reduce((total, cidr) => total + 2 ** (32 - Number(cidr.split("/")[1])), 0);

/**
 * Each node pool's SNAT figures by configuration: the ports its translator has, the nodes that share
 * them at full scale with surge, and the ports each node gets (NAT gateway 64,512 per IP; Azure
 * Firewall 2,496 per IP per instance, two instances; load balancer the allocated or default ports).
 * Unknown sources feed no arithmetic: the figures are null and the note says why.
 */
export function snatCapacity(graph: ClusterGraph, egress: ClusterEgress): SnatCapacity[] {
  const { cluster } = graph;
  return egress.nodePools.map((pool) => {
    const resourceId =
      pool.egress.snatBy.resourceId ?? pool.egress.via.find((id) => /\/azurefirewalls\//i.test(id)) ?? null;
    const base = { pool: pool.name, via: pool.egress.kind, resourceId };
    if (pool.sources.state !== "known")
      return {
        ...base,
        nodesAtScale: null,
        portsPerNodeAtScale: null,
        portsAvailable: null,
        note: `sources ${pool.sources.state}: no SNAT arithmetic`,
      };
    const sharing = egress.nodePools.filter(
      (other) =>
        other.egress.kind === pool.egress.kind && other.egress.snatBy.resourceId === pool.egress.snatBy.resourceId,
    );
    const { atMax } = nodeCounts(
      cluster.agentPools.filter((agent) => sharing.some((other) => other.name === agent.name)),
    );
    const ips = ipv4Addresses(pool.sourceCidrs);
    const figures = (available: number, perNode: number, note: string): SnatCapacity => ({
      ...base,
      nodesAtScale: atMax,
      portsPerNodeAtScale: perNode,
      portsAvailable: available,
      note,
    });
    switch (pool.egress.kind) {
      case "natGateway":
      case "natGatewayVnet":
        return figures(
          64_512 * ips,
          atMax > 0 ? Math.floor((64_512 * ips) / atMax) : 64_512 * ips,
          `${ips} IPv4 address(es) × 64,512`,
        );
      case "azureFirewall":
      case "virtualWanHubFirewall":
        if (pool.egress.snatBy.type === "natGateway")
          return figures(
            64_512 * ips,
            atMax > 0 ? Math.floor((64_512 * ips) / atMax) : 64_512 * ips,
            "NAT gateway on the firewall subnet",
          );
        return figures(2_496 * ips * 2, firewallPortsPerNode(ips, atMax), `${ips} public IP(s) × 2,496 × 2 instances`);
      case "loadBalancer": {
        const rulePorts = [...graph.loadBalancers.values()]
          .flatMap((lb) => lb.outboundRules.map((rule) => rule.allocatedOutboundPorts ?? 0))
          .find((ports) => ports > 0);
        const allocated = cluster.loadBalancerProfile?.allocatedOutboundPorts || rulePorts || 0;
        return allocated > 0
          ? figures(64_000 * ips, allocated, `${allocated} ports allocated per node`)
          : figures(64_000 * ips, defaultPortsPerNode(atMax), "default allocation by backend pool size");
      }
      default:
        return {
          ...base,
          nodesAtScale: atMax,
          portsPerNodeAtScale: null,
          portsAvailable: null,
          note: `${pool.egress.kind}: capacity not modelled`,
        };
    }
  });
}
