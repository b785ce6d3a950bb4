/** A change to a cluster's egress, as `whatif` takes it: applied in memory only. */
export interface EgressChange {
  /** The outbound type the cluster would declare. */
  readonly outboundType: string;
  /** Only this node pool (default: every pool). */
  readonly pool: string | null;
  /** A NAT gateway (ARM ID) to attach to the pools' node subnets. */
  readonly natGatewayId: string | null;
  /** A subnet (ARM ID) to move the pools' nodes to. */
  readonly subnetId: string | null;
  /** A private IP the pools' subnets would route 0.0.0.0/0 to (a firewall or appliance). */
  readonly udrTo: string | null;
}

/** The route table a `--udr-to` change stands for: no such resource exists in Azure. */
export const whatIfRouteTableId = (subnetId: string): string =>
  `${subnetId.split("/").slice(0, 5).join("/")}/providers/Microsoft.Network/routeTables/whatif-default-route`;

/** The change in words, one line each. */
export function describeChange(change: EgressChange, clusterOutboundType: string): string[] {
  return [
    `outbound type ${clusterOutboundType} → ${change.outboundType}`,
    change.pool ? `node pool ${change.pool} only` : null,
    change.subnetId ? `nodes move to subnet ${change.subnetId.split("/").pop() ?? ""}` : null,
    change.natGatewayId ? `NAT gateway ${change.natGatewayId.split("/").pop() ?? ""} on the node subnet` : null,
    change.udrTo ? `0.0.0.0/0 → VirtualAppliance ${change.udrTo} on the node subnet` : null,
  ].filter((line): line is string => line !== null);
}
