import { isEgressError } from "../errors.js";
import type { AzureReadPort, Read } from "../ports/azure-read-port.js";
import type { OperationOptions } from "../ports/clock.js";
import type { ClusterGraph } from "./cluster-graph.js";
import {
  firewallPrivateAddresses,
  tableObjects,
  type AzureFirewall,
  type DiagnosticSetting,
  type PrivateAddressOwner,
  type EffectiveRouteTable,
  type FirewallPolicy,
  type HubRouteTable,
  type HubVirtualNetworkConnection,
  type RoutingIntent,
  type LoadBalancer,
  type ManagedCluster,
  type NatGateway,
  type PrivateDnsZoneLink,
  type PublicIpAddress,
  type PublicIpPrefix,
  type RouteTable,
  type RuleCollectionGroup,
  type Subnet,
  type VirtualNetwork,
} from "./model.js";
import { privateAddressOwnersOf } from "./private-address-owners.js";
import { resolveCluster } from "./resolve-cluster.js";
import { resourceKey, sameResourceId } from "./resource-id.js";
import { familyOf, inAnyPrefix, publicPart, rangeOf } from "../egress/routes/address-ranges.js";

const parentOf = (id: string): string => id.split("/").slice(0, -2).join("/");
const unique = (ids: readonly (string | null | undefined)[]): string[] => [
  ...new Map(
    ids.filter((id): id is string => typeof id === "string" && id.length > 0).map((id) => [resourceKey(id), id]),
  ).values(),
];

/** The connected peered VNets whose address space holds each of the addresses (the remote VNets, by ID). */
function peeredVnetsHolding(
  addresses: readonly string[],
  vnets: readonly VirtualNetwork[],
): { vnetId: string; addresses: string[] }[] {
  const holding = new Map<string, { vnetId: string; addresses: string[] }>();
  for (const address of addresses) {
    const point = rangeOf(address);
    if (!point) continue;
    for (const peering of vnets.flatMap((vnet) => vnet.peerings)) {
      const remote = peering.remoteVirtualNetworkId;
      if (!remote || peering.state.toLowerCase() !== "connected") continue;
      if (!inAnyPrefix(peering.remoteAddressPrefixes, point)) continue;
      const entry = holding.get(resourceKey(remote)) ?? { vnetId: remote, addresses: [] };
      if (!entry.addresses.includes(address)) entry.addresses.push(address);
      holding.set(resourceKey(remote), entry);
    }
  }
  return [...holding.values()];
}

/** The Azure Firewalls with an IP configuration in a subnet of the VNet that holds each address. */
function hiddenFirewallsOf(
  vnet: VirtualNetwork | undefined,
  addresses: readonly string[],
): { id: string; owns: string[] }[] {
  const owners = new Map<string, { id: string; owns: string[] }>();
  for (const subnet of vnet?.subnets ?? []) {
    const held = addresses.filter((address) => {
      const point = rangeOf(address);
      return point !== null && inAnyPrefix(subnet.addressPrefixes, point);
    });
    if (held.length === 0) continue;
    for (const id of subnet.azureFirewallIds) {
      const entry = owners.get(resourceKey(id)) ?? { id, owns: [] };
      entry.owns.push(...held.filter((address) => !entry.owns.includes(address)));
      owners.set(resourceKey(id), entry);
    }
  }
  return [...owners.values()];
}

/** The NIC whose effective routes stand for a subnet's: a standalone node NIC, one in the node resource group first. */
function nodeInterfaceOf(subnet: Subnet, nodeResourceGroup: string | null): string | null {
  const group = nodeResourceGroup?.toLowerCase();
  const inNodeGroup = subnet.networkInterfaceIds.find(
    (id) => group !== undefined && id.toLowerCase().includes(`/resourcegroups/${group}/`),
  );
  return inNodeGroup ?? subnet.networkInterfaceIds[0] ?? null;
}

/**
 * Reads everything a cluster's egress depends on by following IDs (never names): node and pod
 * subnets, their VNets, route tables and NAT gateways, public IPs and prefixes, the cluster's load
 * balancer, the firewall a default route points at (matched by private IP) with its policy, rule
 * collection groups, diagnostic settings and subnet NAT gateway, DNS zone links and the cluster's
 * outbound dependencies. Independent reads run in parallel; a failed read becomes a problem and the
 * rest goes on.
 */
export async function readClusterGraph(
  azure: AzureReadPort,
  clusterText: string,
  options: OperationOptions = {},
  onRead: (read: ClusterGraph["reads"][number]) => void = () => undefined,
): Promise<ClusterGraph> {
  const subnets = new Map<string, Subnet>();
  const virtualNetworks = new Map<string, VirtualNetwork>();
  const routeTables = new Map<string, RouteTable>();
  const natGateways = new Map<string, NatGateway>();
  const publicIps = new Map<string, PublicIpAddress>();
  const publicIpPrefixes = new Map<string, PublicIpPrefix>();
  const loadBalancers = new Map<string, LoadBalancer>();
  const firewalls = new Map<string, AzureFirewall>();
  const firewallPolicies = new Map<string, FirewallPolicy>();
  const ruleCollectionGroups = new Map<string, readonly RuleCollectionGroup[]>();
  const diagnosticSettings = new Map<string, readonly DiagnosticSetting[]>();
  const dnsZoneLinks = new Map<string, readonly PrivateDnsZoneLink[]>();
  const hubConnections = new Map<string, readonly HubVirtualNetworkConnection[]>();
  const routingIntents = new Map<string, readonly RoutingIntent[]>();
  const hubRouteTables = new Map<string, readonly HubRouteTable[]>();
  const effectiveRoutes = new Map<string, EffectiveRouteTable>();
  const privateAddressOwners: PrivateAddressOwner[] = [];
  const reads: ClusterGraph["reads"][number][] = [];
  // Each read is told as it completes, so a step can keep its evidence even if a later read hangs.
  const noteRead = (read: ClusterGraph["reads"][number]): void => {
    reads.push(read);
    onRead(read);
  };
  const problems: ClusterGraph["problems"][number][] = [];

  /** Reads one thing into a map; a failure is recorded, not thrown (cancellation still is). */
  const load = async <T>(
    map: Map<string, T> | null,
    id: string | null,
    describe: (value: T) => string,
    read: () => Promise<Read<T>>,
    about: { readonly what?: string; readonly owns?: readonly string[] } = {},
  ): Promise<T | undefined> => {
    try {
      const result = await read();
      noteRead({ source: result.source, asOf: result.asOf, summary: describe(result.value), value: result.value });
      if (map && id) map.set(resourceKey(id), result.value);
      return result.value;
    } catch (error) {
      if (!isEgressError(error) || error.code === "RUN_CANCELLED") throw error;
      problems.push({
        resourceId: id,
        code: error.code,
        message: error.message,
        ...about,
        ...(error.remediation ? { remediation: error.remediation } : {}),
      });
      return undefined;
    }
  };
  /** Like `load`, but a resource that does not exist is an answer, not a problem, unless `expected`. */
  const loadOptional = async <T>(
    map: Map<string, T>,
    id: string,
    describe: (value: T) => string,
    read: () => Promise<Read<T>>,
    expected: boolean,
  ): Promise<T | undefined> => {
    try {
      const result = await read();
      noteRead({ source: result.source, asOf: result.asOf, summary: describe(result.value), value: result.value });
      map.set(resourceKey(id), result.value);
      return result.value;
    } catch (error) {
      if (isEgressError(error) && error.code === "AZURE_NOT_FOUND" && !expected) return undefined;
      if (!isEgressError(error) || error.code === "RUN_CANCELLED") throw error;
      problems.push({
        resourceId: id,
        code: error.code,
        message: error.message,
        ...(error.remediation ? { remediation: error.remediation } : {}),
      });
      return undefined;
    }
  };
  const loadPublicIps = (ids: readonly (string | null)[]) =>
    unique(ids).map((id) =>
      load(
        publicIps,
        id,
        (ip) => `public IP ${ip.name} ${ip.ipAddress ?? "(no address)"}`,
        () => azure.getPublicIpAddress(id, options),
      ),
    );
  const loadSubnets = (ids: readonly (string | null)[]) =>
    unique(ids).map((id) =>
      load(
        subnets,
        id,
        (subnet) => `subnet ${subnet.name}`,
        () => azure.getSubnet(id, options),
      ),
    );
  const loadNatGateways = (ids: readonly (string | null)[]) =>
    unique(ids).map((id) =>
      load(
        natGateways,
        id,
        (gateway) => `NAT gateway ${gateway.name}`,
        () => azure.getNatGateway(id, options),
      ),
    );

  const { match, read: found } = await resolveCluster(azure, clusterText, options);
  // Resource Graph's name lookup brings the cluster's body with it; an ID or alias reads it from ARM.
  const clusterRead: Read<ManagedCluster> = match.cluster
    ? { value: match.cluster, asOf: found.asOf, source: { ...found.source, resourceId: match.id } }
    : await azure.getCluster(match.id, options);
  const cluster = clusterRead.value;
  noteRead({
    source: clusterRead.source,
    asOf: clusterRead.asOf,
    summary: `cluster ${cluster.name}`,
    value: cluster,
  });

  // A UDR cluster's default route almost always points at a firewall: start looking for firewalls now,
  // in parallel with the subnets, rather than a round trip later.
  // It becomes evidence only if a default route needs it.
  const firewallLookup = (): Promise<Read<readonly AzureFirewall[]>> => azure.listAzureFirewalls(options);
  const early =
    cluster.outboundType.toLowerCase() === "userdefinedrouting"
      ? firewallLookup().then(
          (read) => ({ read }),
          (error: unknown) => ({ error }),
        )
      : undefined;

  // 1. Everything the cluster names directly.
  const nodeLoadBalancer = cluster.nodeResourceGroup
    ? `/subscriptions/${cluster.subscriptionId}/resourceGroups/${cluster.nodeResourceGroup}/providers/Microsoft.Network/loadBalancers/kubernetes`
    : null;
  const [outboundDependencies] = await Promise.all([
    load(
      null,
      cluster.id,
      (value) => `${value.length} outbound dependencies`,
      () => azure.listOutboundDependencies(cluster.id, options),
    ),
    ...loadSubnets(cluster.agentPools.flatMap((pool) => [pool.vnetSubnetId, pool.podSubnetId])),
    ...loadPublicIps([
      ...(cluster.loadBalancerProfile?.effectiveOutboundIpIds ?? []),
      ...(cluster.natGatewayProfile?.effectiveOutboundIpIds ?? []),
    ]),
    ...(nodeLoadBalancer
      ? [
          loadOptional(
            loadBalancers,
            nodeLoadBalancer,
            (lb) => `load balancer ${lb.name}`,
            () => azure.getLoadBalancer(nodeLoadBalancer, options),
            cluster.outboundType.toLowerCase() === "loadbalancer",
          ),
        ]
      : []),
  ]);

  // 2. What the subnets name: VNets (DNS), route tables, NAT gateways; and, in parallel, whether any
  // Virtual WAN hub exists (its connections can inject a default route no route table shows).
  const nodeSubnets = [...subnets.values()];
  const vnetIds = unique(nodeSubnets.map((subnet) => parentOf(subnet.id)));
  const hubSearch = load(
    null,
    null,
    (table) => `${table.rows.length} Virtual WAN hub(s) in the subscriptions`,
    () => azure.queryResourceGraph({ name: "virtualHubs", parameters: {} }, options),
    { what: "virtual hub search" },
  );
  await Promise.all([
    ...vnetIds.map((id) =>
      load(
        virtualNetworks,
        id,
        (vnet) => `virtual network ${vnet.name}`,
        () => azure.getVirtualNetwork(id, options),
      ),
    ),
    ...vnetIds.map((id) =>
      load(
        dnsZoneLinks,
        id,
        (links) => `${links.length} private DNS zone link(s)`,
        () => azure.listPrivateDnsZoneLinks(id, options),
      ),
    ),
    ...unique(nodeSubnets.map((subnet) => subnet.routeTableId)).map((id) =>
      load(
        routeTables,
        id,
        (table) => `route table ${table.name}`,
        () => azure.getRouteTable(id, options),
      ),
    ),
    ...loadNatGateways(nodeSubnets.map((subnet) => subnet.natGatewayId)),
    // What Azure applies, BGP and Virtual WAN included: one node NIC's effective routes per subnet.
    ...nodeSubnets.flatMap((subnet) => {
      const nic = nodeInterfaceOf(subnet, cluster.nodeResourceGroup);
      return nic
        ? [
            // Keyed by the subnet, but a failure is the NIC's: the subnet itself was read.
            load(
              null,
              nic,
              (table: EffectiveRouteTable) =>
                `${table.routes.length} effective route(s) of ${nic.split("/").pop() ?? ""}`,
              () => azure.getEffectiveRouteTable(nic, options),
              { what: `effective routes of ${nic.split("/").pop() ?? ""}` },
            ).then((table) => table && effectiveRoutes.set(resourceKey(subnet.id), table)),
          ]
        : [];
    }),
  ]);
  // A spoke connected to a hub shows the connection as a peering: read the hubs' connections and
  // routing intent, and the firewall a routing intent names.
  const hubs = tableObjects((await hubSearch) ?? { columns: [], rows: [] }).map((row) => String(row.id));
  const peered = [...virtualNetworks.values()].some((vnet) =>
    vnet.peerings.some((peering) => peering.state.toLowerCase() === "connected"),
  );
  await Promise.all([
    ...loadNatGateways([...virtualNetworks.values()].map((vnet) => vnet.defaultPublicNatGatewayId)),
    ...(peered
      ? hubs.flatMap((hubId) => [
          load(
            hubConnections,
            hubId,
            (connections) => `${connections.length} hub connection(s) of ${hubId.split("/").pop() ?? ""}`,
            () => azure.listHubVirtualNetworkConnections(hubId, options),
          ),
          load(
            hubRouteTables,
            hubId,
            (tables) => `${tables.length} hub route table(s) of ${hubId.split("/").pop() ?? ""}`,
            () => azure.listHubRouteTables(hubId, options),
          ),
          load(
            routingIntents,
            hubId,
            (intents) => `${intents.length} routing intent(s) of ${hubId.split("/").pop() ?? ""}`,
            () => azure.listRoutingIntents(hubId, options),
          ),
        ])
      : []),
  ]);
  await Promise.all(
    unique([
      ...[...routingIntents.values()].flat().map((intent) => intent.internetNextHop),
      ...[...hubRouteTables.values()].flat().flatMap((table) => table.routes.map((route) => route.nextHop)),
    ])
      .filter((id) => id.toLowerCase().includes("/azurefirewalls/"))
      .map((id) =>
        load(
          firewalls,
          id,
          (firewall) => `firewall ${firewall.name} (routing intent)`,
          () => azure.getAzureFirewall(id, options),
        ),
      ),
  );

  // 3. The firewall a route for public destinations points at (a default route, split routes, any
  // prefix that covers public addresses), found by its private address.
  const nextHops = new Set(
    [...routeTables.values()].flatMap((table) =>
      table.routes
        .filter(
          (route) =>
            route.nextHopIpAddress &&
            route.nextHopType.toLowerCase().startsWith("virtualappliance") &&
            rangeOf(route.addressPrefix) !== null &&
            publicPart([route.addressPrefix], familyOf(route.addressPrefix) ?? 4).length > 0,
        )
        .map((route) => route.nextHopIpAddress ?? ""),
    ),
  );
  if (nextHops.size === 0) await early;
  if (nextHops.size > 0) {
    let searched: Read<readonly AzureFirewall[]> | undefined;
    const found = await load(
      null,
      null,
      (list) => `${list.length} firewall(s) in the subscriptions`,
      async () => {
        const started = await early;
        if (started && "error" in started) throw started.error;
        searched = started ? started.read : await firewallLookup();
        return searched;
      },
      { what: "firewall search" },
    );
    // The firewalls that hold a next hop, with the next hops each holds: the search returned them whole.
    const owners = (found ?? [])
      .map((firewall) => ({
        firewall,
        owns: firewallPrivateAddresses(firewall).filter((address) => nextHops.has(address)),
      }))
      .filter((owner) => owner.owns.length > 0);
    for (const { firewall } of owners) {
      firewalls.set(resourceKey(firewall.id), firewall);
      // Its own evidence item, as a GET of it would have been: the search's answer, naming the firewall.
      if (searched)
        noteRead({
          source: { ...searched.source, resourceId: firewall.id },
          asOf: searched.asOf,
          summary: `firewall ${firewall.name}`,
          value: firewall,
        });
    }
    // An address no firewall holds may be an internal load balancer in front of appliances, or an
    // appliance's NIC: search for those (only when the firewall search itself answered).
    const ownedAddresses = new Set(owners.flatMap((owner) => owner.owns));
    const orphans = found ? [...nextHops].filter((address) => !ownedAddresses.has(address)) : [];
    await Promise.all([
      // Resource Graph lists only what the identity may read: a firewall in another team's resource
      // group can be missing from the search. Its subnet, in the peered VNet the address lies in, names it.
      ...peeredVnetsHolding(orphans, [...virtualNetworks.values()]).map(({ vnetId, addresses }) =>
        load(
          null,
          vnetId,
          (vnet: VirtualNetwork) => `virtual network ${vnet.name} (peered, holds ${addresses.join(", ")})`,
          () => azure.getVirtualNetwork(vnetId, options),
          { what: `peered virtual network ${vnetId.split("/").pop() ?? ""}, where ${addresses.join(", ")} lies` },
        ).then((vnet) =>
          Promise.all(
            hiddenFirewallsOf(vnet, addresses).map(({ id, owns }) =>
              load(
                firewalls,
                id,
                (firewall) => `firewall ${firewall.name} (found through its subnet)`,
                () => azure.getAzureFirewall(id, options),
                // A failed read says which next hops it holds: it is known to stand on the path, not to be absent.
                { what: `firewall ${id.split("/").pop() ?? ""}, owner of ${owns.join(", ")}`, owns },
              ),
            ),
          ),
        ),
      ),
      ...(orphans.length > 0
        ? [
            load(
              null,
              null,
              (table) => `${table.rows.length} load balancer(s) or NIC(s) holding ${orphans.join(", ")}`,
              () =>
                azure.queryResourceGraph({ name: "privateAddressOwners", parameters: { addresses: orphans } }, options),
              { what: "appliance search" },
            ).then((table) => {
              if (table) privateAddressOwners.push(...privateAddressOwnersOf(tableObjects(table), new Set(orphans)));
            }),
          ]
        : []),
    ]);
  }

  // 4. What the firewalls name: public IPs, their subnet (a NAT gateway there changes the source IPs), policy, logs.
  const firewallList = [...firewalls.values()];
  const firewallSubnetIds = unique(
    firewallList.flatMap((firewall) => firewall.ipConfigurations.map((configuration) => configuration.subnetId)),
  );
  await Promise.all([
    ...loadPublicIps(
      firewallList.flatMap((firewall) =>
        firewall.ipConfigurations.map((configuration) => configuration.publicIpAddressId),
      ),
    ),
    ...loadSubnets(firewallSubnetIds),
    ...unique(firewallList.map((firewall) => firewall.firewallPolicyId)).flatMap((id) => [
      load(
        firewallPolicies,
        id,
        (policy) => `firewall policy ${policy.name}`,
        () => azure.getFirewallPolicy(id, options),
      ),
      load(
        ruleCollectionGroups,
        id,
        (groups) => `${groups.length} rule collection group(s)`,
        () => azure.listRuleCollectionGroups(id, options),
      ),
    ]),
    ...firewallList.map((firewall) =>
      load(
        diagnosticSettings,
        firewall.id,
        (settings) => `${settings.length} diagnostic setting(s)`,
        () => azure.listDiagnosticSettings(firewall.id, options),
      ),
    ),
  ]);
  // The firewall's own subnet decides where it sends internet traffic: its route table (forced
  // tunnelling) and its NAT gateway.
  const firewallSubnets = [...subnets.values()].filter((subnet) =>
    firewallSubnetIds.some((id) => sameResourceId(id, subnet.id)),
  );
  await Promise.all([
    ...loadNatGateways(firewallSubnets.map((subnet) => subnet.natGatewayId)),
    ...unique(firewallSubnets.map((subnet) => subnet.routeTableId))
      .filter((id) => !routeTables.has(resourceKey(id)))
      .map((id) =>
        load(
          routeTables,
          id,
          (table) => `route table ${table.name} (firewall subnet)`,
          () => azure.getRouteTable(id, options),
        ),
      ),
  ]);

  // 5. Every public address source: the NAT gateways' IPs and prefixes (both families), the load
  // balancer's outbound frontends (IPs and prefixes) and the profile's prefixes, node public IP prefixes.
  const gateways = [...natGateways.values()];
  const outboundFrontends = [...loadBalancers.values()].flatMap((balancer) => {
    const used = new Set(balancer.outboundRules.flatMap((rule) => rule.frontendIds).map(resourceKey));
    return balancer.frontends.filter((frontend) => used.has(resourceKey(frontend.id)));
  });
  await Promise.all([
    ...loadPublicIps([
      ...gateways.flatMap((gateway) => gateway.publicIpAddressIds),
      ...outboundFrontends.map((frontend) => frontend.publicIpAddressId),
    ]),
    ...unique([
      ...gateways.flatMap((gateway) => gateway.publicIpPrefixIds),
      ...outboundFrontends.map((frontend) => frontend.publicIpPrefixId),
      ...(cluster.loadBalancerProfile?.outboundIpPrefixIds ?? []),
      ...cluster.agentPools.map((pool) => (pool.enableNodePublicIp ? pool.nodePublicIpPrefixId : null)),
    ]).map((id) =>
      load(
        publicIpPrefixes,
        id,
        (prefix) => `public IP prefix ${prefix.name} ${prefix.ipPrefix ?? ""}`,
        () => azure.getPublicIpPrefix(id, options),
      ),
    ),
  ]);

  return {
    cluster,
    subnets,
    virtualNetworks,
    routeTables,
    natGateways,
    publicIps,
    publicIpPrefixes,
    loadBalancers,
    firewalls,
    firewallPolicies,
    ruleCollectionGroups,
    diagnosticSettings,
    dnsZoneLinks,
    hubConnections,
    routingIntents,
    hubRouteTables,
    effectiveRoutes,
    privateAddressOwners,
    outboundDependencies: outboundDependencies ?? null,
    reads,
    problems,
  };
}
