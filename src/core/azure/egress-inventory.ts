import type {
  AzureFirewall,
  LoadBalancer,
  ManagedCluster,
  NatGateway,
  PublicIpAddress,
  PublicIpPrefix,
  RouteTable,
  VirtualNetwork,
} from "./model.js";

/**
 * Every resource an AKS cluster's egress path is made of, for all the configured subscriptions at
 * once, as Resource Graph lists them: clusters, VNets (with their subnets and peerings), route tables
 * (with their routes), NAT gateways, public IPs and prefixes, load balancers, Azure Firewalls, and the
 * IDs of the Virtual WAN hubs. What Resource Graph does not hold (effective routes, a hub's connections
 * and routing intent, firewall policies) is not here: a cluster whose path depends on it says so.
 */
export interface EgressInventory {
  readonly clusters: readonly ManagedCluster[];
  readonly virtualNetworks: readonly VirtualNetwork[];
  readonly routeTables: readonly RouteTable[];
  readonly natGateways: readonly NatGateway[];
  readonly publicIps: readonly PublicIpAddress[];
  readonly publicIpPrefixes: readonly PublicIpPrefix[];
  readonly loadBalancers: readonly LoadBalancer[];
  readonly firewalls: readonly AzureFirewall[];
  readonly virtualHubIds: readonly string[];
  /** How many Resource Graph pages (round trips) the inventory took. */
  readonly pages: number;
}
