import type {
  AgentPool as SdkAgentPool,
  ManagedCluster as SdkManagedCluster,
  ManagedClusterAgentPoolProfile,
  OutboundEnvironmentEndpoint,
} from "@azure/arm-containerservice";
import type { AgentPool, ManagedCluster, OutboundDependency } from "../../core/azure/model.js";
import { parseResourceId } from "../../core/azure/resource-id.js";
import { ids } from "./sdk-values.js";

/** Maps an agent pool (inline profile or agentPools resource) to the domain. */
export function toAgentPool(clusterId: string, pool: ManagedClusterAgentPoolProfile | SdkAgentPool): AgentPool {
  const name = pool.name ?? "";
  return {
    id: "id" in pool && typeof pool.id === "string" ? pool.id : `${clusterId}/agentPools/${name}`,
    name,
    mode: pool.mode ?? null,
    osType: pool.osType ?? null,
    count: pool.count ?? null,
    minCount: pool.minCount ?? null,
    maxCount: pool.maxCount ?? null,
    enableAutoScaling: pool.enableAutoScaling ?? false,
    maxSurge: pool.upgradeSettings?.maxSurge ?? null,
    vnetSubnetId: pool.vnetSubnetID ?? null,
    podSubnetId: pool.podSubnetID ?? null,
    enableNodePublicIp: pool.enableNodePublicIP ?? false,
    nodePublicIpPrefixId: pool.nodePublicIPPrefixID ?? null,
  };
}

/** Maps a managed cluster to the domain; missing fields become null or empty, never a throw. */
export function toManagedCluster(cluster: SdkManagedCluster, requestedId: string): ManagedCluster {
  const id = cluster.id ?? requestedId;
  const parts = parseResourceId(id);
  const network = cluster.networkProfile;
  const lb = network?.loadBalancerProfile;
  const nat = network?.natGatewayProfile;
  return {
    id,
    name: cluster.name ?? parts?.name ?? "",
    subscriptionId: parts?.subscriptionId ?? "",
    resourceGroup: parts?.resourceGroup ?? "",
    location: cluster.location,
    kubernetesVersion: cluster.kubernetesVersion ?? null,
    tags: cluster.tags ?? {},
    outboundType: network?.outboundType ?? "loadBalancer",
    networkPlugin: network?.networkPlugin ?? null,
    networkPluginMode: network?.networkPluginMode ?? null,
    loadBalancerSku: network?.loadBalancerSku ?? null,
    nodeResourceGroup: cluster.nodeResourceGroup ?? null,
    privateCluster: cluster.apiServerAccessProfile?.enablePrivateCluster ?? false,
    fqdn: cluster.fqdn ?? null,
    privateFqdn: cluster.privateFqdn ?? null,
    apiServerVnetIntegration: cluster.apiServerAccessProfile?.enableVnetIntegration ?? false,
    authorizedIpRanges: cluster.apiServerAccessProfile?.authorizedIPRanges ?? [],
    loadBalancerProfile: lb
      ? {
          managedOutboundIpCount: lb.managedOutboundIPs?.count ?? null,
          outboundIpIds: ids(lb.outboundIPs?.publicIPs),
          outboundIpPrefixIds: ids(lb.outboundIPPrefixes?.publicIPPrefixes),
          effectiveOutboundIpIds: ids(lb.effectiveOutboundIPs),
          allocatedOutboundPorts: lb.allocatedOutboundPorts ?? null,
          idleTimeoutInMinutes: lb.idleTimeoutInMinutes ?? null,
        }
      : null,
    natGatewayProfile: nat
      ? {
          sku: (nat as { sku?: string }).sku ?? null,
          managedOutboundIpCount: nat.managedOutboundIPProfile?.count ?? null,
          effectiveOutboundIpIds: ids(nat.effectiveOutboundIPs),
          idleTimeoutInMinutes: nat.idleTimeoutInMinutes ?? null,
        }
      : null,
    agentPools: (cluster.agentPoolProfiles ?? []).map((pool) => toAgentPool(id, pool)),
  };
}

/** Flattens the cluster's outbound network dependencies into one entry per domain. */
export function toOutboundDependencies(endpoints: readonly OutboundEnvironmentEndpoint[]): OutboundDependency[] {
  return endpoints.flatMap((group) =>
    (group.endpoints ?? []).map((endpoint) => ({
      category: group.category ?? "",
      domainName: endpoint.domainName ?? "",
      ports: (endpoint.endpointDetails ?? [])
        .map((detail) => detail.port)
        .filter((port): port is number => typeof port === "number"),
    })),
  );
}
