import type { RouteTable, VirtualNetwork } from "../../azure/model.js";
import { familyOf, rangeOf, type AddressRange } from "./address-ranges.js";

/**
 * Where a route sends traffic, in Azure's words (Learn: "Virtual network traffic routing"):
 * the VNet itself, a peered VNet, the internet, an appliance (by IP), a gateway (on-premises), or
 * nowhere (`None`: dropped).
 */
export type NextHopType =
  "VnetLocal" | "VNetPeering" | "Internet" | "VirtualAppliance" | "VirtualNetworkGateway" | "None";

/** Who put a route there: the subnet's route table, BGP or Virtual WAN, or Azure's defaults. */
export type RouteOrigin = "user" | "bgp" | "system";

/** One route of a subnet's route set. */
export interface EvaluatedRoute {
  readonly prefix: string;
  readonly range: AddressRange;
  readonly nextHopType: NextHopType;
  /** The appliance addresses (one, or several for ECMP); empty for other next hops. */
  readonly nextHopIps: readonly string[];
  readonly origin: RouteOrigin;
  /** The route's name in its table, or a description of the system or injected route. */
  readonly name: string;
  /** The route table (user routes) or resource (injected routes) it comes from. */
  readonly sourceId: string | null;
}

/** A subnet's routes as Azure builds them, with what configuration alone cannot show. */
export interface RouteSet {
  readonly routes: readonly EvaluatedRoute[];
  /** User routes that could not be evaluated (service-tag prefixes, unknown next hop types), by name. */
  readonly unevaluated: readonly { readonly name: string; readonly prefix: string; readonly reason: string }[];
  /**
   * Why BGP (a VPN or ExpressRoute gateway, or a Virtual WAN hub) may add routes this configuration
   * cannot show, or null when it cannot (propagation disabled, or no gateway in reach).
   */
  readonly bgpMayAdd: string | null;
}

/** A route Azure injects into a subnet (Virtual WAN, or another source a caller can see). */
export interface InjectedRoute {
  readonly prefix: string;
  readonly nextHopType: NextHopType;
  readonly nextHopIps: readonly string[];
  readonly origin: "bgp";
  readonly name: string;
  readonly sourceId: string | null;
}

/** What building a subnet's route set starts from. */
export interface RouteSetInput {
  /** The subnet's VNet (its address space and peerings); null when it could not be read. */
  readonly virtualNetwork: VirtualNetwork | null;
  /** The route table attached to the subnet, or null when there is none. */
  readonly routeTable: RouteTable | null;
  /** Routes Azure injects (Virtual WAN routing), already known to apply to this subnet. */
  readonly injected?: readonly InjectedRoute[];
}

// Learn, "Virtual network traffic routing" → "Default": these ranges go nowhere unless a VNet uses them.
const reservedForNone = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];
const nextHopTypes: Readonly<Record<string, NextHopType>> = {
  vnetlocal: "VnetLocal",
  internet: "Internet",
  virtualappliance: "VirtualAppliance",
  virtualapplianceecmp: "VirtualAppliance",
  virtualnetworkgateway: "VirtualNetworkGateway",
  none: "None",
};

const route = (
  prefix: string,
  nextHopType: NextHopType,
  origin: RouteOrigin,
  name: string,
  sourceId: string | null,
  nextHopIps: readonly string[] = [],
): EvaluatedRoute | null => {
  const range = rangeOf(prefix);
  return range ? { prefix, range, nextHopType, nextHopIps, origin, name, sourceId } : null;
};

/**
 * A subnet's route set, as Azure builds it: system routes (the VNet's address spaces → VnetLocal,
 * connected peerings' address spaces → VNetPeering, `0.0.0.0/0` and, on a dual-stack VNet, `::/0`
 * → Internet, the reserved private ranges → None unless the VNet uses them), the user routes of the
 * attached route table, and routes Azure injects (Virtual WAN). Pure; nothing is dropped silently:
 * a user route that cannot be evaluated is listed in `unevaluated`.
 */
export function buildRouteSet(input: RouteSetInput): RouteSet {
  const { virtualNetwork, routeTable } = input;
  const routes: (EvaluatedRoute | null)[] = [];
  const unevaluated: { name: string; prefix: string; reason: string }[] = [];
  const spaces = virtualNetwork?.addressPrefixes ?? [];
  for (const prefix of spaces)
    routes.push(route(prefix, "VnetLocal", "system", "virtual network address space", virtualNetwork?.id ?? null));
  for (const peering of virtualNetwork?.peerings ?? []) {
    if (peering.state.toLowerCase() !== "connected") continue;
    for (const prefix of peering.remoteAddressPrefixes)
      routes.push(route(prefix, "VNetPeering", "system", `peering ${peering.name}`, peering.remoteVirtualNetworkId));
  }
  routes.push(route("0.0.0.0/0", "Internet", "system", "default route to the internet", null));
  if (spaces.some((prefix) => familyOf(prefix) === 6))
    routes.push(route("::/0", "Internet", "system", "default route to the internet (IPv6)", null));
  for (const prefix of reservedForNone) {
    const reserved = rangeOf(prefix);
    const used = spaces.some((space) => {
      const own = rangeOf(space);
      return (
        own !== null && reserved !== null && own.family === 4 && own.start <= reserved.end && reserved.start <= own.end
      );
    });
    routes.push(route(prefix, used ? "VnetLocal" : "None", "system", "reserved private range", null));
  }
  for (const injected of input.injected ?? [])
    routes.push(
      route(
        injected.prefix,
        injected.nextHopType,
        injected.origin,
        injected.name,
        injected.sourceId,
        injected.nextHopIps,
      ),
    );
  for (const user of routeTable?.routes ?? []) {
    const type = nextHopTypes[user.nextHopType.toLowerCase()];
    if (!type) {
      unevaluated.push({
        name: user.name,
        prefix: user.addressPrefix,
        reason: `next hop type "${user.nextHopType}" is not one Azure documents`,
      });
      continue;
    }
    if (!rangeOf(user.addressPrefix)) {
      // A service tag (for example AzureCloud): its addresses change and are not part of the route table.
      unevaluated.push({
        name: user.name,
        prefix: user.addressPrefix,
        reason: "a service tag, whose addresses the route table does not list",
      });
      continue;
    }
    const ips = user.nextHopIpAddress ? [user.nextHopIpAddress] : [];
    routes.push(
      route(
        user.addressPrefix,
        type,
        "user",
        user.name,
        routeTable?.id ?? null,
        type === "VirtualAppliance" ? ips : [],
      ),
    );
  }
  return {
    routes: routes.filter((entry): entry is EvaluatedRoute => entry !== null),
    unevaluated,
    bgpMayAdd: bgpReason(input),
  };
}

/** Why BGP may add routes here: propagation allowed and a gateway in the VNet or reached through a peering. */
function bgpReason(input: RouteSetInput): string | null {
  if (input.routeTable?.disableBgpRoutePropagation) return null;
  const vnet = input.virtualNetwork;
  if (!vnet) return null;
  if (vnet.subnets.some((subnet) => subnet.name.toLowerCase() === "gatewaysubnet"))
    return `${vnet.name} has a GatewaySubnet and the route table allows gateway route propagation: a VPN or ExpressRoute gateway may add BGP routes that configuration cannot show`;
  const remote = vnet.peerings.find(
    (peering) => peering.useRemoteGateways && peering.state.toLowerCase() === "connected",
  );
  if (remote)
    return `${vnet.name} uses the remote gateway of peering ${remote.name} and the route table allows gateway route propagation: BGP may add routes that configuration cannot show`;
  return null;
}
