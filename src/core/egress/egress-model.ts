import type { SourcesState } from "./egress-sources.js";

/** How traffic leaves a node pool (design §3.2). */
export const egressKinds = [
  "loadBalancer",
  "natGateway",
  "natGatewayVnet",
  "azureFirewall",
  "virtualWanHubFirewall",
  "virtualAppliance",
  "virtualNetworkGateway",
  "instancePublicIp",
  "defaultOutbound",
  "none",
  "unknown",
] as const;

/** One of {@link egressKinds}. */
export type EgressKind = (typeof egressKinds)[number];

/** Who the internet sees as the source (design §3.2). */
export const snatByTypes = [
  "loadBalancer",
  "natGateway",
  "azureFirewall",
  "instancePublicIp",
  "defaultOutbound",
  "onPremises",
  "unknown",
  "none",
] as const;

/** One of {@link snatByTypes}. */
export type SnatByType = (typeof snatByTypes)[number];

/** The egress path of a subnet, as the bundle shows it. */
export interface Egress {
  readonly kind: EgressKind;
  readonly snatBy: { readonly type: SnatByType; readonly resourceId: string | null };
  /** Resource IDs in the order the packet crosses them. */
  readonly via: readonly string[];
  readonly routeTableId: string | null;
  readonly nextHopIp: string | null;
  /** Which routes the answer rests on: the configured route tables, or a NIC's effective routes. */
  readonly routeBasis: "configured" | "effective";
  /** The network interface whose effective routes the answer rests on, when `routeBasis` is effective. */
  readonly effectiveRoutesOf: string | null;
}

/** A node pool with how its nodes (and, with a pod subnet, its pods) leave the cluster. */
export interface NodePoolEgress {
  readonly name: string;
  readonly mode: string | null;
  readonly count: number | null;
  readonly maxCount: number | null;
  readonly nodeSubnetId: string | null;
  readonly podSubnetId: string | null;
  readonly egress: Egress;
  /** The public source ranges the world sees; single addresses as /32 or /128. Empty unless `sources.state` is known. */
  readonly sourceCidrs: readonly string[];
  /** Whether the sources are known, unknown (with why: on-premises, a failed read, …) or none (no path). */
  readonly sources: SourcesState;
  readonly matchesOutboundType: boolean;
  readonly podEgress: Egress | null;
  readonly podSourceCidrs: readonly string[] | null;
  readonly podSources: SourcesState | null;
  /** With `--dest`: the route Azure selects for that destination from the node subnet, when asked. */
  readonly destinationRoute?: DestinationRoute;
}

/** The route selected for one destination (longest prefix match), or why it cannot be said. */
export type DestinationRoute =
  | {
      readonly destination: string;
      readonly prefix: string;
      readonly nextHopType: string;
      readonly nextHopIps: readonly string[];
      readonly origin: "user" | "bgp" | "system";
      readonly route: string;
    }
  | { readonly destination: string; readonly unknown: string };

/** The egress kinds each declared outbound type leads to when configured as intended. */
export const expectedKinds: Readonly<Record<string, readonly EgressKind[]>> = {
  loadbalancer: ["loadBalancer"],
  userdefinedrouting: ["azureFirewall", "virtualWanHubFirewall", "virtualAppliance", "virtualNetworkGateway"],
  managednatgateway: ["natGateway", "natGatewayVnet"],
  managednatgatewayv2: ["natGateway", "natGatewayVnet"],
  userassignednatgateway: ["natGateway", "natGatewayVnet"],
  none: [
    "none",
    "azureFirewall",
    "virtualWanHubFirewall",
    "virtualAppliance",
    "virtualNetworkGateway",
    "natGateway",
    "natGatewayVnet",
    "instancePublicIp",
  ],
  block: ["none"],
};
