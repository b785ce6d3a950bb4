import type { EgressInventory } from "../azure/egress-inventory.js";
import { parseResourceId, resourceKey } from "../azure/resource-id.js";
import { rangeContains } from "../egress/source-cidrs.js";
import type { ResolvedFleetCluster } from "./resolve-fleet.js";

/** A resource that holds an address: a public IP, a prefix it falls in, or a Virtual WAN hub firewall. */
export interface AddressHolder {
  readonly kind: "publicIpAddress" | "publicIpPrefix" | "virtualWanHubFirewall";
  readonly resourceId: string;
  readonly name: string;
  readonly prefix?: string;
  readonly sku?: string | null;
  readonly allocation?: string | null;
  /** What the holder is attached to (NAT gateway, load balancer, firewall, NIC), or null. */
  readonly attachedTo: { readonly type: string; readonly id: string } | null;
  readonly tags?: Readonly<Record<string, string>>;
}

/** A cluster whose egress uses an address: which pools, for nodes or pods, and whether it is certain. */
export interface AddressUser {
  readonly clusterId: string;
  readonly name: string;
  readonly resourceGroup: string;
  readonly subscriptionId: string;
  readonly pools: string[];
  readonly traffic: "nodes" | "pods" | "nodes and pods";
  /** False when the pools' sources are unknown but their path crosses the holder: it may use it. */
  readonly certain: boolean;
  readonly reason: string | null;
}

/** What kind of thing an IP configuration ID belongs to. */
function ownerKind(ipConfigurationId: string): string {
  const type = parseResourceId(ipConfigurationId)?.types[0]?.toLowerCase() ?? "";
  return (
    (
      {
        loadbalancers: "load balancer",
        azurefirewalls: "Azure Firewall",
        networkinterfaces: "network interface (instance-level public IP)",
        applicationgateways: "application gateway",
        bastionhosts: "Bastion host",
        virtualnetworkgateways: "virtual network gateway",
      } as Record<string, string>
    )[type] ?? type
  );
}

/** The parent resource of an IP configuration ID (`…/loadBalancers/lb/frontendIPConfigurations/x` → the LB). */
const parentOfConfiguration = (id: string): string => id.split("/").slice(0, 9).join("/");

/**
 * The resources of the inventory that hold an address: a public IP with it, every prefix it falls
 * in (attached to a NAT gateway or a load balancer frontend), a Virtual WAN hub firewall's address.
 */
export function holdersOfAddress(inventory: EgressInventory, ip: string): AddressHolder[] {
  const holders: AddressHolder[] = [];
  for (const address of inventory.publicIps) {
    if (address.ipAddress !== ip) continue;
    holders.push({
      kind: "publicIpAddress",
      resourceId: address.id,
      name: address.name,
      sku: address.sku,
      allocation: address.allocationMethod,
      attachedTo: address.natGatewayId
        ? { type: "NAT gateway", id: address.natGatewayId }
        : address.ipConfigurationId
          ? { type: ownerKind(address.ipConfigurationId), id: parentOfConfiguration(address.ipConfigurationId) }
          : null,
      tags: address.tags,
    });
  }
  for (const prefix of inventory.publicIpPrefixes) {
    if (!prefix.ipPrefix || !rangeContains(prefix.ipPrefix, ip)) continue;
    const balancer = inventory.loadBalancers.find((candidate) =>
      candidate.frontends.some((frontend) => frontend.publicIpPrefixId?.toLowerCase() === prefix.id.toLowerCase()),
    );
    holders.push({
      kind: "publicIpPrefix",
      resourceId: prefix.id,
      name: prefix.name,
      prefix: prefix.ipPrefix,
      attachedTo: prefix.natGatewayId
        ? { type: "NAT gateway", id: prefix.natGatewayId }
        : balancer
          ? { type: "load balancer", id: balancer.id }
          : null,
    });
  }
  for (const firewall of inventory.firewalls)
    if (firewall.hubPublicIpAddresses.includes(ip))
      holders.push({ kind: "virtualWanHubFirewall", resourceId: firewall.id, name: firewall.name, attachedTo: null });
  return holders;
}

/**
 * The clusters whose egress uses an address, from the fleet's resolution: every pool whose node (or
 * pod) sources contain it, for certain; and every pool whose sources are unknown but whose path
 * crosses one of the holding resources, as "may use it" with why (unknown is not none). A cluster
 * Resource Graph could not resolve (Virtual WAN routing) may use a hub firewall's address.
 */
export function usersOfAddress(
  fleet: readonly ResolvedFleetCluster[],
  ip: string,
  holders: readonly AddressHolder[],
): AddressUser[] {
  const holding = new Set(
    holders
      .flatMap((holder) => [holder.resourceId, holder.attachedTo?.id ?? ""])
      .filter(Boolean)
      .map(resourceKey),
  );
  const hubFirewall = holders.some((holder) => holder.kind === "virtualWanHubFirewall");
  const users: AddressUser[] = [];
  for (const { row, nodePools } of fleet) {
    const nodes: string[] = [];
    const pods: string[] = [];
    const maybe: { pool: string; reason: string }[] = [];
    for (const pool of nodePools) {
      if (pool.sourceCidrs.some((cidr) => rangeContains(cidr, ip))) nodes.push(pool.name);
      if ((pool.podSourceCidrs ?? []).some((cidr) => rangeContains(cidr, ip))) pods.push(pool.name);
      const crosses = [pool.egress, pool.podEgress].some(
        (egress) =>
          egress !== null &&
          [...egress.via, egress.snatBy.resourceId ?? ""].some((id) => id && holding.has(resourceKey(id))),
      );
      if (pool.sources.state === "unknown" && crosses)
        maybe.push({ pool: pool.name, reason: pool.sources.reason ?? "its sources are unknown" });
      else if (row.needsFullRead && hubFirewall) maybe.push({ pool: pool.name, reason: row.needsFullRead });
    }
    const base = {
      clusterId: row.id,
      name: row.name,
      resourceGroup: row.resourceGroup,
      subscriptionId: row.subscriptionId,
    };
    if (nodes.length > 0 || pods.length > 0)
      users.push({
        ...base,
        pools: [...new Set([...nodes, ...pods])],
        traffic: nodes.length > 0 && pods.length > 0 ? "nodes and pods" : nodes.length > 0 ? "nodes" : "pods",
        certain: true,
        reason: null,
      });
    else if (maybe.length > 0)
      users.push({
        ...base,
        pools: maybe.map((entry) => entry.pool),
        traffic: "nodes",
        certain: false,
        reason: maybe[0]?.reason ?? null,
      });
  }
  return users;
}
