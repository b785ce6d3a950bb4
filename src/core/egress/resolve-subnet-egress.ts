import type { ClusterGraph } from "../azure/cluster-graph.js";
import type { AgentPool, AzureFirewall, Subnet, VirtualNetwork } from "../azure/model.js";
import { nameOfId as nameOf, resourceKey } from "../azure/resource-id.js";
import type { Egress, EgressKind, SnatByType } from "./egress-model.js";
import { noSources, SourceCollector, unknownSources, whyMissing, type Sources } from "./egress-sources.js";
import { effectiveRouteSet } from "./routes/effective-route-set.js";
import { nextHopOwner } from "./routes/next-hop-owner.js";
import { buildRouteSet, type EvaluatedRoute, type InjectedRoute, type RouteSet } from "./routes/route-set.js";
import { internetPaths, type InternetPath } from "./routes/select-route.js";

/** One way out to the internet, as findings and views show it. */
export interface InternetPathSummary {
  readonly nextHopType: InternetPath["nextHopType"];
  readonly nextHopIps: readonly string[];
  /** The routes selected along it: `name prefix` each. */
  readonly routes: readonly string[];
  readonly destinations: readonly string[];
  readonly share: number;
}

/** The egress of one subnet and the public sources it gives, with what the resolution noticed. */
export interface SubnetEgress {
  readonly egress: Egress;
  /** The known sources; empty unless `sources.state` is known. */
  readonly sourceCidrs: readonly string[];
  readonly sources: Sources["state"];
  /** The subnet could not be read: the answer is from the cluster's declared settings only. */
  readonly subnetUnknown: boolean;
  /** The internet route goes to an address that no Azure Firewall the bot could search owns. */
  readonly unresolvedNextHop: string | null;
  /** Owners of the next hop exist, but none the packet can reach, or more than one. */
  readonly nextHopProblem: {
    readonly kind: "ambiguous" | "unreachable";
    readonly address: string;
    readonly owners: readonly string[];
  } | null;
  /** The firewall on the path sends internet traffic through a NAT gateway on its own subnet. */
  readonly firewallSubnetNatGatewayId: string | null;
  /** The firewall on the path sends internet traffic on (to a gateway or an appliance) instead of out. */
  readonly forcedTunnel: {
    readonly firewallId: string;
    readonly nextHopType: string;
    readonly nextHopIps: readonly string[];
    readonly routeTableId: string;
  } | null;
  /** How the subnet reaches public IPv4 addresses, largest share first (several: the internet is split). */
  readonly internetPaths: readonly InternetPathSummary[];
  /** The same for public IPv6 addresses, on a dual-stack VNet (empty otherwise). */
  readonly internetPathsV6: readonly InternetPathSummary[];
  /** The subnet's whole route set, for a destination's own route (`--dest`). */
  readonly routes: readonly EvaluatedRoute[];
  /** Why BGP may add routes configuration cannot show, or null. */
  readonly bgpMayAdd: string | null;
  /** A NAT gateway on the subnet that the selected route leaves idle. */
  readonly idleNatGatewayId: string | null;
  /** User routes that could not be evaluated (service tags, unknown next hops). */
  readonly unevaluatedRoutes: RouteSet["unevaluated"];
  /**
   * Where the configured routes and a node NIC's effective routes send the internet differently:
   * each family whose paths differ, with both descriptions. Empty when they agree or when only
   * configuration was read.
   */
  readonly routeDisagreements: readonly RouteDisagreement[];
}

/** Configured and effective routes that send a family's internet traffic differently. */
export interface RouteDisagreement {
  readonly family: 4 | 6;
  readonly networkInterfaceId: string;
  readonly configured: string;
  readonly effective: string;
}

const get = <T>(map: ReadonlyMap<string, T>, id: string | null | undefined): T | undefined =>
  id ? map.get(resourceKey(id)) : undefined;
const parentOf = (id: string): string => id.split("/").slice(0, -2).join("/");

/** The parts of a SubnetEgress every answer has, before the path decides the rest. */
interface Context {
  readonly graph: ClusterGraph;
  readonly subnet: Subnet;
  readonly vnet: VirtualNetwork | null;
  readonly routeTableId: string | null;
  readonly paths: readonly InternetPathSummary[];
  readonly pathsV6: readonly InternetPathSummary[];
  readonly routeSet: RouteSet;
}

const egressOf = (
  kind: EgressKind,
  snatBy: SnatByType,
  resourceId: string | null,
  via: readonly (string | null)[],
  routeTableId: string | null,
  nextHopIp: string | null = null,
): Egress => ({
  kind,
  snatBy: { type: snatBy, resourceId },
  via: via.filter((id): id is string => typeof id === "string" && id.length > 0),
  routeTableId,
  nextHopIp,
  routeBasis: "configured",
  effectiveRoutesOf: null,
});

const answer = (
  egress: Egress,
  sources: Sources,
  context: Partial<Context> = {},
  extra: Partial<SubnetEgress> = {},
): SubnetEgress => ({
  egress,
  sourceCidrs: sources.cidrs,
  sources: sources.state,
  subnetUnknown: false,
  unresolvedNextHop: null,
  nextHopProblem: null,
  firewallSubnetNatGatewayId: null,
  forcedTunnel: null,
  internetPaths: context.paths ?? [],
  internetPathsV6: context.pathsV6 ?? [],
  routes: context.routeSet?.routes ?? [],
  bgpMayAdd: context.routeSet?.bgpMayAdd ?? null,
  idleNatGatewayId: null,
  unevaluatedRoutes: context.routeSet?.unevaluated ?? [],
  routeDisagreements: [],
  ...extra,
});

/** How a family's internet paths read, to compare configured with effective: `type ips share%` each. */
const describePaths = (paths: readonly InternetPath[]): string =>
  paths.length === 0
    ? "no route"
    : paths
        .map(
          (path) =>
            `${path.nextHopType}${path.nextHopIps.length > 0 ? ` ${[...path.nextHopIps].sort().join(",")}` : ""} (${Math.round(path.share * 1000) / 10}%)`,
        )
        .join(" + ");

const summarise = (paths: readonly InternetPath[]): InternetPathSummary[] =>
  paths.map((path) => ({
    nextHopType: path.nextHopType,
    nextHopIps: path.nextHopIps,
    routes: path.routes.map(
      (route) => `${route.origin === "system" ? route.name : route.name || "route"} ${route.prefix}`,
    ),
    destinations: path.destinations,
    share: path.share,
  }));

/**
 * The egress of a subnet, as Azure decides it. First the route: the subnet's route set (system
 * routes, the attached route table, injected routes) and, by longest prefix match, the route Azure
 * selects for public destinations. A route to an appliance is followed to the resource that owns
 * the address in a VNet the packet can reach, and into that firewall's own subnet (forced
 * tunnelling, a NAT gateway there). A route to the internet falls to the documented precedence: a
 * NAT gateway on the subnet, then a VNet-level one; instance-level public IPs; load balancer
 * outbound rules; default outbound access where the subnet allows it. Whatever could not be read
 * makes that part unknown, with why; it never reads as absent. Pure; never throws.
 */
export function resolveSubnetEgress(
  graph: ClusterGraph,
  subnetId: string | null,
  pool: AgentPool | null,
): SubnetEgress {
  const subnet = get(graph.subnets, subnetId);
  if (!subnet) return declaredOnly(graph, subnetId);
  const vnet = get(graph.virtualNetworks, parentOf(subnet.id)) ?? null;
  const routeTableId = subnet.routeTableId;
  const routeTable = get(graph.routeTables, routeTableId);
  if (routeTableId && !routeTable) {
    return answer(
      egressOf("unknown", "unknown", null, [subnet.id, routeTableId], routeTableId),
      unknownSources(`the subnet's route table decides the path, and ${whyMissing(graph, routeTableId)}`),
    );
  }
  const configured = buildRouteSet({
    virtualNetwork: vnet,
    routeTable: routeTable ?? null,
    injected: virtualWanRoutes(graph, vnet, routeTable?.disableBgpRoutePropagation ?? false),
  });
  // A node NIC's effective routes, when Azure gave them, are what the packet meets: prefer them,
  // and name every family where configuration alone would have said otherwise.
  const effectiveTable = get(graph.effectiveRoutes, subnet.id);
  const routeSet = effectiveTable ? effectiveRouteSet(effectiveTable) : configured;
  const found = internetPaths(routeSet.routes, 4);
  const foundV6 = internetPaths(routeSet.routes, 6);
  const routeDisagreements: RouteDisagreement[] = [];
  if (effectiveTable) {
    for (const [family, effective] of [
      [4, found],
      [6, foundV6],
    ] as const) {
      const fromConfiguration = describePaths(internetPaths(configured.routes, family));
      const fromEffective = describePaths(effective);
      if (fromConfiguration !== fromEffective && !(family === 6 && effective.length === 0))
        routeDisagreements.push({
          family,
          networkInterfaceId: effectiveTable.networkInterfaceId,
          configured: fromConfiguration,
          effective: fromEffective,
        });
    }
  }
  const context: Context = {
    graph,
    subnet,
    vnet,
    routeTableId,
    paths: summarise(found),
    pathsV6: summarise(foundV6),
    routeSet,
  };
  const result = routedEgress(context, found[0], pool);
  return effectiveTable
    ? {
        ...result,
        egress: { ...result.egress, routeBasis: "effective", effectiveRoutesOf: effectiveTable.networkInterfaceId },
        routeDisagreements,
      }
    : result;
}

/** The egress the selected route for public destinations leads to. */
function routedEgress(context: Context, primary: InternetPath | undefined, pool: AgentPool | null): SubnetEgress {
  const { subnet, routeTableId } = context;
  const idleNat = (result: SubnetEgress): SubnetEgress =>
    subnet.natGatewayId && result.egress.kind !== "natGateway"
      ? { ...result, idleNatGatewayId: subnet.natGatewayId }
      : result;
  switch (primary?.nextHopType) {
    case "VirtualAppliance":
      return idleNat(applianceEgress(context, primary.nextHopIps[0] ?? null));
    case "VirtualNetworkGateway":
      return idleNat(
        answer(
          egressOf("virtualNetworkGateway", "onPremises", null, [subnet.id, routeTableId], routeTableId),
          unknownSources(
            "internet traffic goes to the virtual network gateway (forced tunnelling): the public source lies on-premises",
          ),
          context,
        ),
      );
    case "None":
      return idleNat(
        answer(
          egressOf("none", "none", null, [subnet.id, routeTableId], routeTableId),
          noSources(
            `the route for public destinations goes to None in ${nameOf(routeTableId) || "the route set"}: traffic is dropped`,
          ),
          context,
        ),
      );
    case "VnetLocal":
    case "VNetPeering":
      return idleNat(
        answer(
          egressOf("none", "none", null, [subnet.id, routeTableId], routeTableId),
          noSources(
            `the route for public destinations goes to ${primary.nextHopType}, where no public address answers: traffic is dropped`,
          ),
          context,
        ),
      );
    default:
      return internetEgress(context, pool);
  }
}

/**
 * The default route a Virtual WAN hub injects into a spoke (Learn: "How to configure Virtual WAN Hub
 * routing intent and routing policies"): the spoke's hub connection has `enableInternetSecurity`,
 * and the hub's routing intent sends Internet traffic to its firewall, whose hub address becomes the
 * next hop. A route table that disables gateway route propagation keeps it out of the subnet.
 */
function virtualWanRoutes(
  graph: ClusterGraph,
  vnet: VirtualNetwork | null,
  propagationDisabled: boolean,
): InjectedRoute[] {
  if (!vnet || propagationDisabled) return [];
  const routes: InjectedRoute[] = [];
  for (const [hubKey, connections] of graph.hubConnections) {
    const connection = connections.find(
      (candidate) =>
        candidate.enableInternetSecurity && candidate.remoteVirtualNetworkId?.toLowerCase() === vnet.id.toLowerCase(),
    );
    if (!connection) continue;
    // Routing intent first; a hub secured through Firewall Manager instead has a 0.0.0.0/0 route to
    // its firewall in the route table the connection is associated with (the default one otherwise).
    const intent = graph.routingIntents.get(hubKey)?.find((candidate) => candidate.internetNextHop);
    const tables = graph.hubRouteTables.get(hubKey) ?? [];
    const table =
      tables.find((candidate) =>
        candidate.associatedConnections.some((id) => id.toLowerCase() === connection.id.toLowerCase()),
      ) ?? tables.find((candidate) => candidate.name.toLowerCase() === "defaultroutetable");
    const tableRoute = table?.routes.find(
      (route) => route.destinations.includes("0.0.0.0/0") && route.nextHop.toLowerCase().includes("/azurefirewalls/"),
    );
    const firewallId = intent?.internetNextHop ?? tableRoute?.nextHop ?? null;
    const firewall = get(graph.firewalls, firewallId);
    if (!firewall?.hubPrivateIpAddress) continue;
    routes.push({
      prefix: "0.0.0.0/0",
      nextHopType: "VirtualAppliance",
      nextHopIps: [firewall.hubPrivateIpAddress],
      origin: "bgp",
      name: intent
        ? `Virtual WAN routing intent ${intent.name} (hub connection ${connection.name})`
        : `Virtual WAN hub route table ${table?.name ?? ""} route ${tableRoute?.name ?? ""} (hub connection ${connection.name})`,
      sourceId: intent?.id ?? table?.id ?? null,
    });
  }
  return routes;
}

/** A subnet that could not be read (or the AKS-managed VNet's): the declared settings are all there is. */
function declaredOnly(graph: ClusterGraph, subnetId: string | null): SubnetEgress {
  const outboundType = graph.cluster.outboundType.toLowerCase();
  const unread = subnetId ? whyMissing(graph, subnetId) : null;
  if (outboundType === "loadbalancer") return { ...loadBalancerEgress(graph, subnetId, null, {}), subnetUnknown: true };
  if (outboundType === "managednatgateway" || outboundType === "managednatgatewayv2") {
    const sources = new SourceCollector(graph);
    for (const id of graph.cluster.natGatewayProfile?.effectiveOutboundIpIds ?? []) sources.publicIp(id);
    return {
      ...answer(
        egressOf("natGateway", "natGateway", null, [subnetId], null),
        sources.result("the managed NAT gateway lists no outbound IP"),
      ),
      subnetUnknown: true,
    };
  }
  return {
    ...answer(
      egressOf("unknown", "unknown", null, [subnetId], null),
      unknownSources(unread ? `the path depends on the subnet, and ${unread}` : "the pool names no subnet"),
    ),
    subnetUnknown: true,
  };
}

/** Internet traffic handed to an appliance: follow the address to its owner, then into the firewall's own subnet. */
function applianceEgress(context: Context, nextHopIp: string | null): SubnetEgress {
  const { graph, subnet, vnet, routeTableId } = context;
  const via = [subnet.id, routeTableId];
  const unknownAppliance = (reason: string, extra: Partial<SubnetEgress> = {}): SubnetEgress =>
    answer(
      egressOf("virtualAppliance", "unknown", null, via, routeTableId, nextHopIp),
      unknownSources(reason),
      context,
      extra,
    );
  if (!nextHopIp)
    return unknownAppliance("the route to the appliance names no address", { unresolvedNextHop: "(none)" });
  const search = graph.problems.find((problem) => problem.what === "firewall search");
  // The search found the firewall that owns the address, and reading it failed: it is on the path, unread.
  const unreadOwner = graph.problems.find((problem) => problem.owns?.includes(nextHopIp));
  if (unreadOwner?.resourceId)
    return answer(
      egressOf(
        "azureFirewall",
        "unknown",
        unreadOwner.resourceId,
        [...via, unreadOwner.resourceId],
        routeTableId,
        nextHopIp,
      ),
      unknownSources(
        `firewall ${nameOf(unreadOwner.resourceId)} owns ${nextHopIp} and could not be read (${unreadOwner.code}): ${unreadOwner.message}${unreadOwner.remediation ? ` ${unreadOwner.remediation}` : ""}`,
      ),
      context,
    );
  const owner = nextHopOwner(graph, vnet, nextHopIp);
  if (owner.kind === "firewall") return firewallEgress(context, owner.firewall, nextHopIp);
  if (owner.kind === "appliance") {
    const what =
      owner.owner.kind === "internalLoadBalancer"
        ? `internal load balancer ${owner.owner.name}, in front of network virtual appliances`
        : `network interface ${owner.owner.name}, a network virtual appliance's`;
    return answer(
      egressOf("virtualAppliance", "unknown", null, [...via, owner.owner.id], routeTableId, nextHopIp),
      unknownSources(
        `${nextHopIp} is ${what}: the appliances translate traffic on their own public side, which Azure does not show`,
      ),
      context,
    );
  }
  if (owner.kind === "ambiguous")
    return unknownAppliance(`${owner.owners.length} reachable firewalls own ${nextHopIp}`, {
      nextHopProblem: { kind: "ambiguous", address: nextHopIp, owners: owner.owners },
    });
  if (owner.unreachableOwners.length > 0)
    return unknownAppliance(
      `${nextHopIp} belongs to ${owner.unreachableOwners.map(nameOf).join(", ")}, in a VNet this subnet's VNet is not connected to (with forwarded traffic allowed)`,
      { nextHopProblem: { kind: "unreachable", address: nextHopIp, owners: owner.unreachableOwners } },
    );
  if (search)
    return unknownAppliance(
      `the search for the firewall that owns ${nextHopIp} failed (${search.code}): ${search.message}${search.remediation ? ` ${search.remediation}` : ""}`,
    );
  return unknownAppliance(
    `${nextHopIp} is no Azure Firewall the bot can see: a third-party appliance's public side is not visible to Azure`,
    {
      unresolvedNextHop: nextHopIp,
    },
  );
}

/**
 * What the internet sees for traffic a firewall forwards. The firewall's own subnet decides: a route
 * that sends internet traffic on (to a gateway or another appliance: forced tunnelling) means the
 * source lies beyond it; a NAT gateway there means its IPs; otherwise the firewall's data public IPs
 * (never the management IP configuration's) or, in a Virtual WAN hub, the hub's public addresses.
 */
function firewallEgress(context: Context, firewall: AzureFirewall, nextHopIp: string): SubnetEgress {
  const { graph, subnet, routeTableId } = context;
  const hub = firewall.virtualHubId !== null;
  const kind: EgressKind = hub ? "virtualWanHubFirewall" : "azureFirewall";
  const via = [subnet.id, routeTableId, firewall.id];
  const firewallSubnetId = firewall.ipConfigurations.find((configuration) => configuration.subnetId)?.subnetId ?? null;
  const firewallSubnet = get(graph.subnets, firewallSubnetId);
  const unknownFirewall = (reason: string): SubnetEgress =>
    answer(egressOf(kind, "unknown", firewall.id, via, routeTableId, nextHopIp), unknownSources(reason), context);
  if (firewallSubnetId && !firewallSubnet)
    return unknownFirewall(
      `the firewall's own subnet decides where it sends traffic, and ${whyMissing(graph, firewallSubnetId)}`,
    );
  if (firewallSubnet?.routeTableId) {
    const table = get(graph.routeTables, firewallSubnet.routeTableId);
    if (!table)
      return unknownFirewall(
        `the firewall subnet's route table decides, and ${whyMissing(graph, firewallSubnet.routeTableId)}`,
      );
    const onward = internetPaths(buildRouteSet({ virtualNetwork: null, routeTable: table }).routes, 4)[0];
    if (onward && onward.nextHopType !== "Internet") {
      const forcedTunnel = {
        firewallId: firewall.id,
        nextHopType: onward.nextHopType,
        nextHopIps: onward.nextHopIps,
        routeTableId: table.id,
      };
      const sources =
        onward.nextHopType === "None"
          ? noSources(`the firewall's subnet routes public destinations to None in ${table.name}: traffic is dropped`)
          : unknownSources(
              `forced tunnelling: firewall ${firewall.name} sends internet traffic to ${onward.nextHopType === "VirtualNetworkGateway" ? "the virtual network gateway" : `the appliance ${onward.nextHopIps.join(", ")}`} (route table ${table.name}); its public IPs are not the source, and the public source lies ${onward.nextHopType === "VirtualNetworkGateway" ? "on-premises" : "beyond that appliance"}`,
            );
      const snatBy: SnatByType =
        onward.nextHopType === "VirtualNetworkGateway"
          ? "onPremises"
          : onward.nextHopType === "None"
            ? "none"
            : "unknown";
      return answer(egressOf(kind, snatBy, null, [...via, table.id], routeTableId, nextHopIp), sources, context, {
        forcedTunnel,
      });
    }
  }
  if (firewallSubnet?.natGatewayId) {
    const gateway = get(graph.natGateways, firewallSubnet.natGatewayId);
    const sources = gateway
      ? natGatewaySources(graph, gateway.id)
      : unknownSources(whyMissing(graph, firewallSubnet.natGatewayId));
    return answer(
      egressOf(
        kind,
        "natGateway",
        firewallSubnet.natGatewayId,
        [...via, firewallSubnet.natGatewayId],
        routeTableId,
        nextHopIp,
      ),
      sources,
      context,
      { firewallSubnetNatGatewayId: firewallSubnet.natGatewayId },
    );
  }
  const collector = new SourceCollector(graph);
  if (hub) collector.addresses(firewall.hubPublicIpAddresses);
  else for (const configuration of firewall.ipConfigurations) collector.publicIp(configuration.publicIpAddressId);
  const sources = collector.result(`firewall ${firewall.name} lists no public IP`);
  const hubUnknown =
    hub && sources.state.state === "none"
      ? unknownSources(`the hub firewall ${firewall.name} lists no public addresses in hubIPAddresses`)
      : sources;
  return answer(egressOf(kind, "azureFirewall", firewall.id, via, routeTableId, nextHopIp), hubUnknown, context);
}

/** The sources a NAT gateway gives: every address and every prefix of both families. */
export function natGatewaySources(graph: ClusterGraph, natGatewayId: string): Sources {
  const gateway = get(graph.natGateways, natGatewayId);
  if (!gateway) return unknownSources(whyMissing(graph, natGatewayId));
  const collector = new SourceCollector(graph);
  for (const id of gateway.publicIpAddressIds) collector.publicIp(id);
  for (const id of gateway.publicIpPrefixIds) collector.prefix(id);
  return collector.result(`NAT gateway ${gateway.name} has no public IP or prefix: it cannot translate`);
}

/** Internet traffic routed to the internet: the precedence below the route decides who translates it. */
function internetEgress(context: Context, pool: AgentPool | null): SubnetEgress {
  const { graph, subnet, vnet, routeTableId } = context;
  if (subnet.natGatewayId) {
    return answer(
      egressOf("natGateway", "natGateway", subnet.natGatewayId, [subnet.id, subnet.natGatewayId], routeTableId),
      natGatewaySources(graph, subnet.natGatewayId),
      context,
    );
  }
  if (!vnet) {
    // A VNet-level NAT gateway would come next, and the VNet could not be read.
    return answer(
      egressOf("unknown", "unknown", null, [subnet.id], routeTableId),
      unknownSources(`a VNet-level NAT gateway would decide, and ${whyMissing(graph, parentOf(subnet.id))}`),
      context,
    );
  }
  if (vnet.defaultPublicNatGatewayId) {
    return answer(
      egressOf(
        "natGatewayVnet",
        "natGateway",
        vnet.defaultPublicNatGatewayId,
        [subnet.id, vnet.defaultPublicNatGatewayId],
        routeTableId,
      ),
      natGatewaySources(graph, vnet.defaultPublicNatGatewayId),
      context,
    );
  }
  if (pool?.enableNodePublicIp) {
    const prefixId = pool.nodePublicIpPrefixId;
    const sources = prefixId
      ? new SourceCollector(graph).prefix(prefixId).result("the node public IP prefix has no range")
      : unknownSources("each node gets its own public IP from no named prefix: the addresses change with the nodes");
    return answer(
      egressOf("instancePublicIp", "instancePublicIp", prefixId, [subnet.id], routeTableId),
      sources,
      context,
    );
  }
  const outbound = loadBalancerEgress(graph, subnet.id, routeTableId, context);
  if (outbound.egress.kind === "loadBalancer") return outbound;
  // Default outbound access belongs to the subnet, whatever the cluster's outbound type declares.
  if (subnet.defaultOutboundAccess !== false) {
    return answer(
      egressOf("defaultOutbound", "defaultOutbound", null, [subnet.id], routeTableId),
      unknownSources(
        "default outbound access: Azure picks an implicit public IP that it does not show and that can change",
      ),
      context,
    );
  }
  return answer(
    egressOf("none", "none", null, [subnet.id, routeTableId], routeTableId),
    noSources(
      "no NAT gateway, public IP or load balancer outbound rule serves the subnet, and default outbound access is off",
    ),
    context,
  );
}

/** Egress through the cluster's load balancer outbound rules (AKS: `kubernetes`, `aksOutboundRule`). */
function loadBalancerEgress(
  graph: ClusterGraph,
  subnetId: string | null,
  routeTableId: string | null,
  context: Partial<Context>,
): SubnetEgress {
  const { cluster } = graph;
  const profile = cluster.loadBalancerProfile;
  const balancer = [...graph.loadBalancers.values()].find((lb) => lb.outboundRules.length > 0);
  if (cluster.outboundType.toLowerCase() !== "loadbalancer" && !balancer)
    return answer(
      egressOf("none", "none", null, [subnetId], routeTableId),
      noSources("no load balancer outbound rule"),
      context,
    );
  const frontendIds = balancer
    ? new Set(balancer.outboundRules.flatMap((rule) => rule.frontendIds).map(resourceKey))
    : new Set<string>();
  const frontends = balancer?.frontends.filter((frontend) => frontendIds.has(resourceKey(frontend.id))) ?? [];
  const collector = new SourceCollector(graph);
  if (frontends.length > 0) {
    for (const frontend of frontends) collector.publicIp(frontend.publicIpAddressId).prefix(frontend.publicIpPrefixId);
  } else {
    for (const id of profile?.effectiveOutboundIpIds ?? []) collector.publicIp(id);
    for (const id of profile?.outboundIpPrefixIds ?? []) collector.prefix(id);
  }
  return answer(
    egressOf("loadBalancer", "loadBalancer", balancer?.id ?? null, [subnetId, balancer?.id ?? null], routeTableId),
    collector.result("the load balancer's outbound rules name no public IP or prefix"),
    context,
  );
}
