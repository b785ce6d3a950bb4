import type { ClusterGraph } from "../azure/cluster-graph.js";
import type { AgentPool, AzureFirewall, NatGateway } from "../azure/model.js";
import { resourceKey, sameResourceId } from "../azure/resource-id.js";
import type { Egress } from "./egress-model.js";
import { addressCidr, distinctCidrs } from "./source-cidrs.js";

/** The egress of one subnet and the public sources it gives, with what the resolution noticed. */
export interface SubnetEgress {
  readonly egress: Egress;
  readonly sourceCidrs: readonly string[];
  /** The subnet could not be read: the answer is from the cluster's declared settings only. */
  readonly subnetUnknown: boolean;
  /** A default route points at an address no visible Azure Firewall owns. */
  readonly unresolvedNextHop: string | null;
  /** The firewall on the path sends internet traffic through a NAT gateway on its own subnet. */
  readonly firewallSubnetNatGatewayId: string | null;
}

const get = <T>(map: ReadonlyMap<string, T>, id: string | null | undefined): T | undefined =>
  id ? map.get(resourceKey(id)) : undefined;

/** Public sources of a NAT gateway: its addresses and whole prefixes. */
export function natGatewaySources(graph: ClusterGraph, gateway: NatGateway): string[] {
  const addresses = gateway.publicIpAddressIds
    .map((id) => addressCidr(get(graph.publicIps, id)?.ipAddress))
    .filter((cidr): cidr is string => cidr !== undefined);
  const prefixes = gateway.publicIpPrefixIds
    .map((id) => get(graph.publicIpPrefixes, id)?.ipPrefix)
    .filter((prefix): prefix is string => typeof prefix === "string");
  return distinctCidrs([...addresses, ...prefixes]);
}

function firewallOwning(graph: ClusterGraph, address: string): AzureFirewall | undefined {
  return [...graph.firewalls.values()].find(
    (firewall) =>
      firewall.hubPrivateIpAddress === address ||
      firewall.ipConfigurations.some((configuration) => configuration.privateIpAddress === address),
  );
}

/** What the internet sees for traffic that a firewall forwards: its NAT gateway's IPs if its subnet has one, else its own. */
function firewallEgress(
  graph: ClusterGraph,
  firewall: AzureFirewall,
  routeTableId: string,
  nextHopIp: string,
  subnetId: string,
): SubnetEgress {
  const hub = firewall.virtualHubId !== null || firewall.hubPublicIpAddresses.length > 0;
  const firewallSubnet = firewall.ipConfigurations
    .map((configuration) => get(graph.subnets, configuration.subnetId))
    .find((subnet) => subnet?.natGatewayId);
  const gateway = get(graph.natGateways, firewallSubnet?.natGatewayId);
  const via = [subnetId, routeTableId, firewall.id];
  if (firewallSubnet?.natGatewayId) {
    return {
      egress: {
        kind: hub ? "virtualWanHubFirewall" : "azureFirewall",
        snatBy: { type: "natGateway", resourceId: firewallSubnet.natGatewayId },
        via: [...via, firewallSubnet.natGatewayId],
        routeTableId,
        nextHopIp,
      },
      sourceCidrs: gateway ? natGatewaySources(graph, gateway) : [],
      subnetUnknown: false,
      unresolvedNextHop: null,
      firewallSubnetNatGatewayId: firewallSubnet.natGatewayId,
    };
  }
  const addresses = hub
    ? firewall.hubPublicIpAddresses.map(addressCidr)
    : firewall.ipConfigurations.map((configuration) =>
        addressCidr(get(graph.publicIps, configuration.publicIpAddressId)?.ipAddress),
      );
  return {
    egress: {
      kind: hub ? "virtualWanHubFirewall" : "azureFirewall",
      snatBy: { type: "azureFirewall", resourceId: firewall.id },
      via,
      routeTableId,
      nextHopIp,
    },
    sourceCidrs: distinctCidrs(addresses.filter((cidr): cidr is string => cidr !== undefined)),
    subnetUnknown: false,
    unresolvedNextHop: null,
    firewallSubnetNatGatewayId: null,
  };
}

const plain = (egress: Egress, sourceCidrs: readonly string[] = [], subnetUnknown = false): SubnetEgress => ({
  egress,
  sourceCidrs,
  subnetUnknown,
  unresolvedNextHop: null,
  firewallSubnetNatGatewayId: null,
});

/**
 * The egress of a subnet by Azure's precedence, highest first: a `0.0.0.0/0` route to an appliance or
 * gateway (or `None`); a NAT gateway on the subnet, then a VNet-level one; instance-level public IPs;
 * load balancer outbound rules; default outbound access where the subnet allows it. IDs are compared
 * case-insensitively; anything missing or unknown gives `unknown`, never a throw.
 */
export function resolveSubnetEgress(
  graph: ClusterGraph,
  subnetId: string | null,
  pool: AgentPool | null,
): SubnetEgress {
  const { cluster } = graph;
  const subnet = get(graph.subnets, subnetId);
  const outboundType = cluster.outboundType.toLowerCase();
  if (!subnet) {
    // A pool in the AKS-managed VNet (or a subnet we could not read): the declared settings are all we know.
    if (outboundType === "loadbalancer") return loadBalancerEgress(graph, subnetId, true);
    if (outboundType === "managednatgateway" || outboundType === "managednatgatewayv2") {
      const ips = (cluster.natGatewayProfile?.effectiveOutboundIpIds ?? [])
        .map((id) => addressCidr(get(graph.publicIps, id)?.ipAddress))
        .filter((cidr): cidr is string => cidr !== undefined);
      return plain(
        {
          kind: "natGateway",
          snatBy: { type: "natGateway", resourceId: null },
          via: subnetId ? [subnetId] : [],
          routeTableId: null,
          nextHopIp: null,
        },
        distinctCidrs(ips),
        true,
      );
    }
    return plain(
      {
        kind: "unknown",
        snatBy: { type: "unknown", resourceId: null },
        via: subnetId ? [subnetId] : [],
        routeTableId: null,
        nextHopIp: null,
      },
      [],
      true,
    );
  }

  const routeTable = get(graph.routeTables, subnet.routeTableId);
  const defaultRoute = routeTable?.routes.find((route) => route.addressPrefix === "0.0.0.0/0");
  const hop = defaultRoute?.nextHopType.toLowerCase();
  const routeTableId = subnet.routeTableId;
  if (defaultRoute && routeTableId && (hop === "virtualappliance" || hop === "virtualapplianceecmp")) {
    const nextHopIp = defaultRoute.nextHopIpAddress;
    const firewall = nextHopIp ? firewallOwning(graph, nextHopIp) : undefined;
    if (firewall && nextHopIp) return firewallEgress(graph, firewall, routeTableId, nextHopIp, subnet.id);
    return {
      ...plain({
        kind: "virtualAppliance",
        snatBy: { type: "unknown", resourceId: null },
        via: [subnet.id, routeTableId],
        routeTableId,
        nextHopIp,
      }),
      unresolvedNextHop: nextHopIp ?? "(none)",
    };
  }
  if (defaultRoute && routeTableId && hop === "virtualnetworkgateway") {
    return plain({
      kind: "virtualNetworkGateway",
      snatBy: { type: "onPremises", resourceId: null },
      via: [subnet.id, routeTableId],
      routeTableId,
      nextHopIp: null,
    });
  }
  if (defaultRoute && routeTableId && hop === "none") {
    return plain({
      kind: "none",
      snatBy: { type: "none", resourceId: null },
      via: [subnet.id, routeTableId],
      routeTableId,
      nextHopIp: null,
    });
  }
  const natGateway = get(graph.natGateways, subnet.natGatewayId);
  if (subnet.natGatewayId) {
    return plain(
      {
        kind: "natGateway",
        snatBy: { type: "natGateway", resourceId: subnet.natGatewayId },
        via: [subnet.id, subnet.natGatewayId],
        routeTableId,
        nextHopIp: null,
      },
      natGateway ? natGatewaySources(graph, natGateway) : [],
    );
  }
  const vnet = [...graph.virtualNetworks.values()].find((network) =>
    network.subnets.some((candidate) => sameResourceId(candidate.id, subnet.id)),
  );
  if (vnet?.defaultPublicNatGatewayId) {
    const vnetGateway = get(graph.natGateways, vnet.defaultPublicNatGatewayId);
    return plain(
      {
        kind: "natGatewayVnet",
        snatBy: { type: "natGateway", resourceId: vnet.defaultPublicNatGatewayId },
        via: [subnet.id, vnet.defaultPublicNatGatewayId],
        routeTableId,
        nextHopIp: null,
      },
      vnetGateway ? natGatewaySources(graph, vnetGateway) : [],
    );
  }
  if (pool?.enableNodePublicIp) {
    const prefix = get(graph.publicIpPrefixes, pool.nodePublicIpPrefixId)?.ipPrefix;
    return plain(
      {
        kind: "instancePublicIp",
        snatBy: { type: "instancePublicIp", resourceId: pool.nodePublicIpPrefixId },
        via: [subnet.id],
        routeTableId,
        nextHopIp: null,
      },
      prefix ? [prefix] : [],
    );
  }
  const outbound = loadBalancerEgress(graph, subnet.id, false);
  if (outbound.egress.kind === "loadBalancer") return { ...outbound, egress: { ...outbound.egress, routeTableId } };
  if (
    subnet.defaultOutboundAccess !== false &&
    outboundType !== "userdefinedrouting" &&
    outboundType !== "none" &&
    outboundType !== "block"
  ) {
    return plain({
      kind: "defaultOutbound",
      snatBy: { type: "defaultOutbound", resourceId: null },
      via: [subnet.id],
      routeTableId,
      nextHopIp: null,
    });
  }
  return plain({
    kind: "none",
    snatBy: { type: "none", resourceId: null },
    via: [subnet.id, ...(routeTableId ? [routeTableId] : [])],
    routeTableId,
    nextHopIp: null,
  });
}

/** Egress through the cluster's load balancer outbound rules (AKS: `kubernetes`, `aksOutboundRule`). */
function loadBalancerEgress(graph: ClusterGraph, subnetId: string | null, subnetUnknown: boolean): SubnetEgress {
  const { cluster } = graph;
  const profile = cluster.loadBalancerProfile;
  const balancer = [...graph.loadBalancers.values()].find((lb) => lb.outboundRules.length > 0);
  if (cluster.outboundType.toLowerCase() !== "loadbalancer" && !balancer) {
    return plain(
      {
        kind: "none",
        snatBy: { type: "none", resourceId: null },
        via: subnetId ? [subnetId] : [],
        routeTableId: null,
        nextHopIp: null,
      },
      [],
      subnetUnknown,
    );
  }
  const frontendIds = balancer
    ? new Set(balancer.outboundRules.flatMap((rule) => rule.frontendIds).map(resourceKey))
    : new Set<string>();
  const frontends = balancer?.frontends.filter((frontend) => frontendIds.has(resourceKey(frontend.id))) ?? [];
  const ipIds =
    frontends.length > 0
      ? frontends.map((frontend) => frontend.publicIpAddressId)
      : (profile?.effectiveOutboundIpIds ?? []);
  const prefixes = frontends
    .map((frontend) => get(graph.publicIpPrefixes, frontend.publicIpPrefixId)?.ipPrefix)
    .filter((prefix): prefix is string => typeof prefix === "string");
  const addresses = ipIds
    .map((id) => addressCidr(get(graph.publicIps, id)?.ipAddress))
    .filter((cidr): cidr is string => cidr !== undefined);
  return plain(
    {
      kind: "loadBalancer",
      snatBy: { type: "loadBalancer", resourceId: balancer?.id ?? null },
      via: [...(subnetId ? [subnetId] : []), ...(balancer ? [balancer.id] : [])],
      routeTableId: null,
      nextHopIp: null,
    },
    distinctCidrs([...addresses, ...prefixes]),
    subnetUnknown,
  );
}
