import type { AgentPool } from "../azure/model.js";

/** Ports per node under Azure's default load balancer allocation, by backend pool size. */
export function defaultPortsPerNode(nodes: number): number {
  if (nodes <= 50) return 1024;
  if (nodes <= 100) return 512;
  if (nodes <= 200) return 256;
  if (nodes <= 400) return 128;
  if (nodes <= 800) return 64;
  if (nodes <= 1000) return 32;
  return 0;
}

/** Extra nodes during an upgrade: `maxSurge` as a count or a percentage of the pool, one by default. */
export function surgeNodes(pool: AgentPool): number {
  const size = pool.maxCount ?? pool.count ?? 0;
  const surge = pool.maxSurge?.trim();
  if (!surge) return 1;
  if (surge.endsWith("%")) return Math.max(1, Math.ceil((size * Number(surge.slice(0, -1))) / 100));
  const count = Number(surge);
  return Number.isFinite(count) && count > 0 ? count : 1;
}

/** Nodes now and at full scale plus surge, over the given pools. */
export function nodeCounts(pools: readonly AgentPool[]): { now: number; atMax: number } {
  return {
    now: pools.reduce((total, pool) => total + (pool.count ?? 0), 0),
    atMax: pools.reduce((total, pool) => total + (pool.maxCount ?? pool.count ?? 0) + surgeNodes(pool), 0),
  };
}

/** Outcome of the load balancer SNAT arithmetic. */
export type LoadBalancerSnatVerdict =
  | { readonly kind: "ok"; readonly detail: string }
  | { readonly kind: "insufficient"; readonly detail: string }
  | { readonly kind: "tierDrop"; readonly detail: string };

/**
 * Load balancer SNAT by configuration: with explicit ports P, `floor(64,000 × IPs / P)` nodes fit;
 * with the default allocation, ports per node shrink as the backend pool grows past 50, 100, 200, …
 */
export function loadBalancerSnat(
  pools: readonly AgentPool[],
  outboundIps: number,
  allocatedPorts: number | null,
): LoadBalancerSnatVerdict {
  const { now, atMax } = nodeCounts(pools);
  if (outboundIps <= 0) return { kind: "insufficient", detail: "The load balancer has no outbound public IP." };
  if (allocatedPorts && allocatedPorts > 0) {
    const fits = Math.floor((64_000 * outboundIps) / allocatedPorts);
    const detail = `${allocatedPorts} ports per node × ${atMax} nodes at full scale with surge = ${allocatedPorts * atMax}; ${outboundIps} outbound IP(s) give ${64_000 * outboundIps} (${fits} nodes fit).`;
    return atMax > fits ? { kind: "insufficient", detail } : { kind: "ok", detail };
  }
  const before = defaultPortsPerNode(now);
  const after = defaultPortsPerNode(atMax);
  if (after === 0)
    return {
      kind: "insufficient",
      detail: `Default allocation gives no ports beyond 1,000 nodes; the pools reach ${atMax} with surge.`,
    };
  if (after < before)
    return {
      kind: "tierDrop",
      detail: `Default allocation: ${before} ports per node at ${now} nodes drops to ${after} at ${atMax} nodes (full scale with surge), halving ports for every node as the pools grow.`,
    };
  return { kind: "ok", detail: `Default allocation: ${after} ports per node at up to ${atMax} nodes.` };
}

/** Azure Firewall SNAT capacity: 2,496 ports per public IP per instance (at least two instances). */
export function firewallPortsPerNode(publicIps: number, nodes: number, instances = 2): number {
  return nodes <= 0 ? Number.POSITIVE_INFINITY : Math.floor((2_496 * publicIps * instances) / nodes);
}

/**
 * NAT gateway SNAT by configuration: 64,512 ports per public IP, shared by every node behind it. Below
 * about 1,024 ports per node on average at full scale, busy nodes start to compete for ports.
 */
export function natGatewaySnat(
  pools: readonly AgentPool[],
  publicIps: number,
): { kind: "ok" | "tight"; detail: string } {
  const { atMax } = nodeCounts(pools);
  const capacity = 64_512 * publicIps;
  const perNode = atMax > 0 ? Math.floor(capacity / atMax) : capacity;
  const detail = `${publicIps} public IP(s) give ${capacity} SNAT ports, about ${perNode} per node for ${atMax} nodes at full scale with surge.`;
  return { kind: publicIps === 0 || perNode < 1024 ? "tight" : "ok", detail };
}
