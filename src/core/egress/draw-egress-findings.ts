import { excludeCidr } from "cidr-tools";
import { familyOf } from "./routes/address-ranges.js";
import type { ClusterGraph } from "../azure/cluster-graph.js";
import { nameOfId as nameOf, resourceKey } from "../azure/resource-id.js";
import type { FindingDraft } from "../evidence/finding.js";
import { findingsCatalog, type FindingCode } from "./findings-catalog.js";
import type { ClusterEgress } from "./resolve-cluster-egress.js";
import { endpointVerdict, requiredEndpoints } from "./required-endpoints.js";
import { firewallPortsPerNode, loadBalancerSnat, natGatewaySnat, nodeCounts } from "./snat-capacity.js";
import { distinctCidrs } from "./source-cidrs.js";

const finding = (
  code: FindingCode,
  detail: string,
  resourceIds: readonly (string | null)[],
  nodePools: readonly string[] = [],
  severity?: FindingDraft["severity"],
): FindingDraft => ({
  code,
  severity: severity ?? findingsCatalog[code].severity,
  title: findingsCatalog[code].title,
  detail,
  remediation: findingsCatalog[code].remediation,
  resourceIds: [...new Set(resourceIds.filter((id): id is string => typeof id === "string"))],
  nodePools,
});

/** Whether the union of `ranges` holds every address of `cidr` (same family; bad entries are ignored). */
const coveredByUnion = (ranges: readonly string[], cidr: string): boolean => {
  const family = familyOf(cidr);
  const valid = ranges.filter((range) => family !== null && familyOf(range) === family);
  if (valid.length === 0) return false;
  try {
    return excludeCidr(cidr, valid).length === 0;
  } catch {
    return false;
  }
};

/** The IP families a list of CIDRs holds, IPv4 first. */
const familiesOf = (cidrs: readonly string[]): (4 | 6)[] =>
  ([4, 6] as const).filter((family) => cidrs.some((cidr) => cidr.includes(":") === (family === 6)));

/** How many addresses of one family the CIDRs hold: SNAT ports of IPv4 and IPv6 never add up. */
const addressCount = (cidrs: readonly string[], family: 4 | 6): number =>
  cidrs
    .filter((cidr) => cidr.includes(":") === (family === 6))
    .reduce((total, cidr) => total + 2 ** ((family === 6 ? 128 : 32) - Number(cidr.split("/")[1])), 0);

/**
 * Every finding that configuration alone can show, from the graph and its resolution. Log- and
 * metric-based findings (denied endpoints, observed SNAT failures) come from the steps that read them.
 */
export function drawEgressFindings(graph: ClusterGraph, egress: ClusterEgress): FindingDraft[] {
  const { cluster } = graph;
  const findings: FindingDraft[] = [];
  const outboundType = cluster.outboundType.toLowerCase();
  const pools = egress.nodePools;

  const isolated = outboundType === "none" || outboundType === "block";
  for (const pool of pools) {
    const detail = egress.details.get(pool.name);
    const node = detail?.node;
    const routeTable = pool.egress.routeTableId
      ? graph.routeTables.get(resourceKey(pool.egress.routeTableId))
      : undefined;
    // Unknown is not none: nothing below is drawn from a path that could not be read.
    const known = pool.egress.kind !== "unknown" && !node?.subnetUnknown;
    const publicRouted = (node?.internetPaths ?? []).some((path) => path.nextHopType !== "Internet");
    if (outboundType === "userdefinedrouting" && known && !publicRouted) {
      const where = routeTable
        ? `route table ${routeTable.name} has no route for public destinations to an appliance or gateway (routes: ${routeTable.routes.map((route) => `${route.addressPrefix} → ${route.nextHopType}`).join(", ") || "none"})`
        : "the node subnet has no route table";
      findings.push(
        finding(
          "UDR_DEFAULT_ROUTE_MISSING",
          `Pool ${pool.name} depends on user-defined routing, but ${where}.`,
          [pool.egress.routeTableId, pool.nodeSubnetId],
          [pool.name],
        ),
      );
    }
    const noPath = pool.sources.state === "none" || pool.podSources?.state === "none";
    if (noPath && isolated) {
      findings.push(
        finding(
          "OUTBOUND_ISOLATED_BY_DESIGN",
          `Pool ${pool.name} has no internet path, as outbound type ${cluster.outboundType} intends: ${pool.sources.reason ?? "no path"}.`,
          [cluster.id, pool.nodeSubnetId],
          [pool.name],
        ),
      );
    } else if (noPath) {
      findings.push(
        finding(
          "NO_EGRESS_PATH",
          `Pool ${pool.name} has no public source: ${(pool.sources.state === "none" ? pool.sources.reason : pool.podSources?.reason) ?? "no path"}.`,
          [pool.nodeSubnetId, pool.egress.routeTableId],
          [pool.name],
        ),
      );
    }
    const leaks = [pool.egress, pool.podEgress].filter(
      (path): path is NonNullable<typeof path> => path !== null && path.kind !== "none" && path.kind !== "unknown",
    );
    if (isolated && leaks.length > 0) {
      findings.push(
        finding(
          "EGRESS_LEAKS_UNDER_ISOLATION",
          `Pool ${pool.name} still leaves through ${leaks.map((path) => path.kind).join(" and ")} (${pool.sourceCidrs.join(", ") || pool.sources.reason || "sources unknown"}), although the outbound type is ${cluster.outboundType}.`,
          [cluster.id, pool.nodeSubnetId, ...leaks.map((path) => path.snatBy.resourceId)],
          [pool.name],
        ),
      );
    }
    if (!pool.matchesOutboundType && known && pool.egress.kind !== "none" && !isolated) {
      findings.push(
        finding(
          "EGRESS_DIFFERS_FROM_OUTBOUND_TYPE",
          `Pool ${pool.name} leaves through ${pool.egress.kind}${pool.podEgress ? ` (pods: ${pool.podEgress.kind})` : ""}, but the cluster's outbound type is ${cluster.outboundType}.`,
          [cluster.id, pool.nodeSubnetId, pool.podSubnetId],
          [pool.name],
        ),
      );
    }
    if (node?.unresolvedNextHop || detail?.pod?.unresolvedNextHop) {
      const hop = node?.unresolvedNextHop ?? detail?.pod?.unresolvedNextHop ?? "";
      findings.push(
        finding(
          "NEXT_HOP_NOT_RESOLVED",
          `Pool ${pool.name}'s route for public destinations goes to ${hop}, which is the private IP of no Azure Firewall the bot can see; the source IPs the world sees are unknown.`,
          [pool.egress.routeTableId],
          [pool.name],
        ),
      );
    }
    if (node?.nextHopProblem) {
      const problem = node.nextHopProblem;
      findings.push(
        finding(
          problem.kind === "ambiguous" ? "NEXT_HOP_AMBIGUOUS" : "NEXT_HOP_UNREACHABLE",
          problem.kind === "ambiguous"
            ? `Pool ${pool.name}'s route goes to ${problem.address}, which ${problem.owners.map(nameOf).join(" and ")} both own in VNets the subnet reaches.`
            : `Pool ${pool.name}'s route goes to ${problem.address}, owned by ${problem.owners.map(nameOf).join(", ")}, in a VNet the subnet's VNet is not peered with (connected, forwarded traffic allowed).`,
          [pool.egress.routeTableId, ...problem.owners],
          [pool.name],
        ),
      );
    }
    if (node?.firewallSubnetNatGatewayId) {
      findings.push(
        finding(
          "FIREWALL_SUBNET_NAT_GATEWAY",
          `Pool ${pool.name}'s traffic crosses firewall ${nameOf(pool.egress.via[2])}, whose subnet has NAT gateway ${nameOf(node.firewallSubnetNatGatewayId)}: the world sees ${pool.sourceCidrs.join(", ") || "its IPs"}.`,
          [node.firewallSubnetNatGatewayId, pool.egress.snatBy.resourceId],
          [pool.name],
        ),
      );
    }
    if (node?.forcedTunnel) {
      const tunnel = node.forcedTunnel;
      findings.push(
        finding(
          "FIREWALL_FORCED_TUNNEL",
          `Pool ${pool.name}'s traffic crosses firewall ${nameOf(tunnel.firewallId)}, whose subnet routes public destinations to ${tunnel.nextHopType}${tunnel.nextHopIps.length > 0 ? ` ${tunnel.nextHopIps.join(", ")}` : ""} (route table ${nameOf(tunnel.routeTableId)}): the firewall's public IPs are not the source.`,
          [tunnel.firewallId, tunnel.routeTableId],
          [pool.name],
        ),
      );
    }
    if (node?.idleNatGatewayId) {
      findings.push(
        finding(
          "NAT_GATEWAY_IDLE_BY_ROUTE",
          `Pool ${pool.name}'s subnet has NAT gateway ${nameOf(node.idleNatGatewayId)}, but its route for public destinations goes to ${node.internetPaths[0]?.nextHopType ?? "another next hop"}${node.internetPaths[0]?.nextHopIps.length ? ` ${node.internetPaths[0].nextHopIps.join(", ")}` : ""} first: the NAT gateway is not the source.`,
          [node.idleNatGatewayId, pool.egress.routeTableId],
          [pool.name],
        ),
      );
    }
    for (const disagreement of node?.routeDisagreements ?? []) {
      findings.push(
        finding(
          "EFFECTIVE_ROUTES_DIFFER",
          `Pool ${pool.name}'s route tables send public IPv${disagreement.family} destinations to ${disagreement.configured}, but the effective routes of ${nameOf(disagreement.networkInterfaceId)} send them to ${disagreement.effective}: the answer rests on the effective routes.`,
          [disagreement.networkInterfaceId, pool.egress.routeTableId, pool.nodeSubnetId],
          [pool.name],
        ),
      );
    }
    // A route sending the egress firewall's own public IPs to the internet is the documented fix for
    // asymmetric routing (Learn: "Limit network traffic with Azure Firewall in AKS"), not a split.
    const splitPaths = (node?.internetPaths ?? []).filter(
      (path, index) =>
        index === 0 ||
        pool.sources.state !== "known" ||
        !path.destinations.every((cidr) => coveredByUnion(pool.sourceCidrs, cidr)),
    );
    if (node && splitPaths.length > 1) {
      findings.push(
        finding(
          "INTERNET_ROUTES_SPLIT",
          `Pool ${pool.name}'s public destinations leave by ${splitPaths.length} paths: ${splitPaths.map((path) => `${path.destinations.slice(0, 4).join(", ")}${path.destinations.length > 4 ? ", …" : ""} (${(path.share * 100).toFixed(1)} %) → ${path.nextHopType}${path.nextHopIps.length ? ` ${path.nextHopIps.join(", ")}` : ""}`).join("; ")}.`,
          [pool.egress.routeTableId, pool.nodeSubnetId],
          [pool.name],
        ),
      );
    }
  }

  const paths = new Map(pools.map((pool) => [pool.name, `${pool.egress.kind} ${pool.sourceCidrs.join(",")}`]));
  if (new Set(paths.values()).size > 1) {
    findings.push(
      finding(
        "MIXED_EGRESS_ACROSS_NODE_POOLS",
        `Pools leave differently: ${pools.map((pool) => `${pool.name} via ${pool.egress.kind} (${pool.sourceCidrs.join(", ") || "no public source"})`).join("; ")}.`,
        pools.map((pool) => pool.nodeSubnetId),
        pools.map((pool) => pool.name),
      ),
    );
  }

  const sources = distinctCidrs(pools.flatMap((pool) => [...pool.sourceCidrs, ...(pool.podSourceCidrs ?? [])]));
  // Learn, "Secure access to the API server using authorized IP address ranges": a private cluster or
  // API server VNet integration is reached privately by the nodes; with outbound type loadBalancer,
  // AKS adds the load balancer's outbound IPs itself (and 0.0.0.0/32 means "only those").
  const reachedPrivately = cluster.privateCluster || cluster.apiServerVnetIntegration;
  if (!reachedPrivately && cluster.authorizedIpRanges.length > 0) {
    const addedByAks = pools
      .filter((pool) => pool.egress.kind === "loadBalancer" && outboundType === "loadbalancer")
      .flatMap((pool) => pool.sourceCidrs);
    const allowed = [...cluster.authorizedIpRanges.filter((range) => range !== "0.0.0.0/32"), ...addedByAks];
    // Covered by the union of the ranges: a /30 source split over four /32 entries is covered.
    const missing = sources.filter((cidr) => !coveredByUnion(allowed, cidr));
    if (missing.length > 0)
      findings.push(
        finding(
          "AUTHORIZED_IP_RANGES_MISSING_EGRESS_IP",
          `The API server accepts ${cluster.authorizedIpRanges.join(", ")}, which lacks the cluster's source IP(s) ${missing.join(", ")}; nodes reach the API server through the egress path.`,
          [cluster.id],
          [],
        ),
      );
  }

  const loadBalancerPools = cluster.agentPools.filter(
    (pool) => pools.find((candidate) => candidate.name === pool.name)?.egress.kind === "loadBalancer",
  );
  const lbPool = pools.find((pool) => pool.egress.kind === "loadBalancer");
  // Unknown sources feed no arithmetic; each family's ports come from that family's addresses only.
  if (loadBalancerPools.length > 0 && lbPool?.sources.state === "known") {
    const rulePorts = [...graph.loadBalancers.values()]
      .flatMap((lb) => lb.outboundRules.map((rule) => rule.allocatedOutboundPorts ?? 0))
      .find((ports) => ports > 0);
    for (const family of familiesOf(lbPool.sourceCidrs)) {
      const verdict = loadBalancerSnat(
        loadBalancerPools,
        addressCount(lbPool.sourceCidrs, family),
        cluster.loadBalancerProfile?.allocatedOutboundPorts || rulePorts || 0,
      );
      if (verdict.kind !== "ok")
        findings.push(
          finding(
            "SNAT_PORTS_INSUFFICIENT",
            `${family === 6 ? "IPv6: " : ""}${verdict.detail}`,
            [lbPool.egress.snatBy.resourceId, cluster.id],
            loadBalancerPools.map((pool) => pool.name),
            verdict.kind === "insufficient" ? "error" : "warning",
          ),
        );
    }
  }

  for (const gatewayId of new Set(
    pools
      .filter((pool) => pool.egress.kind === "natGateway" || pool.egress.kind === "natGatewayVnet")
      .map((pool) => pool.egress.snatBy.resourceId)
      .filter((id): id is string => id !== null),
  )) {
    const served = pools.filter((pool) => pool.egress.snatBy.resourceId === gatewayId);
    const first = served[0];
    if (!first || first.sources.state !== "known") continue;
    for (const family of familiesOf(first.sourceCidrs)) {
      const verdict = natGatewaySnat(
        cluster.agentPools.filter((pool) => served.some((candidate) => candidate.name === pool.name)),
        addressCount(first.sourceCidrs, family),
      );
      if (verdict.kind === "tight")
        findings.push(
          finding(
            "SNAT_PORTS_INSUFFICIENT",
            `NAT gateway ${gatewayId.split("/").pop() ?? ""}${family === 6 ? " (IPv6)" : ""}: ${verdict.detail}`,
            [gatewayId],
            served.map((pool) => pool.name),
            "warning",
          ),
        );
    }
  }

  const stableIssues = [...graph.publicIps.values()].filter(
    (ip) =>
      sources.some((cidr) => cidr.startsWith(`${ip.ipAddress ?? "-"}/`)) &&
      ((ip.sku ?? "").toLowerCase() === "basic" ||
        (ip.allocationMethod ?? "").toLowerCase() === "dynamic" ||
        Object.entries(ip.tags).some(
          ([key, value]) => /^(aks-managed-type|type)$/i.test(key) && /managed-outbound-ip/i.test(value),
        )),
  );
  for (const ip of stableIssues) {
    const why =
      (ip.sku ?? "").toLowerCase() === "basic"
        ? "Basic SKU"
        : (ip.allocationMethod ?? "").toLowerCase() === "dynamic"
          ? "dynamically allocated"
          : "managed by AKS (it changes when the managed outbound IP count changes or the cluster is recreated)";
    findings.push(
      finding(
        "SOURCE_IP_NOT_STABLE",
        `Source IP ${ip.ipAddress ?? ip.name} (${ip.name}) is ${why}.`,
        [ip.id],
        pools.filter((pool) => pool.sourceCidrs.includes(`${ip.ipAddress ?? ""}/32`)).map((pool) => pool.name),
      ),
    );
  }

  const firewallPools = pools.filter(
    (pool) => pool.egress.kind === "azureFirewall" || pool.egress.kind === "virtualWanHubFirewall",
  );
  const publicServices = [...graph.loadBalancers.values()].filter(
    (lb) => lb.loadBalancingRuleCount > 0 && lb.frontends.some((frontend) => frontend.publicIpAddressId),
  );
  if (firewallPools.length > 0 && publicServices.length > 0) {
    findings.push(
      finding(
        "ASYMMETRIC_ROUTING_RISK",
        `Pools ${firewallPools.map((pool) => pool.name).join(", ")} send 0.0.0.0/0 through a firewall while load balancer ${publicServices.map((lb) => lb.name).join(", ")} serves public Services: replies to their clients would leave through the firewall and be dropped.`,
        publicServices.map((lb) => lb.id),
        firewallPools.map((pool) => pool.name),
      ),
    );
  }

  for (const firewall of graph.firewalls.values()) {
    const served = firewallPools.filter((pool) =>
      pool.egress.via.some((id) => resourceKey(id) === resourceKey(firewall.id)),
    );
    const poolNames = served.map((pool) => pool.name);
    const { atMax } = nodeCounts(cluster.agentPools.filter((pool) => poolNames.includes(pool.name)));
    const publicIps =
      firewall.hubPublicIpAddresses.length ||
      firewall.ipConfigurations.filter((configuration) => configuration.publicIpAddressId).length;
    const perNode = firewallPortsPerNode(publicIps, atMax);
    if (perNode < 1024 && !egress.details.get(poolNames[0] ?? "")?.node.firewallSubnetNatGatewayId) {
      findings.push(
        finding(
          "FIREWALL_SNAT_CAPACITY_LOW",
          `Firewall ${firewall.name} has ${publicIps} public IP(s): 2,496 ports × ${publicIps} IP(s) × 2 instances shared by up to ${atMax} nodes is about ${perNode} ports per node.`,
          [firewall.id],
          poolNames,
        ),
      );
    }
    const settings = graph.diagnosticSettings.get(resourceKey(firewall.id));
    if (
      settings !== undefined &&
      !settings.some((setting) => setting.workspaceId && setting.enabledCategories.length > 0)
    ) {
      findings.push(
        finding(
          "FIREWALL_LOGS_NOT_CONFIGURED",
          `Firewall ${firewall.name} has no diagnostic setting sending logs to a Log Analytics workspace, so denies cannot be shown.`,
          [firewall.id],
          poolNames,
        ),
      );
    }
    if (firewall.firewallPolicyId) {
      const groups = graph.ruleCollectionGroups.get(resourceKey(firewall.firewallPolicyId));
      if (groups) {
        const subnetPrefixes = distinctCidrs(
          served
            .flatMap((pool) => [pool.nodeSubnetId, pool.podSubnetId])
            .flatMap((id) => (id ? (graph.subnets.get(resourceKey(id))?.addressPrefixes ?? []) : [])),
        );
        const required = requiredEndpoints(
          cluster.location,
          cluster.privateCluster,
          graph.outboundDependencies,
          cluster.fqdn,
        );
        const policyName = firewall.firewallPolicyId.split("/").pop() ?? "the policy";
        const who = subnetPrefixes.join(", ") || "the cluster's subnets";
        for (const endpoint of required) {
          const verdict = endpointVerdict(endpoint, groups, subnetPrefixes);
          if (verdict.kind === "allowed") continue;
          findings.push(
            finding(
              "REQUIRED_ENDPOINT_NOT_ALLOWED",
              verdict.kind === "denied"
                ? `Rule ${verdict.rule} of ${policyName} denies ${who} reaching ${endpoint.fqdn}:${endpoint.port} (${endpoint.purpose}) before any Allow rule is reached.`
                : `No Allow rule in ${policyName} lets ${who} reach ${endpoint.fqdn}:${endpoint.port} (${endpoint.purpose}).`,
              [firewall.firewallPolicyId],
              poolNames,
            ),
          );
        }
      }
    }
  }

  for (const vnet of graph.virtualNetworks.values()) {
    if (vnet.dnsServers.length > 0)
      findings.push(
        finding(
          "CUSTOM_DNS_SERVERS",
          `VNet ${vnet.name} uses custom DNS servers ${vnet.dnsServers.join(", ")}.`,
          [vnet.id],
          pools
            .filter((pool) => pool.nodeSubnetId?.toLowerCase().startsWith(vnet.id.toLowerCase()))
            .map((pool) => pool.name),
        ),
      );
  }
  return findings;
}
