import type { ClusterRef } from "../commands/value-syntax.js";
import type {
  AzureFirewall,
  DiagnosticSetting,
  EffectiveRouteTable,
  FirewallPolicy,
  HubRouteTable,
  HubVirtualNetworkConnection,
  RoutingIntent,
  LoadBalancer,
  ManagedCluster,
  MetricSeries,
  NatGateway,
  OutboundDependency,
  PrivateDnsZoneLink,
  PrivateEndpoint,
  PublicIpAddress,
  PublicIpPrefix,
  QueryTable,
  RouteTable,
  RuleCollectionGroup,
  Subnet,
  VirtualNetwork,
} from "../azure/model.js";
import type { EgressInventory } from "../azure/egress-inventory.js";
import type { QueryName } from "../queries/query-registry.js";
import type { OperationOptions } from "./clock.js";

/** Where an answer came from, for the evidence it becomes. */
export interface ReadSource {
  readonly operation: string;
  readonly resourceId: string | null;
  readonly apiVersion: string | null;
  readonly query: string | null;
  readonly timespan?: string | null;
}

/** An answer from Azure, with when it was read (cached answers keep their original time) and from where. */
export interface Read<T> {
  readonly value: T;
  readonly asOf: string;
  readonly source: ReadSource;
}

/** An ARM resource as ARM returns it for GET, with where and when it was read. */
export interface ArmResourceRead {
  readonly body: Record<string, unknown>;
  readonly resourceId: string;
  readonly apiVersion: string;
  readonly asOf: string;
}

/** A cluster found for a reference. */
export interface ClusterMatch {
  readonly id: string;
  readonly name: string;
  readonly resourceGroup: string;
  readonly subscriptionId: string;
  readonly location: string;
  /**
   * The cluster itself, when the search returned its body (Resource Graph does): the graph reader then
   * needs no GET of it, one round trip fewer. Resource Graph's copy follows ARM within seconds of a change.
   */
  readonly cluster?: ManagedCluster;
}

/** A metrics read: which metrics, aggregation, window (ISO-8601 interval) and dimension filter. */
export interface MetricsRequest {
  readonly resourceId: string;
  readonly metricNames: readonly string[];
  readonly aggregation: string;
  readonly timespan: string;
  readonly interval?: string;
  /** e.g. `ConnectionState eq '*'` to split by a dimension. */
  readonly filter?: string;
}

/** A registered query and its parameters; the Azure layer renders it (user values escaped) and sends it. */
export interface QueryRequest {
  readonly name: QueryName;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/**
 * Read-only access to Azure in the domain's terms. There is no write method, and the layer below
 * refuses any request that is not a read.
 */
export interface AzureReadPort {
  /** True when answers come from a simulated world rather than a real subscription. */
  readonly simulated: boolean;
  /** Reads one ARM resource by ID, as ARM returns it. Rejects with `AZURE_NOT_FOUND` when it does not exist. */
  getResource(resourceId: string, options?: OperationOptions): Promise<ArmResourceRead>;
  /** Clusters matching a reference (name, rg/name, subscription/rg/name, ARM ID or alias), Resource Graph first. */
  findClusters(reference: ClusterRef, options?: OperationOptions): Promise<Read<readonly ClusterMatch[]>>;
  getCluster(clusterId: string, options?: OperationOptions): Promise<Read<ManagedCluster>>;
  listOutboundDependencies(clusterId: string, options?: OperationOptions): Promise<Read<readonly OutboundDependency[]>>;
  getSubnet(subnetId: string, options?: OperationOptions): Promise<Read<Subnet>>;
  getVirtualNetwork(virtualNetworkId: string, options?: OperationOptions): Promise<Read<VirtualNetwork>>;
  getRouteTable(routeTableId: string, options?: OperationOptions): Promise<Read<RouteTable>>;
  getNatGateway(natGatewayId: string, options?: OperationOptions): Promise<Read<NatGateway>>;
  getPublicIpAddress(publicIpId: string, options?: OperationOptions): Promise<Read<PublicIpAddress>>;
  getPublicIpPrefix(prefixId: string, options?: OperationOptions): Promise<Read<PublicIpPrefix>>;
  getLoadBalancer(loadBalancerId: string, options?: OperationOptions): Promise<Read<LoadBalancer>>;
  getAzureFirewall(firewallId: string, options?: OperationOptions): Promise<Read<AzureFirewall>>;
  /**
   * Every Azure Firewall in the subscriptions, whole, from one Resource Graph query: finding the one a
   * route's next hop names then needs no GET of it.
   */
  listAzureFirewalls(options?: OperationOptions): Promise<Read<readonly AzureFirewall[]>>;
  getFirewallPolicy(policyId: string, options?: OperationOptions): Promise<Read<FirewallPolicy>>;
  listRuleCollectionGroups(policyId: string, options?: OperationOptions): Promise<Read<readonly RuleCollectionGroup[]>>;
  getPrivateEndpoint(privateEndpointId: string, options?: OperationOptions): Promise<Read<PrivateEndpoint>>;
  /**
   * A standalone network interface's effective route table: the routes Azure applies to it, BGP and
   * Virtual WAN routes included. A POST that computes and changes nothing (a long-running operation);
   * it needs `Microsoft.Network/networkInterfaces/effectiveRouteTable/action`, and the NIC's VM running.
   */
  getEffectiveRouteTable(networkInterfaceId: string, options?: OperationOptions): Promise<Read<EffectiveRouteTable>>;
  /** A Virtual WAN hub's connections to spoke VNets. */
  listHubVirtualNetworkConnections(
    virtualHubId: string,
    options?: OperationOptions,
  ): Promise<Read<readonly HubVirtualNetworkConnection[]>>;
  /** A Virtual WAN hub's route tables. */
  listHubRouteTables(virtualHubId: string, options?: OperationOptions): Promise<Read<readonly HubRouteTable[]>>;
  /** A Virtual WAN hub's routing intent (none, or one). */
  listRoutingIntents(virtualHubId: string, options?: OperationOptions): Promise<Read<readonly RoutingIntent[]>>;
  listPrivateDnsZoneLinks(
    virtualNetworkId: string,
    options?: OperationOptions,
  ): Promise<Read<readonly PrivateDnsZoneLink[]>>;
  listDiagnosticSettings(resourceId: string, options?: OperationOptions): Promise<Read<readonly DiagnosticSetting[]>>;
  getMetrics(request: MetricsRequest, options?: OperationOptions): Promise<Read<readonly MetricSeries[]>>;
  /**
   * The fleet inventory: every resource an AKS egress path is made of, in all the configured
   * subscriptions, from one paged Resource Graph query (never a GET per cluster). Cached like any read.
   */
  readEgressInventory(options?: OperationOptions): Promise<Read<EgressInventory>>;
  /** Runs a registered Resource Graph query over the configured subscriptions. */
  queryResourceGraph(request: QueryRequest, options?: OperationOptions): Promise<Read<QueryTable>>;
  /** Runs a registered Log Analytics query on a workspace (customer ID or ARM ID) over an ISO-8601 timespan. */
  queryLogs(
    workspace: string,
    request: QueryRequest,
    timespan: string,
    options?: OperationOptions,
  ): Promise<Read<QueryTable>>;
}
