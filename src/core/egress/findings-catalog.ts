import type { Severity } from "../evidence/finding.js";

/** A finding code's fixed parts: how bad it is and what to do. Details are filled in per case. */
export interface CatalogEntry {
  readonly severity: Severity;
  readonly title: string;
  readonly remediation: string;
}

/** The findings catalog of design §3.5 (stable codes). `docs/findings.md` documents each one. */
export const findingsCatalog = {
  UDR_DEFAULT_ROUTE_MISSING: {
    severity: "error",
    title: "The route table has no 0.0.0.0/0 route",
    remediation:
      "Add a 0.0.0.0/0 route with next hop VirtualAppliance to the firewall's private IP (an explicit UDR: AKS ignores a default route propagated by BGP or Virtual WAN).",
  },
  NO_EGRESS_PATH: {
    severity: "error",
    title: "A node pool has no path to the internet",
    remediation:
      "Give the pool's subnet a way out: a default route to a firewall, a NAT gateway, or load balancer outbound rules matching the cluster's outbound type.",
  },
  NAT_GATEWAY_OVERRIDES_LOAD_BALANCER: {
    severity: "warning",
    title: "A NAT gateway on the node subnet overrides the load balancer",
    remediation:
      "Tell partners the NAT gateway's IPs (not the load balancer's), or migrate the cluster to outbound type userAssignedNATGateway so the declared and real paths agree.",
  },
  EGRESS_DIFFERS_FROM_OUTBOUND_TYPE: {
    severity: "warning",
    title: "Traffic leaves differently from the declared outbound type",
    remediation:
      "Align the subnet (route table, NAT gateway) with the cluster's outboundType, or update the outbound type to what the network really does.",
  },
  MIXED_EGRESS_ACROSS_NODE_POOLS: {
    severity: "warning",
    title: "Node pools leave through different paths or source IPs",
    remediation: "Give every pool's subnet the same egress, or hand partners every pool's source IPs.",
  },
  AUTHORIZED_IP_RANGES_MISSING_EGRESS_IP: {
    severity: "error",
    title: "The API server's authorized IP ranges lack a source IP of the cluster",
    remediation:
      "Add the cluster's egress source IPs to apiServerAccessProfile.authorizedIPRanges: nodes reach a public API server through the egress path.",
  },
  NEXT_HOP_NOT_RESOLVED: {
    severity: "warning",
    title: "The default route points at an appliance egress-bot cannot see",
    remediation:
      "Check the next-hop IP: it should be the private IP of an Azure Firewall or of the appliance you intend; grant the bot read access to it if it lives elsewhere.",
  },
  FIREWALL_SUBNET_NAT_GATEWAY: {
    severity: "warning",
    title: "The firewall's subnet has a NAT gateway: partners see its IPs",
    remediation:
      "Hand partners the NAT gateway's IPs (not the firewall's public IPs) for traffic the firewall sends to the internet.",
  },
  SNAT_PORTS_INSUFFICIENT: {
    severity: "error",
    title: "Too few SNAT ports for the node pools as they scale",
    remediation:
      "Set loadBalancerProfile.allocatedOutboundPorts explicitly and add outbound IPs (each gives 64,000 ports), or move egress to a NAT gateway.",
  },
  FIREWALL_SNAT_CAPACITY_LOW: {
    severity: "warning",
    title: "Few firewall public IPs for the node count",
    remediation:
      "Add public IPs to the firewall (2,496 SNAT ports each, per instance; AKS guidance is 20 or more in production) or attach a NAT gateway to AzureFirewallSubnet.",
  },
  SOURCE_IP_NOT_STABLE: {
    severity: "warning",
    title: "A source IP is not safe to hand to a partner",
    remediation:
      "Use Standard-SKU static public IPs or a public IP prefix you own (not AKS-managed or dynamic addresses) before partners allowlist them.",
  },
  PARTNER_ALLOWLIST_BROKEN: {
    severity: "error",
    title: "A partner's allowlist no longer covers a cluster's sources",
    remediation:
      "Hand the partner the new sources (`source-ips <cluster> --partner <name>`, then record them) before the partner's 403s do it for you, or restore the path the allowlist was built for.",
  },
  ASYMMETRIC_ROUTING_RISK: {
    severity: "warning",
    title: "Public load balancer services with egress through a firewall",
    remediation:
      "Add a route for the load balancer's clients that bypasses the firewall, or publish the services through the firewall's DNAT rules.",
  },
  FIREWALL_LOGS_NOT_CONFIGURED: {
    severity: "warning",
    title: "The egress firewall sends no logs to Log Analytics",
    remediation:
      "Add a diagnostic setting on the firewall sending allLogs to a Log Analytics workspace (resource-specific tables).",
  },
  REQUIRED_ENDPOINT_NOT_ALLOWED: {
    severity: "error",
    title: "The firewall policy does not allow an endpoint AKS requires",
    remediation:
      "Allow the endpoint in an application rule (or use the AzureKubernetesService FQDN tag) for the cluster's subnets.",
  },
  REQUIRED_ENDPOINT_DENIED: {
    severity: "critical",
    title: "The firewall denied an endpoint AKS requires",
    remediation:
      "Allow the endpoint in the firewall policy for the cluster's subnets; nodes cannot pull images, packages or reach the API server without it.",
  },
  DESTINATION_DENIED: {
    severity: "warning",
    title: "The firewall denied the destination",
    remediation:
      "If the destination is intended, add an allow rule for the cluster's subnets; otherwise the deny is working as designed.",
  },
  CUSTOM_DNS_SERVERS: {
    severity: "info",
    title: "The VNet uses custom DNS servers",
    remediation:
      "Make sure the DNS servers are reachable from the node subnets through the egress path (UDP/TCP 53), and forward Azure names to 168.63.129.16.",
  },
  PROOF_SET_INCOMPLETE: {
    severity: "warning",
    title: "Part of the proof set could not be collected",
    remediation: "See the failed steps; grant the missing read access or retry, then run again.",
  },
  FIREWALL_FORCED_TUNNEL: {
    severity: "warning",
    title: "The egress firewall forwards internet traffic on (forced tunnelling): its public IPs are not the source",
    remediation:
      "Hand partners the addresses of the device that finally translates the traffic (on-premises edge or the next appliance), not the firewall's public IPs; or remove the firewall subnet's onward route if traffic should leave from Azure.",
  },
  OUTBOUND_ISOLATED_BY_DESIGN: {
    severity: "info",
    title: "The cluster is isolated by design: no internet path",
    remediation:
      "Nothing to fix if isolation is intended (outbound type none or block): pull images from a registry reachable privately. Partners cannot allowlist a source that does not exist.",
  },
  EGRESS_LEAKS_UNDER_ISOLATION: {
    severity: "error",
    title: "A node pool still reaches the internet although the outbound type says it should not",
    remediation:
      "Remove what gives the subnet a way out (NAT gateway, node public IPs, default outbound access: set defaultOutboundAccess to false), or change the outbound type to the path you intend.",
  },
  NEXT_HOP_AMBIGUOUS: {
    severity: "warning",
    title: "Several reachable firewalls own the next-hop address",
    remediation:
      "Two VNets the subnet can reach use the same private address for their firewalls; re-address one, or narrow the peerings, so the route has one owner.",
  },
  NEXT_HOP_UNREACHABLE: {
    severity: "error",
    title: "The next-hop address belongs to a firewall the subnet cannot reach",
    remediation:
      "Peer the spoke with the firewall's VNet (connected, forwarded traffic allowed), or point the route at the firewall the spoke is connected to.",
  },
  NAT_GATEWAY_IDLE_BY_ROUTE: {
    severity: "warning",
    title: "A NAT gateway on the subnet is left idle by a route",
    remediation:
      "A route for public destinations sends traffic elsewhere first, so the NAT gateway's IPs are not the source: remove the NAT gateway, or the route, so the intended path is the real one.",
  },
  INTERNET_ROUTES_SPLIT: {
    severity: "warning",
    title: "Different parts of the internet leave by different paths",
    remediation:
      "Partners may see different source IPs depending on their address; hand over every path's sources, or route all public destinations the same way.",
  },
  EFFECTIVE_ROUTES_DIFFER: {
    severity: "warning",
    title: "Effective routes send the internet elsewhere than the configured routes",
    remediation:
      "Something configuration does not show (BGP from a VPN or ExpressRoute gateway, Virtual WAN) changes the path: the effective routes are the real one. Find the route's origin, then disable gateway route propagation on the route table or add an explicit route, so the intended path is the real one.",
  },
} as const satisfies Record<string, CatalogEntry>;

/** A catalogued finding code. */
export type FindingCode = keyof typeof findingsCatalog;
