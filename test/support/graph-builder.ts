import type { ClusterGraph } from "../../src/core/azure/cluster-graph.js";
import type {
  AgentPool,
  AzureFirewall,
  LoadBalancer,
  ManagedCluster,
  NatGateway,
  PublicIpAddress,
  PublicIpPrefix,
  RouteTable,
  Subnet,
  VirtualNetwork,
} from "../../src/core/azure/model.js";
import { resourceKey } from "../../src/core/azure/resource-id.js";

export const sub = "/subscriptions/5b7e2c1d-9a34-4f08-b6e1-0c2d3e4f5a6b";
export const netId = (type: string, name: string, group = "rg-net") =>
  `${sub}/resourceGroups/${group}/providers/Microsoft.Network/${type}/${name}`;
export const subnetId = (name: string, vnet = "vnet-spoke") => `${netId("virtualNetworks", vnet)}/subnets/${name}`;

/** A small cluster graph built in code, for pure resolver and findings tests. */
export class GraphBuilder {
  private cluster: ManagedCluster = {
    id: `${sub}/resourceGroups/rg-prod/providers/Microsoft.ContainerService/managedClusters/aks-test`,
    name: "aks-test",
    subscriptionId: sub.split("/")[2] ?? "",
    resourceGroup: "rg-prod",
    location: "westeurope",
    kubernetesVersion: "1.33.3",
    tags: {},
    outboundType: "loadBalancer",
    networkPlugin: "azure",
    networkPluginMode: "overlay",
    loadBalancerSku: "standard",
    nodeResourceGroup: "MC_rg-prod_aks-test_westeurope",
    privateCluster: false,
    fqdn: null,
    privateFqdn: null,
    apiServerVnetIntegration: false,
    authorizedIpRanges: [],
    loadBalancerProfile: null,
    natGatewayProfile: null,
    agentPools: [],
  };
  private readonly maps = {
    subnets: new Map<string, Subnet>(),
    virtualNetworks: new Map<string, VirtualNetwork>(),
    routeTables: new Map<string, RouteTable>(),
    natGateways: new Map<string, NatGateway>(),
    publicIps: new Map<string, PublicIpAddress>(),
    publicIpPrefixes: new Map<string, PublicIpPrefix>(),
    loadBalancers: new Map<string, LoadBalancer>(),
    firewalls: new Map<string, AzureFirewall>(),
  };

  withCluster(patch: Partial<ManagedCluster>): this {
    this.cluster = { ...this.cluster, ...patch };
    return this;
  }
  withPool(name: string, subnet: string | null, patch: Partial<AgentPool> = {}): this {
    const pool: AgentPool = {
      id: `${this.cluster.id}/agentPools/${name}`,
      name,
      mode: "User",
      osType: "Linux",
      count: 3,
      minCount: null,
      maxCount: null,
      enableAutoScaling: false,
      maxSurge: null,
      vnetSubnetId: subnet,
      podSubnetId: null,
      enableNodePublicIp: false,
      nodePublicIpPrefixId: null,
      ...patch,
    };
    this.cluster = { ...this.cluster, agentPools: [...this.cluster.agentPools, pool] };
    return this;
  }
  withSubnet(id: string, patch: Partial<Subnet> = {}): this {
    this.maps.subnets.set(resourceKey(id), {
      id,
      name: id.split("/").pop() ?? "",
      addressPrefixes: ["10.240.0.0/22"],
      natGatewayId: null,
      routeTableId: null,
      networkSecurityGroupId: null,
      defaultOutboundAccess: null,
      networkInterfaceIds: [],
      hasScaleSetInstances: false,
      azureFirewallIds: [],
      ...patch,
    });
    return this;
  }
  withVnet(id: string, subnets: string[], patch: Partial<VirtualNetwork> = {}): this {
    this.maps.virtualNetworks.set(resourceKey(id), {
      id,
      name: id.split("/").pop() ?? "",
      addressPrefixes: ["10.240.0.0/16"],
      dnsServers: [],
      subnets: subnets
        .map((subnet) => this.maps.subnets.get(resourceKey(subnet)))
        .filter((subnet): subnet is Subnet => subnet !== undefined),
      defaultPublicNatGatewayId: null,
      peerings: [],
      ...patch,
    });
    return this;
  }
  withRouteTable(id: string, routes: [string, string, string?][]): this {
    this.maps.routeTables.set(resourceKey(id), {
      id,
      name: id.split("/").pop() ?? "",
      disableBgpRoutePropagation: true,
      routes: routes.map(([addressPrefix, nextHopType, nextHopIpAddress], index) => ({
        name: `r${index}`,
        addressPrefix,
        nextHopType,
        nextHopIpAddress: nextHopIpAddress ?? null,
      })),
    });
    return this;
  }
  withPublicIpPrefix(id: string, ipPrefix: string): this {
    this.maps.publicIpPrefixes.set(resourceKey(id), {
      id,
      name: id.split("/").pop() ?? "",
      ipPrefix,
      prefixLength: Number(ipPrefix.split("/")[1]),
      sku: "Standard",
      natGatewayId: null,
    });
    return this;
  }
  withNatGateway(id: string, ipIds: string[], prefixIds: string[] = []): this {
    this.maps.natGateways.set(resourceKey(id), {
      id,
      name: id.split("/").pop() ?? "",
      sku: "Standard",
      idleTimeoutInMinutes: 4,
      publicIpAddressIds: ipIds,
      publicIpPrefixIds: prefixIds,
      subnetIds: [],
    });
    return this;
  }
  withPublicIp(id: string, ipAddress: string, patch: Partial<PublicIpAddress> = {}): this {
    this.maps.publicIps.set(resourceKey(id), {
      id,
      name: id.split("/").pop() ?? "",
      ipAddress,
      sku: "Standard",
      tier: "Regional",
      allocationMethod: "Static",
      version: "IPv4",
      ipConfigurationId: null,
      natGatewayId: null,
      publicIpPrefixId: null,
      tags: {},
      ...patch,
    });
    return this;
  }
  withPrefix(id: string, ipPrefix: string): this {
    this.maps.publicIpPrefixes.set(resourceKey(id), {
      id,
      name: id.split("/").pop() ?? "",
      ipPrefix,
      prefixLength: Number(ipPrefix.split("/")[1]),
      sku: "Standard",
      natGatewayId: null,
    });
    return this;
  }
  withLoadBalancer(id: string, frontendIpIds: string[], allocatedOutboundPorts = 0, loadBalancingRuleCount = 0): this {
    const frontends = frontendIpIds.map((ip, index) => ({
      id: `${id}/frontendIPConfigurations/fe${index}`,
      name: `fe${index}`,
      publicIpAddressId: ip,
      publicIpPrefixId: null,
      privateIpAddress: null,
    }));
    this.maps.loadBalancers.set(resourceKey(id), {
      id,
      name: id.split("/").pop() ?? "",
      sku: "Standard",
      frontends,
      outboundRules:
        frontendIpIds.length > 0
          ? [
              {
                name: "aksOutboundRule",
                allocatedOutboundPorts,
                frontendIds: frontends.map((frontend) => frontend.id),
                backendPoolId: null,
                idleTimeoutInMinutes: 30,
              },
            ]
          : [],
      loadBalancingRuleCount,
    });
    return this;
  }
  withFirewall(id: string, patch: Partial<AzureFirewall>): this {
    this.maps.firewalls.set(resourceKey(id), {
      id,
      name: id.split("/").pop() ?? "",
      skuName: "AZFW_VNet",
      skuTier: "Standard",
      ipConfigurations: [],
      hubPrivateIpAddress: null,
      hubPublicIpAddresses: [],
      firewallPolicyId: null,
      virtualHubId: null,
      ...patch,
    });
    return this;
  }
  build(): ClusterGraph {
    // The reader always reads each subnet's VNet; a test that does not say otherwise gets a plain one
    // (no peerings: a firewall elsewhere is reachable only through a peering the test declares).
    for (const subnet of [...this.maps.subnets.values()]) {
      const vnet = subnet.id.split("/").slice(0, -2).join("/");
      if (!this.maps.virtualNetworks.has(resourceKey(vnet))) this.withVnet(vnet, [subnet.id]);
    }
    return {
      cluster: this.cluster,
      ...this.maps,
      firewallPolicies: new Map(),
      ruleCollectionGroups: new Map(),
      diagnosticSettings: new Map(),
      dnsZoneLinks: new Map(),
      hubConnections: new Map(),
      routingIntents: new Map(),
      hubRouteTables: new Map(),
      effectiveRoutes: new Map(),
      privateAddressOwners: [],
      outboundDependencies: null,
      reads: [],
      problems: [],
    };
  }
}
