import type { ClusterGraph } from "../../azure/cluster-graph.js";
import {
  firewallPrivateAddresses,
  type AzureFirewall,
  type PrivateAddressOwner,
  type VirtualNetwork,
} from "../../azure/model.js";
import { resourceKey } from "../../azure/resource-id.js";

/** Who owns a next-hop address, among the owners the packet can reach. */
export type NextHopOwner =
  | { readonly kind: "firewall"; readonly firewall: AzureFirewall; readonly reachability: "verified" | "virtualWanHub" }
  | { readonly kind: "appliance"; readonly owner: PrivateAddressOwner }
  | { readonly kind: "none"; readonly unreachableOwners: readonly string[] }
  | { readonly kind: "ambiguous"; readonly owners: readonly string[] };

const parentVnetOf = (subnetId: string | null): string | null =>
  subnetId ? subnetId.split("/").slice(0, -2).join("/") : null;

/**
 * The VNets a packet from `vnet` can reach a next hop in (Learn: "Virtual network peering"): the VNet
 * itself, and every VNet peered to it whose peering is connected and allows forwarded traffic (the
 * packet is forwarded on by the appliance there).
 */
export function reachableVnets(vnet: VirtualNetwork): Set<string> {
  const reachable = new Set([resourceKey(vnet.id)]);
  for (const peering of vnet.peerings) {
    if (peering.state.toLowerCase() === "connected" && peering.allowForwardedTraffic && peering.remoteVirtualNetworkId)
      reachable.add(resourceKey(peering.remoteVirtualNetworkId));
  }
  return reachable;
}

/**
 * The owner of a next-hop IP **in a VNet the packet can reach**: an Azure Firewall in the spoke or in
 * a peered VNet (connected, forwarded traffic allowed), or a Virtual WAN hub firewall reached through
 * the spoke's hub connection; failing those, an internal load balancer frontend or a NIC holding the
 * address. An owner in an unconnected VNet is not the answer; two reachable owners, or none, are said
 * as such, never guessed.
 */
export function nextHopOwner(graph: ClusterGraph, vnet: VirtualNetwork | null, address: string): NextHopOwner {
  const found = firewallOwner(graph, vnet, address);
  if (found.kind !== "none") return found;
  // No firewall the packet can reach: an internal load balancer in front of appliances, or an
  // appliance's NIC, in a VNet it can reach.
  const appliances = graph.privateAddressOwners.filter((owner) => owner.address === address);
  const reachable = vnet ? reachableVnets(vnet) : null;
  const inReach = appliances.filter((owner) => {
    const home = parentVnetOf(owner.subnetId);
    return home !== null && reachable !== null && reachable.has(resourceKey(home));
  });
  if (inReach.length === 1 && inReach[0]) return { kind: "appliance", owner: inReach[0] };
  if (inReach.length > 1) return { kind: "ambiguous", owners: inReach.map((owner) => owner.id) };
  return { kind: "none", unreachableOwners: [...found.unreachableOwners, ...appliances.map((owner) => owner.id)] };
}

/** The Azure Firewall that owns a next-hop address in reach, or why none does. */
function firewallOwner(graph: ClusterGraph, vnet: VirtualNetwork | null, address: string): NextHopOwner {
  const owners = [...graph.firewalls.values()].filter((firewall) =>
    firewallPrivateAddresses(firewall).includes(address),
  );
  if (owners.length === 0) return { kind: "none", unreachableOwners: [] };
  const reachable = vnet ? reachableVnets(vnet) : null;
  const inVnets = owners.filter((firewall) => {
    if (firewall.virtualHubId) return false;
    const home = parentVnetOf(firewall.ipConfigurations[0]?.subnetId ?? null);
    return home !== null && reachable !== null && reachable.has(resourceKey(home));
  });
  if (inVnets.length === 1 && inVnets[0]) return { kind: "firewall", firewall: inVnets[0], reachability: "verified" };
  if (inVnets.length > 1) return { kind: "ambiguous", owners: inVnets.map((firewall) => firewall.id) };
  // A hub firewall is reached through the spoke's hub connection, when there is one.
  const connectedHubs = new Set(
    [...graph.hubConnections.entries()]
      .filter(([, connections]) =>
        connections.some(
          (connection) => vnet !== null && connection.remoteVirtualNetworkId?.toLowerCase() === vnet.id.toLowerCase(),
        ),
      )
      .map(([hubKey]) => hubKey),
  );
  const viaConnection = owners.filter(
    (firewall) => firewall.virtualHubId && connectedHubs.has(resourceKey(firewall.virtualHubId)),
  );
  if (viaConnection.length === 1 && viaConnection[0])
    return { kind: "firewall", firewall: viaConnection[0], reachability: "verified" };
  const hubs = owners.filter((firewall) => firewall.virtualHubId !== null);
  if (hubs.length === 1 && hubs[0]) return { kind: "firewall", firewall: hubs[0], reachability: "virtualWanHub" };
  if (hubs.length > 1) return { kind: "ambiguous", owners: hubs.map((firewall) => firewall.id) };
  return { kind: "none", unreachableOwners: owners.map((firewall) => firewall.id) };
}
