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
  NatGateway,
  OutboundDependency,
  PrivateAddressOwner,
  PrivateDnsZoneLink,
  PublicIpAddress,
  PublicIpPrefix,
  RouteTable,
  RuleCollectionGroup,
  Subnet,
  VirtualNetwork,
} from "./model.js";
import type { ReadSource } from "../ports/azure-read-port.js";

/** Everything a cluster's egress depends on, keyed by lower-cased resource ID, with the reads behind it. */
export interface ClusterGraph {
  readonly cluster: ManagedCluster;
  readonly subnets: ReadonlyMap<string, Subnet>;
  readonly virtualNetworks: ReadonlyMap<string, VirtualNetwork>;
  readonly routeTables: ReadonlyMap<string, RouteTable>;
  readonly natGateways: ReadonlyMap<string, NatGateway>;
  readonly publicIps: ReadonlyMap<string, PublicIpAddress>;
  readonly publicIpPrefixes: ReadonlyMap<string, PublicIpPrefix>;
  readonly loadBalancers: ReadonlyMap<string, LoadBalancer>;
  readonly firewalls: ReadonlyMap<string, AzureFirewall>;
  readonly firewallPolicies: ReadonlyMap<string, FirewallPolicy>;
  /** Rule collection groups by policy ID. */
  readonly ruleCollectionGroups: ReadonlyMap<string, readonly RuleCollectionGroup[]>;
  /** Diagnostic settings by resource ID (firewalls). */
  readonly diagnosticSettings: ReadonlyMap<string, readonly DiagnosticSetting[]>;
  /** Virtual WAN hub connections by hub ID (read when hubs exist and a spoke is peered). */
  readonly hubConnections: ReadonlyMap<string, readonly HubVirtualNetworkConnection[]>;
  /** Virtual WAN hub route tables by hub ID. */
  readonly hubRouteTables: ReadonlyMap<string, readonly HubRouteTable[]>;
  /** Virtual WAN routing intents by hub ID. */
  readonly routingIntents: ReadonlyMap<string, readonly RoutingIntent[]>;
  /**
   * Effective route tables by node subnet ID: one standalone node NIC's in each subnet that has one
   * (every NIC of a subnet gets the subnet's routes).
   */
  readonly effectiveRoutes: ReadonlyMap<string, EffectiveRouteTable>;
  /**
   * Internal load balancer frontends and NICs that hold a next hop's address no firewall owns
   * (searched only for such next hops).
   */
  readonly privateAddressOwners: readonly PrivateAddressOwner[];
  /** Private DNS zone links by virtual network ID. */
  readonly dnsZoneLinks: ReadonlyMap<string, readonly PrivateDnsZoneLink[]>;
  readonly outboundDependencies: readonly OutboundDependency[] | null;
  /** Every read, in order, for evidence: what, from where, as of when, and the value read. */
  readonly reads: readonly {
    readonly source: ReadSource;
    readonly asOf: string;
    readonly summary: string;
    readonly value: unknown;
  }[];
  /** Reads that failed, with why; the rest of the graph is still there. */
  readonly problems: readonly {
    readonly resourceId: string | null;
    readonly code: string;
    readonly message: string;
    /** What was being read when it is not one resource (`firewall search`). */
    readonly what?: string;
    /** The next-hop addresses the unread resource holds (a firewall the search found on the path). */
    readonly owns?: readonly string[];
    /** What to do about it: for a refusal, the role and the scope to grant. */
    readonly remediation?: string;
  }[];
}
