import type {
  AzureFirewall as SdkAzureFirewall,
  LoadBalancer as SdkLoadBalancer,
  NatGateway as SdkNatGateway,
  PublicIPAddress,
  PublicIPPrefix,
  RouteTable as SdkRouteTable,
  VirtualNetwork as SdkVirtualNetwork,
} from "@azure/arm-network";
import type { ManagedCluster as SdkManagedCluster } from "@azure/arm-containerservice";
import type { EgressInventory } from "../../core/azure/egress-inventory.js";
import { flattenArmProperties } from "./flatten-arm-properties.js";
import { toManagedCluster } from "./map-cluster.js";
import { toAzureFirewall } from "./map-firewall.js";
import {
  toLoadBalancer,
  toNatGateway,
  toPublicIpAddress,
  toPublicIpPrefix,
  toRouteTable,
  toVirtualNetwork,
} from "./map-network.js";

type Lists = { -readonly [K in Exclude<keyof EgressInventory, "pages">]: unknown[] };

/** Per Resource Graph type: which list of the inventory it goes to, mapped by the mapper a GET of it uses. */
const mappers: Readonly<Record<string, readonly [keyof Lists, (flat: never, id: string) => unknown]>> = {
  "microsoft.containerservice/managedclusters": [
    "clusters",
    (flat: SdkManagedCluster, id) => toManagedCluster(flat, id),
  ],
  "microsoft.network/virtualnetworks": ["virtualNetworks", (flat: SdkVirtualNetwork, id) => toVirtualNetwork(flat, id)],
  "microsoft.network/routetables": ["routeTables", (flat: SdkRouteTable, id) => toRouteTable(flat, id)],
  "microsoft.network/natgateways": ["natGateways", (flat: SdkNatGateway, id) => toNatGateway(flat, id)],
  "microsoft.network/publicipaddresses": ["publicIps", (flat: PublicIPAddress, id) => toPublicIpAddress(flat, id)],
  "microsoft.network/publicipprefixes": ["publicIpPrefixes", (flat: PublicIPPrefix, id) => toPublicIpPrefix(flat, id)],
  "microsoft.network/loadbalancers": ["loadBalancers", (flat: SdkLoadBalancer, id) => toLoadBalancer(flat, id)],
  "microsoft.network/azurefirewalls": ["firewalls", (flat: SdkAzureFirewall, id) => toAzureFirewall(flat, id)],
  "microsoft.network/virtualhubs": ["virtualHubIds", (_flat: never, id) => id],
};

/**
 * The fleet inventory from the `egressInventory` query's rows: each row a resource group's resources
 * as ARM JSON, each mapped by the same mapper a GET of it uses. A resource of a type the inventory
 * does not hold is left out.
 */
export function toEgressInventory(rows: readonly Record<string, unknown>[], pages: number): EgressInventory {
  const lists: Lists = {
    clusters: [],
    virtualNetworks: [],
    routeTables: [],
    natGateways: [],
    publicIps: [],
    publicIpPrefixes: [],
    loadBalancers: [],
    firewalls: [],
    virtualHubIds: [],
  };
  for (const row of rows) {
    const resources = Array.isArray(row.resources) ? (row.resources as Record<string, unknown>[]) : [];
    for (const resource of resources) {
      const id = typeof resource.id === "string" ? resource.id : "";
      const mapper = mappers[String(resource.type).toLowerCase()];
      if (!id || !mapper) continue;
      const [list, map] = mapper;
      lists[list].push(map(flattenArmProperties(resource) as never, id));
    }
  }
  // Each list holds what its mapper returns: the table above pairs them.
  return { ...(lists as unknown as Omit<EgressInventory, "pages">), pages };
}
