import { containsCidr } from "cidr-tools";
import type { ClusterGraph } from "../azure/cluster-graph.js";
import { resourceKey } from "../azure/resource-id.js";
import type { FindingDraft } from "../evidence/finding.js";
import { findingsCatalog, type FindingCode } from "./findings-catalog.js";
import type { ClusterEgress } from "./resolve-cluster-egress.js";
import { isEndpointAllowed, requiredEndpoints } from "./required-endpoints.js";
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

const covered = (ranges: readonly string[], cidr: string): boolean => {
  try {
    return ranges.some((range) => containsCidr(range, cidr));
  } catch {
    return false;
  }
};

/**
 * Every finding that configuration alone can show, from the graph and its resolution. Log- and
 * metric-based findings (denied endpoints, observed SNAT failures) come from the steps that read them.
 */
export function drawEgressFindings(graph: ClusterGraph, egress: ClusterEgress): FindingDraft[] {
  const { cluster } = graph;
  const findings: FindingDraft[] = [];
  const outboundType = cluster.outboundType.toLowerCase();
  const pools = egress.nodePools;

  for (const pool of pools) {
    const detail = egress.details.get(pool.name);
    const routeTable = pool.egress.routeTableId
      ? graph.routeTables.get(resourceKey(pool.egress.routeTableId))
      : undefined;
    const hasDefault = routeTable?.routes.some((route) => route.addressPrefix === "0.0.0.0/0") ?? false;
    if (outboundType === "userdefinedrouting" && !hasDefault) {
      const where = routeTable
        ? `route table ${routeTable.name} has no 0.0.0.0/0 route (routes: ${routeTable.routes.map((route) => `${route.addressPrefix} → ${route.nextHopType}`).join(", ") || "none"})`
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
    if (pool.egress.snatBy.type === "none" || pool.podEgress?.snatBy.type === "none") {
      const blackhole = routeTable?.routes.find(
        (route) => route.addressPrefix === "0.0.0.0/0" && route.nextHopType.toLowerCase() === "none",
      );
      findings.push(
        finding(
          "NO_EGRESS_PATH",
          `Pool ${pool.name} has no public source: ${blackhole ? `0.0.0.0/0 is routed to None in ${routeTable?.name ?? "its route table"}` : "no default route, NAT gateway, public IP or load balancer outbound rule serves its subnet, and default outbound access is off"}.`,
          [pool.nodeSubnetId, pool.egress.routeTableId],
          [pool.name],
        ),
      );
    }
    if (outboundType === "loadbalancer" && pool.egress.kind === "natGateway") {
      findings.push(
        finding(
          "NAT_GATEWAY_OVERRIDES_LOAD_BALANCER",
          `Pool ${pool.name} leaves through NAT gateway ${pool.egress.snatBy.resourceId?.split("/").pop() ?? ""} (${pool.sourceCidrs.join(", ") || "no IPs read"}), not the load balancer's outbound IPs.`,
          [pool.egress.snatBy.resourceId, pool.nodeSubnetId],
          [pool.name],
        ),
      );
    }
    if (!pool.matchesOutboundType && pool.egress.kind !== "none") {
      findings.push(
        finding(
          "EGRESS_DIFFERS_FROM_OUTBOUND_TYPE",
          `Pool ${pool.name} leaves through ${pool.egress.kind}${pool.podEgress ? ` (pods: ${pool.podEgress.kind})` : ""}, but the cluster's outbound type is ${cluster.outboundType}.`,
          [cluster.id, pool.nodeSubnetId, pool.podSubnetId],
          [pool.name],
        ),
      );
    }
    if (detail?.node.unresolvedNextHop || detail?.pod?.unresolvedNextHop) {
      const hop = detail.node.unresolvedNextHop ?? detail.pod?.unresolvedNextHop ?? "";
      findings.push(
        finding(
          "NEXT_HOP_NOT_RESOLVED",
          `Pool ${pool.name}'s default route goes to ${hop}, which is the private IP of no Azure Firewall the bot can see; the source IPs the world sees are unknown.`,
          [pool.egress.routeTableId],
          [pool.name],
        ),
      );
    }
    if (detail?.node.firewallSubnetNatGatewayId) {
      findings.push(
        finding(
          "FIREWALL_SUBNET_NAT_GATEWAY",
          `Pool ${pool.name}'s traffic crosses firewall ${pool.egress.via[2]?.split("/").pop() ?? ""}, whose subnet has NAT gateway ${detail.node.firewallSubnetNatGatewayId.split("/").pop() ?? ""}: the world sees ${pool.sourceCidrs.join(", ") || "its IPs"}.`,
          [detail.node.firewallSubnetNatGatewayId, pool.egress.snatBy.resourceId],
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
  if (!cluster.privateCluster && cluster.authorizedIpRanges.length > 0) {
    const missing = sources.filter((cidr) => !covered(cluster.authorizedIpRanges, cidr));
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
  if (loadBalancerPools.length > 0) {
    const lbPool = pools.find((pool) => pool.egress.kind === "loadBalancer");
    const ips = (lbPool?.sourceCidrs ?? []).reduce(
      (total, cidr) => total + 2 ** ((cidr.includes(":") ? 128 : 32) - Number(cidr.split("/")[1])),
      0,
    );
    const rulePorts = [...graph.loadBalancers.values()]
      .flatMap((lb) => lb.outboundRules.map((rule) => rule.allocatedOutboundPorts ?? 0))
      .find((ports) => ports > 0);
    const verdict = loadBalancerSnat(
      loadBalancerPools,
      ips,
      cluster.loadBalancerProfile?.allocatedOutboundPorts || rulePorts || 0,
    );
    if (verdict.kind !== "ok")
      findings.push(
        finding(
          "SNAT_PORTS_INSUFFICIENT",
          verdict.detail,
          [lbPool?.egress.snatBy.resourceId ?? null, cluster.id],
          loadBalancerPools.map((pool) => pool.name),
          verdict.kind === "insufficient" ? "error" : "warning",
        ),
      );
  }

  for (const gatewayId of new Set(
    pools
      .filter((pool) => pool.egress.kind === "natGateway" || pool.egress.kind === "natGatewayVnet")
      .map((pool) => pool.egress.snatBy.resourceId)
      .filter((id): id is string => id !== null),
  )) {
    const served = pools.filter((pool) => pool.egress.snatBy.resourceId === gatewayId);
    const addresses = (served[0]?.sourceCidrs ?? []).reduce(
      (total, cidr) => total + 2 ** ((cidr.includes(":") ? 128 : 32) - Number(cidr.split("/")[1])),
      0,
    );
    const verdict = natGatewaySnat(
      cluster.agentPools.filter((pool) => served.some((candidate) => candidate.name === pool.name)),
      addresses,
    );
    if (verdict.kind === "tight")
      findings.push(
        finding(
          "SNAT_PORTS_INSUFFICIENT",
          `NAT gateway ${gatewayId.split("/").pop() ?? ""}: ${verdict.detail}`,
          [gatewayId],
          served.map((pool) => pool.name),
          "warning",
        ),
      );
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
        const missing = requiredEndpoints(cluster.location, cluster.privateCluster, graph.outboundDependencies).filter(
          (endpoint) => !isEndpointAllowed(endpoint, groups, subnetPrefixes),
        );
        for (const endpoint of missing) {
          findings.push(
            finding(
              "REQUIRED_ENDPOINT_NOT_ALLOWED",
              `No Allow rule in ${firewall.firewallPolicyId.split("/").pop() ?? "the policy"} lets ${subnetPrefixes.join(", ") || "the cluster's subnets"} reach ${endpoint.fqdn}:${endpoint.port} (${endpoint.purpose}).`,
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
