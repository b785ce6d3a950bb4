import type { EgressInventory } from "../azure/egress-inventory.js";
import type { ManagedCluster } from "../azure/model.js";
import { resourceKey } from "../azure/resource-id.js";
import { EgressError, ErrorCode } from "../errors.js";
import type { AzureReadPort, ClusterMatch, Read, ReadSource } from "../ports/azure-read-port.js";

/** What a cluster's reads asked for that Resource Graph does not hold, by kind. */
export interface BeyondInventory {
  /** A Virtual WAN hub's connections, route tables or routing intent (they can inject the default route). */
  readonly virtualWan: string[];
  /** A node NIC's effective routes (BGP routes, what Azure really applies). */
  readonly effectiveRoutes: string[];
}

/**
 * The inventory indexed by lower-cased resource ID (subnets too, from their VNets), built once and
 * shared by every cluster's port.
 */
export interface InventoryIndex {
  readonly inventory: EgressInventory;
  readonly byId: ReadonlyMap<string, unknown>;
  readonly clusters: readonly ManagedCluster[];
}

/** Indexes an inventory for {@link inventoryReadPort}. */
export function indexInventory(inventory: EgressInventory): InventoryIndex {
  const byId = new Map<string, unknown>();
  for (const list of [
    inventory.clusters,
    inventory.virtualNetworks,
    inventory.routeTables,
    inventory.natGateways,
    inventory.publicIps,
    inventory.publicIpPrefixes,
    inventory.loadBalancers,
    inventory.firewalls,
  ])
    for (const resource of list) byId.set(resourceKey(resource.id), resource);
  for (const vnet of inventory.virtualNetworks)
    for (const subnet of vnet.subnets) byId.set(resourceKey(subnet.id), subnet);
  return { inventory, byId, clusters: inventory.clusters };
}

/**
 * The Azure read port over an inventory already read: every GET the cluster graph reader makes is
 * answered from Resource Graph's copy, so the fleet runs the very resolver `show cluster` runs with no
 * request per cluster. A resource the inventory lacks is "not found" with the reason (Resource Graph
 * lists only what the identity may read), never silently absent where the path needs it; reads
 * Resource Graph cannot answer are refused and noted in `beyond`, so the fleet can say which clusters
 * need `show cluster`. Pure: no I/O.
 */
export function inventoryReadPort(
  index: InventoryIndex,
  read: { readonly asOf: string; readonly source: ReadSource; readonly simulated: boolean },
  beyond: BeyondInventory = { virtualWan: [], effectiveRoutes: [] },
): AzureReadPort {
  const answer = <T>(value: T, resourceId: string | null): Read<T> => ({
    value,
    asOf: read.asOf,
    source: { ...read.source, resourceId },
  });
  const get =
    <T>(what: string) =>
    (id: string): Promise<Read<T>> => {
      const found = index.byId.get(resourceKey(id));
      if (found === undefined)
        return Promise.reject(
          new EgressError(
            ErrorCode.AzureNotFound,
            `The ${what} ${id.split("/").pop() ?? id} is not in Resource Graph's inventory: it does not exist, or the bot may not read it.`,
            {
              remediation: "Grant Reader on its subscription or resource group, or run `show cluster` for a full read.",
            },
          ),
        );
      return Promise.resolve(answer(found as T, id));
    };
  const notInResourceGraph =
    (what: string, note?: (id: string) => void) =>
    (first?: unknown): Promise<never> => {
      note?.(typeof first === "string" ? first : "");
      return Promise.reject(
        new EgressError(ErrorCode.NotAvailable, `${what} is not in Resource Graph: \`show cluster\` reads it.`),
      );
    };
  const matchesOf = (clusters: readonly ManagedCluster[]): ClusterMatch[] =>
    clusters.map((cluster) => ({
      id: cluster.id,
      name: cluster.name,
      resourceGroup: cluster.resourceGroup,
      subscriptionId: cluster.subscriptionId,
      location: cluster.location,
      cluster,
    }));
  return {
    simulated: read.simulated,
    getResource: notInResourceGraph("A resource's raw body"),
    findClusters: (reference) => {
      const lower = (text: string | undefined) => (text ?? "").toLowerCase();
      if (reference.kind === "id") {
        const cluster = index.byId.get(resourceKey(reference.text)) as ManagedCluster | undefined;
        return Promise.resolve(answer(matchesOf(cluster ? [cluster] : []), null));
      }
      const found = index.clusters.filter(
        (cluster) =>
          lower(cluster.name) === lower(reference.name) &&
          (reference.kind !== "path" || lower(cluster.resourceGroup) === lower(reference.resourceGroup)) &&
          (reference.kind !== "path" ||
            !reference.subscriptionId ||
            lower(cluster.subscriptionId) === lower(reference.subscriptionId)),
      );
      return Promise.resolve(answer(matchesOf(found), null));
    },
    getCluster: get("cluster"),
    listOutboundDependencies: notInResourceGraph("A cluster's outbound dependencies"),
    getSubnet: get("subnet"),
    getVirtualNetwork: get("virtual network"),
    getRouteTable: get("route table"),
    getNatGateway: get("NAT gateway"),
    getPublicIpAddress: get("public IP"),
    getPublicIpPrefix: get("public IP prefix"),
    getLoadBalancer: get("load balancer"),
    getAzureFirewall: get("firewall"),
    listAzureFirewalls: () => Promise.resolve(answer(index.inventory.firewalls, null)),
    getFirewallPolicy: notInResourceGraph("A firewall policy"),
    listRuleCollectionGroups: notInResourceGraph("A firewall policy's rules"),
    getPrivateEndpoint: notInResourceGraph("A private endpoint"),
    getEffectiveRouteTable: notInResourceGraph("A NIC's effective routes", (id) => beyond.effectiveRoutes.push(id)),
    listHubVirtualNetworkConnections: notInResourceGraph("A hub's connections", (id) => beyond.virtualWan.push(id)),
    listHubRouteTables: notInResourceGraph("A hub's route tables", (id) => beyond.virtualWan.push(id)),
    listRoutingIntents: notInResourceGraph("A hub's routing intent", (id) => beyond.virtualWan.push(id)),
    listPrivateDnsZoneLinks: notInResourceGraph("A VNet's private DNS zone links"),
    listDiagnosticSettings: notInResourceGraph("A resource's diagnostic settings"),
    getMetrics: notInResourceGraph("Azure Monitor metrics"),
    readEgressInventory: () => Promise.resolve(answer(index.inventory, null)),
    queryResourceGraph: (request) => {
      if (request.name === "virtualHubs")
        return Promise.resolve(
          answer(
            {
              columns: [{ name: "id", type: "string" }],
              rows: index.inventory.virtualHubIds.map((id) => [id]),
            },
            null,
          ),
        );
      return notInResourceGraph(`The ${request.name} search`)("");
    },
    queryLogs: notInResourceGraph("Log Analytics"),
  };
}
