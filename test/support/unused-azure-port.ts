import type { AzureReadPort } from "../../src/core/ports/azure-read-port.js";

/** An Azure port for tests whose steps never touch Azure: every read fails loudly. */
export function unusedAzurePort(simulated = true): AzureReadPort {
  const unused = (): Promise<never> => Promise.reject(new Error("this test does not read Azure"));
  return {
    simulated,
    getResource: unused,
    findClusters: unused,
    getCluster: unused,
    listOutboundDependencies: unused,
    getSubnet: unused,
    getVirtualNetwork: unused,
    getRouteTable: unused,
    getNatGateway: unused,
    getPublicIpAddress: unused,
    getPublicIpPrefix: unused,
    getLoadBalancer: unused,
    getAzureFirewall: unused,
    listAzureFirewalls: unused,
    getFirewallPolicy: unused,
    getEffectiveRouteTable: unused,
    getPrivateEndpoint: unused,
    listRuleCollectionGroups: unused,
    listPrivateDnsZoneLinks: unused,
    listHubVirtualNetworkConnections: unused,
    listRoutingIntents: unused,
    listHubRouteTables: unused,
    listDiagnosticSettings: unused,
    getMetrics: unused,
    queryResourceGraph: unused,
    readEgressInventory: unused,
    queryLogs: unused,
  };
}
