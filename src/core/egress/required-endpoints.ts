import { containsCidr } from "cidr-tools";
import type { OutboundDependency, RuleCollectionGroup } from "../azure/model.js";

/** An endpoint AKS needs to reach. */
export interface RequiredEndpoint {
  readonly fqdn: string;
  readonly port: number;
  readonly protocol: "Https" | "Udp" | "Tcp";
  readonly purpose: string;
}

/** Version of the built-in list; bump it when the list changes. */
export const requiredEndpointsVersion = "2026-11";

/** Which cloud a region belongs to, by its name. */
export function cloudOfRegion(region: string): "AzureCloud" | "AzureUSGovernment" | "AzureChinaCloud" {
  const name = region.toLowerCase();
  if (name.startsWith("usgov") || name.startsWith("usdod")) return "AzureUSGovernment";
  if (name.startsWith("china")) return "AzureChinaCloud";
  return "AzureCloud";
}

/**
 * AKS-required egress per cloud (outbound-rules-control-egress, 2026-06); the cluster's own
 * `outboundNetworkDependenciesEndpoints` add to this list. The cloud is told by the region's name.
 */
export function builtinRequiredEndpoints(region: string, privateCluster: boolean): RequiredEndpoint[] {
  const https = (fqdn: string, purpose: string): RequiredEndpoint => ({ fqdn, port: 443, protocol: "Https", purpose });
  const cloud = cloudOfRegion(region);
  if (cloud === "AzureUSGovernment") {
    return [
      ...(privateCluster
        ? []
        : [https(`*.hcp.${region.toLowerCase()}.cx.aks.containerservice.azure.us`, "node to API server")]),
      https("mcr.microsoft.com", "container images"),
      https("*.data.mcr.microsoft.com", "container image layers"),
      https("management.usgovcloudapi.net", "Azure Resource Manager"),
      https("login.microsoftonline.us", "Microsoft Entra ID"),
      https("packages.microsoft.com", "packages"),
      https("acs-mirror.azureedge.net", "Kubernetes and CNI binaries"),
      https("packages.aks.azure.com", "Kubernetes and CNI binaries"),
    ];
  }
  if (cloud === "AzureChinaCloud") {
    return [
      ...(privateCluster
        ? []
        : [https(`*.hcp.${region.toLowerCase()}.cx.prod.service.azk8s.cn`, "node to API server")]),
      https("mcr.microsoft.com", "container images"),
      https("*.data.mcr.microsoft.com", "container image layers"),
      https("mcr.azure.cn", "container images"),
      https("*.data.mcr.azure.cn", "container image layers"),
      https("management.chinacloudapi.cn", "Azure Resource Manager"),
      https("login.chinacloudapi.cn", "Microsoft Entra ID"),
      https("packages.microsoft.com", "packages"),
      https("*.azk8s.cn", "Kubernetes binaries"),
    ];
  }
  return [
    ...(privateCluster ? [] : [https(`*.hcp.${region.toLowerCase()}.azmk8s.io`, "node to API server")]),
    https("mcr.microsoft.com", "container images"),
    https("*.data.mcr.microsoft.com", "container image layers"),
    https("management.azure.com", "Azure Resource Manager"),
    https("login.microsoftonline.com", "Microsoft Entra ID"),
    https("packages.microsoft.com", "packages"),
    https("acs-mirror.azureedge.net", "Kubernetes and CNI binaries"),
    https("packages.aks.azure.com", "Kubernetes and CNI binaries"),
  ];
}

/**
 * The built-in list plus the cluster's own outbound dependencies, without duplicates. With the
 * cluster's own API server FQDN, that name replaces the `*.hcp.<region>…` pattern: a rule that allows
 * exactly this cluster's API server is enough, and a rule for another cluster's is not.
 */
export function requiredEndpoints(
  region: string,
  privateCluster: boolean,
  dependencies: readonly OutboundDependency[] | null,
  apiServerFqdn: string | null = null,
): RequiredEndpoint[] {
  const builtin = builtinRequiredEndpoints(region, privateCluster);
  const list =
    apiServerFqdn && !privateCluster
      ? builtin.map((endpoint) =>
          endpoint.fqdn.startsWith("*.hcp.") && fqdnCovers(endpoint.fqdn, apiServerFqdn)
            ? { ...endpoint, fqdn: apiServerFqdn.toLowerCase(), purpose: "node to this cluster's API server" }
            : endpoint,
        )
      : builtin;
  for (const dependency of dependencies ?? []) {
    for (const port of dependency.ports.length > 0 ? dependency.ports : [443]) {
      if (
        list.some(
          (endpoint) => endpoint.fqdn.toLowerCase() === dependency.domainName.toLowerCase() && endpoint.port === port,
        )
      )
        continue;
      list.push({
        fqdn: dependency.domainName.toLowerCase(),
        port,
        protocol: port === 443 ? "Https" : port === 123 ? "Udp" : "Tcp",
        purpose: dependency.category,
      });
    }
  }
  return list;
}

/** True when a rule's FQDN pattern covers a name (itself a name or a `*.` pattern). */
export function fqdnCovers(pattern: string, name: string): boolean {
  const rule = pattern.toLowerCase().replace(/\.$/, "");
  const target = name.toLowerCase().replace(/\.$/, "");
  if (rule === "*" || rule === target) return true;
  if (!rule.startsWith("*.")) return false;
  const suffix = rule.slice(1);
  return target.endsWith(suffix) && target.length > suffix.length;
}

const coversSources = (ruleSources: readonly string[], sources: readonly string[]): boolean => {
  if (ruleSources.includes("*") || sources.length === 0) return true;
  try {
    return sources.every((source) => ruleSources.some((rule) => containsCidr(rule, source)));
  } catch {
    return false;
  }
};

/** What a firewall policy does with traffic to an endpoint, and the rule that decides. */
export type EndpointVerdict =
  | { readonly kind: "allowed"; readonly rule: string }
  | { readonly kind: "denied"; readonly rule: string }
  | { readonly kind: "notAllowed" };

type Collection = RuleCollectionGroup["ruleCollections"][number];
type Rule = Collection["rules"][number];

/** Whether one rule matches traffic from `sources` to the endpoint (its port and its name). */
function ruleMatches(rule: Rule, endpoint: RequiredEndpoint, sources: readonly string[]): boolean {
  if (!coversSources([...rule.sourceAddresses], sources)) return false;
  const ports =
    rule.ruleType === "ApplicationRule"
      ? rule.protocols.map((protocol) => Number(protocol.split(":")[1]))
      : rule.destinationPorts.flatMap((port) =>
          port === "*" ? [endpoint.port] : port.includes("-") ? [] : [Number(port)],
        );
  const portMatches =
    ports.includes(endpoint.port) ||
    rule.destinationPorts.some(
      (range) =>
        /^\d+-\d+$/.test(range) &&
        endpoint.port >= Number(range.split("-")[0]) &&
        endpoint.port <= Number(range.split("-")[1]),
    );
  if (!portMatches) return false;
  if (rule.ruleType === "ApplicationRule")
    return (
      rule.fqdnTags.some((tag) => tag.toLowerCase() === "azurekubernetesservice") ||
      rule.targetFqdns.some((pattern) => fqdnCovers(pattern, endpoint.fqdn))
    );
  return (
    rule.destinationFqdns.some((pattern) => fqdnCovers(pattern, endpoint.fqdn)) ||
    rule.destinationAddresses.includes("*")
  );
}

/**
 * What Azure Firewall does with traffic to an endpoint, as it processes a policy (Learn: "Azure
 * Firewall rule processing logic"): network rules before application rules; within each kind, rule
 * collection groups by priority, then collections by priority, and the first matching rule decides,
 * Deny as much as Allow. Nothing matching is denied by default.
 */
export function endpointVerdict(
  endpoint: RequiredEndpoint,
  groups: readonly RuleCollectionGroup[],
  sources: readonly string[],
): EndpointVerdict {
  const ordered = [...groups]
    .sort((a, b) => (a.priority ?? 65_000) - (b.priority ?? 65_000))
    .flatMap((group) =>
      [...group.ruleCollections]
        .sort((a, b) => (a.priority ?? 65_000) - (b.priority ?? 65_000))
        .map((collection) => ({ group, collection })),
    );
  for (const kind of ["NetworkRule", "ApplicationRule"] as const) {
    for (const { group, collection } of ordered) {
      const action = (collection.action ?? "").toLowerCase();
      if (action !== "allow" && action !== "deny") continue;
      const rule = collection.rules.find(
        (candidate) => candidate.ruleType === kind && ruleMatches(candidate, endpoint, sources),
      );
      if (!rule) continue;
      const where = `${rule.name} in ${collection.name} (${group.name})`;
      return action === "allow" ? { kind: "allowed", rule: where } : { kind: "denied", rule: where };
    }
  }
  return { kind: "notAllowed" };
}

/** Whether the policy lets the given sources reach an endpoint, deny rules and priorities weighed. */
export function isEndpointAllowed(
  endpoint: RequiredEndpoint,
  groups: readonly RuleCollectionGroup[],
  sources: readonly string[],
): boolean {
  return endpointVerdict(endpoint, groups, sources).kind === "allowed";
}
