import type { EffectiveRouteTable } from "../../azure/model.js";
import { rangeOf } from "./address-ranges.js";
import type { EvaluatedRoute, NextHopType, RouteOrigin, RouteSet } from "./route-set.js";

// Learn, "Diagnose a virtual machine routing problem": an effective route's source is Default
// (system), User (the route table) or VirtualNetworkGateway (BGP from a gateway, or Virtual WAN).
const origins: Readonly<Record<string, RouteOrigin>> = {
  default: "system",
  user: "user",
  virtualnetworkgateway: "bgp",
};
const nextHopTypes: Readonly<Record<string, NextHopType>> = {
  vnetlocal: "VnetLocal",
  vnetpeering: "VNetPeering",
  vnetglobalpeering: "VNetPeering",
  internet: "Internet",
  virtualappliance: "VirtualAppliance",
  virtualnetworkgateway: "VirtualNetworkGateway",
  none: "None",
};

/**
 * A subnet's route set from a node NIC's effective route table: the routes Azure applies, BGP and
 * Virtual WAN routes included. Only `Active` routes take part (`Invalid` ones are overridden);
 * a route with several prefixes is one route per prefix. Next hops this model does not follow
 * (service endpoints, which keep traffic to an Azure service's prefixes on the backbone) are listed
 * as not evaluated. Nothing is left for BGP to add: the table already holds it.
 */
export function effectiveRouteSet(table: EffectiveRouteTable): RouteSet {
  const routes: EvaluatedRoute[] = [];
  const unevaluated: { name: string; prefix: string; reason: string }[] = [];
  for (const effective of table.routes) {
    if (effective.state.toLowerCase() !== "active") continue;
    const origin = origins[effective.source.toLowerCase()];
    const nextHopType = nextHopTypes[effective.nextHopType.toLowerCase()];
    const name = effective.name ?? `${effective.source} route`;
    for (const prefix of effective.addressPrefixes) {
      const range = rangeOf(prefix);
      const reason = !range
        ? "a prefix this model cannot read"
        : !nextHopType
          ? `next hop type "${effective.nextHopType}" keeps traffic on a path this model does not follow`
          : !origin
            ? `source "${effective.source}" is not one Azure documents`
            : null;
      if (reason || !range || !nextHopType || !origin) {
        unevaluated.push({ name, prefix, reason: reason ?? "" });
        continue;
      }
      routes.push({
        prefix,
        range,
        nextHopType,
        nextHopIps: nextHopType === "VirtualAppliance" ? effective.nextHopIps : [],
        origin,
        name: origin === "system" ? `${effective.source.toLowerCase()} route (effective)` : name,
        sourceId: table.networkInterfaceId,
      });
    }
  }
  return { routes, unevaluated, bgpMayAdd: null };
}
