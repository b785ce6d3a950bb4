// Domain model of the Azure resources egress depends on. The Azure layer maps SDK models into these
// once; fields Azure may omit are optional or nullable, and unknown enum values are kept as text.

/** A managed cluster with what egress depends on. */
export interface ManagedCluster {
  readonly id: string;
  readonly name: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly location: string;
  readonly kubernetesVersion: string | null;
  readonly tags: Readonly<Record<string, string>>;
  /** As declared; may be any string Azure adds later. */
  readonly outboundType: string;
  readonly networkPlugin: string | null;
  readonly networkPluginMode: string | null;
  readonly loadBalancerSku: string | null;
  readonly nodeResourceGroup: string | null;
  readonly privateCluster: boolean;
  /** The API server's public FQDN (`properties.fqdn`), and its private one for private clusters. */
  readonly fqdn: string | null;
  readonly privateFqdn: string | null;
  readonly apiServerVnetIntegration: boolean;
  readonly authorizedIpRanges: readonly string[];
  readonly loadBalancerProfile: LoadBalancerProfile | null;
  readonly natGatewayProfile: NatGatewayProfile | null;
  readonly agentPools: readonly AgentPool[];
}

/** The cluster's load balancer egress settings. */
export interface LoadBalancerProfile {
  readonly managedOutboundIpCount: number | null;
  readonly outboundIpIds: readonly string[];
  readonly outboundIpPrefixIds: readonly string[];
  /** The public IPs in use (authoritative). */
  readonly effectiveOutboundIpIds: readonly string[];
  /** 0 means Azure's default allocation by backend pool size. */
  readonly allocatedOutboundPorts: number | null;
  readonly idleTimeoutInMinutes: number | null;
}

/** The cluster's managed NAT gateway settings. */
export interface NatGatewayProfile {
  readonly sku: string | null;
  readonly managedOutboundIpCount: number | null;
  readonly effectiveOutboundIpIds: readonly string[];
  readonly idleTimeoutInMinutes: number | null;
}

/** A node pool. */
export interface AgentPool {
  readonly id: string;
  readonly name: string;
  readonly mode: string | null;
  readonly osType: string | null;
  readonly count: number | null;
  readonly minCount: number | null;
  readonly maxCount: number | null;
  readonly enableAutoScaling: boolean;
  /** `maxSurge` as written (`"33%"`, `"1"`), null when unset (AKS default: one node). */
  readonly maxSurge: string | null;
  readonly vnetSubnetId: string | null;
  readonly podSubnetId: string | null;
  readonly enableNodePublicIp: boolean;
  readonly nodePublicIpPrefixId: string | null;
}

/** A subnet. */
export interface Subnet {
  readonly id: string;
  readonly name: string;
  readonly addressPrefixes: readonly string[];
  readonly natGatewayId: string | null;
  readonly routeTableId: string | null;
  readonly networkSecurityGroupId: string | null;
  /** false when the subnet is private (no default outbound access); null when unset. */
  readonly defaultOutboundAccess: boolean | null;
  /**
   * The standalone network interfaces with an IP configuration in the subnet (from the subnet's
   * `ipConfigurations`): the ones whose effective routes Azure can show. Empty when the subnet
   * lists none or was read inside its VNet.
   */
  readonly networkInterfaceIds: readonly string[];
  /** True when scale set instances have IP configurations in the subnet (AKS's usual node pools). */
  readonly hasScaleSetInstances: boolean;
  /**
   * Azure Firewalls with an IP configuration in the subnet (from its `ipConfigurations`): how a firewall
   * Resource Graph does not show the bot (it lists only what the identity may read) is still found.
   */
  readonly azureFirewallIds: readonly string[];
}

/** A virtual network. */
export interface VirtualNetwork {
  readonly id: string;
  readonly name: string;
  readonly addressPrefixes: readonly string[];
  /** Custom DNS servers; empty means Azure-provided DNS. */
  readonly dnsServers: readonly string[];
  readonly subnets: readonly Subnet[];
  /** A VNet-level (StandardV2) NAT gateway serving every subnet, if any. */
  readonly defaultPublicNatGatewayId: string | null;
  /** Peerings to other VNets (a Virtual WAN hub connection shows up as one too). */
  readonly peerings: readonly VirtualNetworkPeering[];
}

/** A VNet peering, as the local VNet sees it. */
export interface VirtualNetworkPeering {
  readonly id: string;
  readonly name: string;
  readonly remoteVirtualNetworkId: string | null;
  /** The remote VNet's address space as the peering carries it (routes `VNetPeering` to it). */
  readonly remoteAddressPrefixes: readonly string[];
  /** `Connected`, `Initiated` or `Disconnected`; only a connected peering carries traffic. */
  readonly state: string;
  /** Whether traffic that did not originate in the remote VNet is allowed over the peering. */
  readonly allowForwardedTraffic: boolean;
  readonly useRemoteGateways: boolean;
  readonly allowGatewayTransit: boolean;
}

/** A route. */
export interface Route {
  readonly name: string;
  readonly addressPrefix: string;
  /** `VirtualAppliance`, `VirtualNetworkGateway`, `Internet`, `None`, `VnetLocal`, … */
  readonly nextHopType: string;
  readonly nextHopIpAddress: string | null;
}

/** A route table. */
export interface RouteTable {
  readonly id: string;
  readonly name: string;
  readonly disableBgpRoutePropagation: boolean;
  readonly routes: readonly Route[];
}

/**
 * One route of a network interface's effective route table, as Azure computed it (Learn: "Diagnose a
 * virtual machine routing problem"): the routes that apply to the NIC, from the route table, BGP and
 * Virtual WAN, and Azure's defaults; `Invalid` marks one another route overrides.
 */
export interface EffectiveRoute {
  readonly name: string | null;
  /** `Default`, `User`, `VirtualNetworkGateway` or `Unknown`. */
  readonly source: string;
  /** `Active` or `Invalid`. */
  readonly state: string;
  readonly addressPrefixes: readonly string[];
  readonly nextHopType: string;
  readonly nextHopIps: readonly string[];
}

/** A network interface's effective route table. */
export interface EffectiveRouteTable {
  readonly networkInterfaceId: string;
  readonly routes: readonly EffectiveRoute[];
}

/**
 * A resource that holds a private address a route may send traffic to, other than an Azure
 * Firewall: an internal load balancer's frontend (in front of appliances) or a network interface
 * (an appliance VM's).
 */
export interface PrivateAddressOwner {
  readonly id: string;
  readonly name: string;
  readonly kind: "internalLoadBalancer" | "networkInterface";
  readonly address: string;
  /** The subnet the address is in: its VNet decides whether a packet can reach it. */
  readonly subnetId: string | null;
}

/** A NAT gateway. */
export interface NatGateway {
  readonly id: string;
  readonly name: string;
  readonly sku: string | null;
  readonly idleTimeoutInMinutes: number | null;
  readonly publicIpAddressIds: readonly string[];
  readonly publicIpPrefixIds: readonly string[];
  readonly subnetIds: readonly string[];
}

/** A public IP address resource. */
export interface PublicIpAddress {
  readonly id: string;
  readonly name: string;
  readonly ipAddress: string | null;
  readonly sku: string | null;
  readonly tier: string | null;
  readonly allocationMethod: string | null;
  readonly version: string | null;
  /** The IP configuration it is attached to (a NIC, LB frontend, firewall, …). */
  readonly ipConfigurationId: string | null;
  readonly natGatewayId: string | null;
  readonly publicIpPrefixId: string | null;
  readonly tags: Readonly<Record<string, string>>;
}

/** A public IP prefix. */
export interface PublicIpPrefix {
  readonly id: string;
  readonly name: string;
  readonly ipPrefix: string | null;
  readonly prefixLength: number | null;
  readonly sku: string | null;
  readonly natGatewayId: string | null;
}

/** A load balancer. */
export interface LoadBalancer {
  readonly id: string;
  readonly name: string;
  readonly sku: string | null;
  readonly frontends: readonly {
    id: string;
    name: string;
    publicIpAddressId: string | null;
    publicIpPrefixId: string | null;
    privateIpAddress: string | null;
  }[];
  readonly outboundRules: readonly {
    name: string;
    allocatedOutboundPorts: number | null;
    frontendIds: readonly string[];
    backendPoolId: string | null;
    idleTimeoutInMinutes: number | null;
  }[];
  readonly loadBalancingRuleCount: number;
}

/** An Azure Firewall, in a VNet (ipConfigurations) or a Virtual WAN hub (hubIpAddresses). */
export interface AzureFirewall {
  readonly id: string;
  readonly name: string;
  readonly skuName: string | null;
  readonly skuTier: string | null;
  readonly ipConfigurations: readonly {
    name: string;
    privateIpAddress: string | null;
    publicIpAddressId: string | null;
    subnetId: string | null;
  }[];
  readonly hubPrivateIpAddress: string | null;
  /** Virtual WAN hub firewall public addresses: plain strings, not public IP resources. */
  readonly hubPublicIpAddresses: readonly string[];
  readonly firewallPolicyId: string | null;
  readonly virtualHubId: string | null;
}

/** The private data-plane addresses a firewall holds: its IP configurations' and its hub's. */
export function firewallPrivateAddresses(firewall: AzureFirewall): string[] {
  return [
    ...firewall.ipConfigurations.map((configuration) => configuration.privateIpAddress),
    firewall.hubPrivateIpAddress,
  ].filter((address): address is string => typeof address === "string" && address.length > 0);
}

/** A firewall policy. */
export interface FirewallPolicy {
  readonly id: string;
  readonly name: string;
  readonly basePolicyId: string | null;
  readonly dnsProxyEnabled: boolean;
  readonly dnsServers: readonly string[];
  readonly ruleCollectionGroupIds: readonly string[];
}

/** One firewall rule, network or application. */
export interface FirewallRule {
  readonly name: string;
  readonly ruleType: string;
  readonly sourceAddresses: readonly string[];
  readonly sourceIpGroups: readonly string[];
  readonly destinationAddresses: readonly string[];
  readonly destinationFqdns: readonly string[];
  readonly targetFqdns: readonly string[];
  readonly fqdnTags: readonly string[];
  readonly destinationPorts: readonly string[];
  /** Network rules: `TCP`, `UDP`, `Any`; application rules: `Https:443`. */
  readonly protocols: readonly string[];
}

/** A rule collection group of a firewall policy. */
export interface RuleCollectionGroup {
  readonly id: string;
  readonly name: string;
  readonly priority: number | null;
  readonly ruleCollections: readonly {
    name: string;
    priority: number | null;
    action: string | null;
    collectionType: string | null;
    rules: readonly FirewallRule[];
  }[];
}

/** A private endpoint: where it sits and what it connects to. */
export interface PrivateEndpoint {
  readonly id: string;
  readonly name: string;
  readonly subnetId: string | null;
  /** The private link services (resources) it connects to, with their group IDs and connection status. */
  readonly connections: readonly { privateLinkServiceId: string; groupIds: readonly string[]; status: string | null }[];
  /** FQDNs and addresses the endpoint answers for. */
  readonly customDnsConfigs: readonly { fqdn: string; ipAddresses: readonly string[] }[];
}

/** A private DNS zone linked to a virtual network. */
export interface PrivateDnsZoneLink {
  readonly id: string;
  readonly zoneName: string;
  readonly virtualNetworkId: string;
  readonly registrationEnabled: boolean;
}

/** An endpoint the cluster must reach (from the cluster's outbound network dependencies). */
export interface OutboundDependency {
  readonly category: string;
  readonly domainName: string;
  readonly ports: readonly number[];
}

/** Where a resource sends its logs. */
export interface DiagnosticSetting {
  readonly id: string;
  readonly name: string;
  readonly workspaceId: string | null;
  /** Log categories or category groups that are enabled. */
  readonly enabledCategories: readonly string[];
  /** `Dedicated` means resource-specific tables (AZFW*); otherwise AzureDiagnostics. */
  readonly destinationType: string | null;
}

/** A metric time series point. */
export interface MetricPoint {
  readonly timeStamp: string;
  readonly total: number | null;
  readonly average: number | null;
  readonly maximum: number | null;
  readonly minimum: number | null;
  readonly count: number | null;
}

/** One metric series (one dimension combination). */
export interface MetricSeries {
  readonly metric: string;
  readonly unit: string | null;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly points: readonly MetricPoint[];
}

/** A query result table. */
export interface QueryTable {
  readonly columns: readonly { name: string; type: string }[];
  readonly rows: readonly (readonly unknown[])[];
  /** Set when the service returned partial results, with its reason. */
  readonly partialError?: string;
}

/** The rows of a query table as objects keyed by column name. */
export function tableObjects(table: QueryTable): Record<string, unknown>[] {
  return table.rows.map((row) =>
    Object.fromEntries(table.columns.map((column, index) => [column.name, row[index] ?? null])),
  );
}

/** A Virtual WAN hub's connection to a spoke VNet. */
export interface HubVirtualNetworkConnection {
  readonly id: string;
  readonly name: string;
  readonly remoteVirtualNetworkId: string | null;
  /** Whether the hub's secured default route (0.0.0.0/0 to the hub firewall) is propagated to the spoke. */
  readonly enableInternetSecurity: boolean;
}

/** A Virtual WAN hub's routing intent: where internet and private traffic go (a firewall's ID, or none). */
export interface RoutingIntent {
  readonly id: string;
  readonly name: string;
  readonly internetNextHop: string | null;
  readonly privateNextHop: string | null;
}

/** A Virtual WAN hub's route table (Firewall Manager secures a hub with a 0.0.0.0/0 route here). */
export interface HubRouteTable {
  readonly id: string;
  readonly name: string;
  readonly routes: readonly {
    readonly name: string;
    readonly destinations: readonly string[];
    readonly nextHopType: string;
    readonly nextHop: string;
  }[];
  /** The hub connections associated with the table (their spokes learn its routes). */
  readonly associatedConnections: readonly string[];
}
