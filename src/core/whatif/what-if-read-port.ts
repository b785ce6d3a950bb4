import type { ManagedCluster, RouteTable, Subnet } from "../azure/model.js";
import { resourceKey } from "../azure/resource-id.js";
import { EgressError, ErrorCode } from "../errors.js";
import type { AzureReadPort, Read } from "../ports/azure-read-port.js";
import { whatIfRouteTableId, type EgressChange } from "./egress-change.js";

/**
 * The Azure read port as the network would read after a change: the cluster, the subnets it touches
 * and a route table it adds are answered changed, in memory; every other read goes to Azure as it is
 * (the NAT gateway named, its IPs, the new subnet's VNet, the firewall that holds the next hop). So
 * the graph reader and resolver `show cluster` runs answer the what-if. Effective routes are refused
 * on both sides: they describe today's network, not the changed one. Nothing is written anywhere.
 */
export function whatIfReadPort(azure: AzureReadPort, change: EgressChange, clusterId: string): AzureReadPort {
  const touches = (poolName: string) => change.pool === null || change.pool.toLowerCase() === poolName.toLowerCase();
  const changedSubnets = new Set<string>();
  // The route table each changed subnet had: a default route is added to it, the rest kept.
  const replacedTables = new Map<string, string | null>();
  // A made-up table is "as of" the changed cluster's read: what the change is applied to.
  let clusterAsOf = "";
  const changedCluster = (cluster: ManagedCluster): ManagedCluster => {
    const pools = cluster.agentPools.map((pool) => {
      if (!touches(pool.name)) return pool;
      const vnetSubnetId = change.subnetId ?? pool.vnetSubnetId;
      if (vnetSubnetId) changedSubnets.add(resourceKey(vnetSubnetId));
      return { ...pool, vnetSubnetId };
    });
    return { ...cluster, outboundType: change.outboundType, agentPools: pools };
  };
  const changedSubnet = (subnet: Subnet): Subnet => {
    if (!changedSubnets.has(resourceKey(subnet.id))) return subnet;
    if (change.udrTo) replacedTables.set(resourceKey(whatIfRouteTableId(subnet.id)), subnet.routeTableId);
    return {
      ...subnet,
      ...(change.natGatewayId ? { natGatewayId: change.natGatewayId } : {}),
      ...(change.udrTo ? { routeTableId: whatIfRouteTableId(subnet.id) } : {}),
    };
  };
  const withValue = <T, U>(read: Read<T>, value: U): Read<U> => ({ ...read, value });
  return {
    ...configuredRoutesOnly(azure),
    findClusters: async (reference, options) => {
      const found = await azure.findClusters(reference, options);
      // Without the search's copy of the cluster, the reader asks getCluster: the changed one.
      return withValue(
        found,
        found.value.map(({ cluster: _copy, ...match }) => match),
      );
    },
    getCluster: async (id, options) => {
      const read = await azure.getCluster(id, options);
      clusterAsOf = read.asOf;
      return resourceKey(id) === resourceKey(clusterId) ? withValue(read, changedCluster(read.value)) : read;
    },
    getSubnet: async (id, options) => {
      const read = await azure.getSubnet(id, options);
      return withValue(read, changedSubnet(read.value));
    },
    getVirtualNetwork: async (id, options) => {
      const read = await azure.getVirtualNetwork(id, options);
      return withValue(read, { ...read.value, subnets: read.value.subnets.map(changedSubnet) });
    },
    getRouteTable: async (id, options) => {
      if (!change.udrTo || !replacedTables.has(resourceKey(id))) return azure.getRouteTable(id, options);
      // The subnet's own table with its 0.0.0.0/0 replaced (or a new table with only that route).
      const originalId = replacedTables.get(resourceKey(id)) ?? null;
      const original = originalId ? await azure.getRouteTable(originalId, options) : null;
      const table: RouteTable = {
        id,
        name: original ? `${original.value.name} (what-if)` : "what-if route table",
        disableBgpRoutePropagation: original?.value.disableBgpRoutePropagation ?? true,
        routes: [
          ...(original?.value.routes ?? []).filter((route) => route.addressPrefix !== "0.0.0.0/0"),
          {
            name: "what-if-default",
            addressPrefix: "0.0.0.0/0",
            nextHopType: "VirtualAppliance",
            nextHopIpAddress: change.udrTo,
          },
        ],
      };
      return {
        value: table,
        asOf: original?.asOf ?? clusterAsOf,
        source: { operation: "whatif", resourceId: id, apiVersion: null, query: null },
      };
    },
  };
}

/** The read port of the "before" side: Azure as it is, but configured routes only, like the "after" side. */
export function configuredRoutesOnly(azure: AzureReadPort): AzureReadPort {
  return {
    ...azure,
    getEffectiveRouteTable: () =>
      Promise.reject(
        new EgressError(ErrorCode.NotAvailable, "what-if compares configured routes: effective routes are today's."),
      ),
  };
}
