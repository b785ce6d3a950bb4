import type {
  EffectiveRouteListResult as SdkEffectiveRouteListResult,
  PrivateEndpoint as SdkPrivateEndpoint,
  LoadBalancer as SdkLoadBalancer,
  NatGateway as SdkNatGateway,
  PublicIPAddress,
  PublicIPPrefix,
  RouteTable as SdkRouteTable,
  Subnet as SdkSubnet,
  VirtualNetwork as SdkVirtualNetwork,
} from "@azure/arm-network";
import type {
  EffectiveRouteTable,
  HubRouteTable,
  HubVirtualNetworkConnection,
  RoutingIntent,
  PrivateEndpoint,
  LoadBalancer,
  NatGateway,
  PublicIpAddress,
  PublicIpPrefix,
  RouteTable,
  Subnet,
  VirtualNetwork,
} from "../../core/azure/model.js";
import { ids, nameOf } from "./sdk-values.js";

/** Maps a subnet; `addressPrefix` and `addressPrefixes` are merged, as ARM uses either. */
export function toSubnet(subnet: SdkSubnet, requestedId: string): Subnet {
  const id = subnet.id ?? requestedId;
  const prefixes = [...(subnet.addressPrefix ? [subnet.addressPrefix] : []), ...(subnet.addressPrefixes ?? [])];
  return {
    id,
    name: subnet.name ?? nameOf(id),
    addressPrefixes: [...new Set(prefixes)],
    natGatewayId: subnet.natGateway?.id ?? null,
    routeTableId: subnet.routeTable?.id ?? null,
    networkSecurityGroupId: subnet.networkSecurityGroup?.id ?? null,
    defaultOutboundAccess: subnet.defaultOutboundAccess ?? null,
    ...networkInterfacesOf(subnet),
  };
}

/** The subnet's standalone NICs, and whether scale set instances use it, from its IP configurations. */
function networkInterfacesOf(
  subnet: SdkSubnet,
): Pick<Subnet, "networkInterfaceIds" | "hasScaleSetInstances" | "azureFirewallIds"> {
  const configurations = (subnet.ipConfigurations ?? []).map((configuration) => configuration.id ?? "");
  // A NIC's IP configuration ID is <nic>/ipConfigurations/<name>; a scale set instance's lives under
  // Microsoft.Compute/virtualMachineScaleSets/<vmss>/virtualMachines/<n>/networkInterfaces/<nic>.
  const standalone = configurations
    .filter((id) => /\/providers\/microsoft\.network\/networkinterfaces\/[^/]+\/ipconfigurations\//i.test(id))
    .map((id) => id.replace(/\/ipconfigurations\/[^/]+$/i, ""));
  return {
    networkInterfaceIds: [...new Set(standalone)],
    hasScaleSetInstances: configurations.some((id) => /\/virtualmachinescalesets\/[^/]+\/virtualmachines\//i.test(id)),
    // An Azure Firewall's is <firewall>/azureFirewallIpConfigurations/<name>.
    azureFirewallIds: [
      ...new Set(
        configurations
          .filter((id) =>
            /\/providers\/microsoft\.network\/azurefirewalls\/[^/]+\/azurefirewallipconfigurations\//i.test(id),
          )
          .map((id) => id.replace(/\/azurefirewallipconfigurations\/[^/]+$/i, "")),
      ),
    ],
  };
}

/** Maps a network interface's effective route table (`Network Interfaces - Get Effective Route Table`). */
export function toEffectiveRouteTable(
  result: SdkEffectiveRouteListResult,
  networkInterfaceId: string,
): EffectiveRouteTable {
  return {
    networkInterfaceId,
    routes: (result.value ?? []).map((route) => ({
      name: route.name ?? null,
      source: route.source ?? "Unknown",
      state: route.state ?? "Active",
      addressPrefixes: route.addressPrefix ?? [],
      nextHopType: route.nextHopType ?? "",
      nextHopIps: route.nextHopIpAddress ?? [],
    })),
  };
}

/** Maps a virtual network with its subnets and DNS servers. */
export function toVirtualNetwork(network: SdkVirtualNetwork, requestedId: string): VirtualNetwork {
  const id = network.id ?? requestedId;
  return {
    id,
    name: network.name ?? nameOf(id),
    addressPrefixes: network.addressSpace?.addressPrefixes ?? [],
    dnsServers: network.dhcpOptions?.dnsServers ?? [],
    subnets: (network.subnets ?? []).map((subnet) => toSubnet(subnet, `${id}/subnets/${subnet.name ?? ""}`)),
    defaultPublicNatGatewayId: network.defaultPublicNatGateway?.id ?? null,
    peerings: (network.virtualNetworkPeerings ?? []).map((peering) => ({
      id: peering.id ?? `${id}/virtualNetworkPeerings/${peering.name ?? ""}`,
      name: peering.name ?? nameOf(peering.id ?? ""),
      remoteVirtualNetworkId: peering.remoteVirtualNetwork?.id ?? null,
      remoteAddressPrefixes:
        peering.remoteAddressSpace?.addressPrefixes ?? peering.remoteVirtualNetworkAddressSpace?.addressPrefixes ?? [],
      state: peering.peeringState ?? "Unknown",
      allowForwardedTraffic: peering.allowForwardedTraffic ?? false,
      useRemoteGateways: peering.useRemoteGateways ?? false,
      allowGatewayTransit: peering.allowGatewayTransit ?? false,
    })),
  };
}

/** Maps a route table and its routes. */
export function toRouteTable(table: SdkRouteTable, requestedId: string): RouteTable {
  const id = table.id ?? requestedId;
  return {
    id,
    name: table.name ?? nameOf(id),
    disableBgpRoutePropagation: table.disableBgpRoutePropagation ?? false,
    routes: (table.routes ?? []).map((route) => ({
      name: route.name ?? "",
      addressPrefix: route.addressPrefix ?? "",
      nextHopType: route.nextHopType ?? "",
      nextHopIpAddress: route.nextHopIpAddress ?? null,
    })),
  };
}

/** Maps a NAT gateway (IPv4 and IPv6 addresses and prefixes together). */
export function toNatGateway(gateway: SdkNatGateway, requestedId: string): NatGateway {
  const id = gateway.id ?? requestedId;
  const extra = gateway as { publicIpAddressesV6?: { id?: string }[]; publicIpPrefixesV6?: { id?: string }[] };
  return {
    id,
    name: gateway.name ?? nameOf(id),
    sku: gateway.sku?.name ?? null,
    idleTimeoutInMinutes: gateway.idleTimeoutInMinutes ?? null,
    publicIpAddressIds: [...ids(gateway.publicIpAddresses), ...ids(extra.publicIpAddressesV6)],
    publicIpPrefixIds: [...ids(gateway.publicIpPrefixes), ...ids(extra.publicIpPrefixesV6)],
    subnetIds: ids(gateway.subnets),
  };
}

/** Maps a public IP address resource. */
export function toPublicIpAddress(address: PublicIPAddress, requestedId: string): PublicIpAddress {
  const id = address.id ?? requestedId;
  return {
    id,
    name: address.name ?? nameOf(id),
    ipAddress: address.ipAddress ?? null,
    sku: address.sku?.name ?? null,
    tier: address.sku?.tier ?? null,
    allocationMethod: address.publicIPAllocationMethod ?? null,
    version: address.publicIPAddressVersion ?? null,
    ipConfigurationId: address.ipConfiguration?.id ?? null,
    natGatewayId: address.natGateway?.id ?? null,
    publicIpPrefixId: address.publicIPPrefix?.id ?? null,
    tags: address.tags ?? {},
  };
}

/** Maps a public IP prefix. */
export function toPublicIpPrefix(prefix: PublicIPPrefix, requestedId: string): PublicIpPrefix {
  const id = prefix.id ?? requestedId;
  return {
    id,
    name: prefix.name ?? nameOf(id),
    ipPrefix: prefix.ipPrefix ?? null,
    prefixLength: prefix.prefixLength ?? null,
    sku: prefix.sku?.name ?? null,
    natGatewayId: prefix.natGateway?.id ?? null,
  };
}

/** Maps a load balancer: frontends and outbound rules. */
export function toLoadBalancer(balancer: SdkLoadBalancer, requestedId: string): LoadBalancer {
  const id = balancer.id ?? requestedId;
  return {
    id,
    name: balancer.name ?? nameOf(id),
    sku: balancer.sku?.name ?? null,
    frontends: (balancer.frontendIPConfigurations ?? []).map((frontend) => ({
      id: frontend.id ?? "",
      name: frontend.name ?? "",
      publicIpAddressId: frontend.publicIPAddress?.id ?? null,
      publicIpPrefixId: frontend.publicIPPrefix?.id ?? null,
      privateIpAddress: frontend.privateIPAddress ?? null,
    })),
    outboundRules: (balancer.outboundRules ?? []).map((rule) => ({
      name: rule.name ?? "",
      allocatedOutboundPorts: rule.allocatedOutboundPorts ?? null,
      frontendIds: ids(rule.frontendIPConfigurations),
      backendPoolId: rule.backendAddressPool?.id ?? null,
      idleTimeoutInMinutes: rule.idleTimeoutInMinutes ?? null,
    })),
    loadBalancingRuleCount: (balancer.loadBalancingRules ?? []).length,
  };
}

/** Maps a private endpoint: its subnet, the services it connects to, and its DNS configuration. */
export function toPrivateEndpoint(endpoint: SdkPrivateEndpoint, requestedId: string): PrivateEndpoint {
  const id = endpoint.id ?? requestedId;
  const connections = [
    ...(endpoint.privateLinkServiceConnections ?? []),
    ...(endpoint.manualPrivateLinkServiceConnections ?? []),
  ];
  return {
    id,
    name: endpoint.name ?? nameOf(id),
    subnetId: endpoint.subnet?.id ?? null,
    connections: connections.map((connection) => ({
      privateLinkServiceId: connection.privateLinkServiceId ?? "",
      groupIds: connection.groupIds ?? [],
      status: connection.privateLinkServiceConnectionState?.status ?? null,
    })),
    customDnsConfigs: (endpoint.customDnsConfigs ?? []).map((config) => ({
      fqdn: config.fqdn ?? "",
      ipAddresses: config.ipAddresses ?? [],
    })),
  };
}

/** Maps a Virtual WAN hub's connection to a spoke VNet. */
export function toHubVirtualNetworkConnection(
  connection: { id?: string; name?: string; remoteVirtualNetwork?: { id?: string }; enableInternetSecurity?: boolean },
  hubId: string,
): HubVirtualNetworkConnection {
  const id = connection.id ?? `${hubId}/hubVirtualNetworkConnections/${connection.name ?? ""}`;
  return {
    id,
    name: connection.name ?? nameOf(id),
    remoteVirtualNetworkId: connection.remoteVirtualNetwork?.id ?? null,
    enableInternetSecurity: connection.enableInternetSecurity ?? false,
  };
}

/** Maps a hub's routing intent: the next hop of its Internet and PrivateTraffic policies. */
export function toRoutingIntent(
  intent: { id?: string; name?: string; routingPolicies?: { destinations?: string[]; nextHop?: string }[] },
  hubId: string,
): RoutingIntent {
  const id = intent.id ?? `${hubId}/routingIntent/${intent.name ?? ""}`;
  const nextHopFor = (destination: string): string | null =>
    intent.routingPolicies?.find((policy) =>
      (policy.destinations ?? []).some((entry) => entry.toLowerCase() === destination.toLowerCase()),
    )?.nextHop ?? null;
  return {
    id,
    name: intent.name ?? nameOf(id),
    internetNextHop: nextHopFor("Internet"),
    privateNextHop: nextHopFor("PrivateTraffic"),
  };
}

/** Maps a Virtual WAN hub route table. */
export function toHubRouteTable(
  table: {
    id?: string;
    name?: string;
    routes?: { name?: string; destinations?: string[]; nextHopType?: string; nextHop?: string }[];
    associatedConnections?: string[];
  },
  hubId: string,
): HubRouteTable {
  const id = table.id ?? `${hubId}/hubRouteTables/${table.name ?? ""}`;
  return {
    id,
    name: table.name ?? nameOf(id),
    routes: (table.routes ?? []).map((route) => ({
      name: route.name ?? "",
      destinations: route.destinations ?? [],
      nextHopType: route.nextHopType ?? "",
      nextHop: route.nextHop ?? "",
    })),
    associatedConnections: table.associatedConnections ?? [],
  };
}
