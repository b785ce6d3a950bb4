import { describe, expect, it } from "@jest/globals";
import { azureOverWorld, loadWorldFixture } from "../support/world-azure.js";

const sub = "/subscriptions/5b7e2c1d-9a34-4f08-b6e1-0c2d3e4f5a6b";
const clusterId = `${sub}/resourceGroups/rg-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod`;
const net = `${sub}/resourceGroups/rg-net/providers/Microsoft.Network`;
const hub = `${sub}/resourceGroups/rg-hub/providers/Microsoft.Network`;
const world = loadWorldFixture("azure-layer.yaml");

describe("the Azure read port over a world (real SDK clients, simulated HTTP)", () => {
  it("maps a cluster, its inline pools and settings, with source and as-of", async () => {
    const { port, http } = azureOverWorld(world);
    const read = await port.getCluster(
      clusterId
        .toUpperCase()
        .replace("/SUBSCRIPTIONS/", "/subscriptions/")
        .replace("/RESOURCEGROUPS/", "/resourceGroups/")
        .replace("/PROVIDERS/", "/providers/"),
    );
    expect(read.value).toMatchObject({
      name: "aks-prod",
      subscriptionId: sub.split("/")[2],
      resourceGroup: "RG-PROD",
      location: "westeurope",
      outboundType: "userDefinedRouting",
      networkPluginMode: "overlay",
      authorizedIpRanges: ["198.51.100.0/24"],
      privateCluster: false,
      tags: { env: "prod" },
    });
    expect(
      read.value.agentPools.map((pool) => [pool.name, pool.maxSurge, pool.podSubnetId?.endsWith("snet-pods") ?? false]),
    ).toEqual([
      ["system", "33%", false],
      ["batch", null, true],
    ]);
    expect(read.source).toEqual({
      operation: "Microsoft.ContainerService/managedClusters/read",
      resourceId: expect.stringMatching(/aks-prod$/i),
      apiVersion: "2026-06-01",
      query: null,
    });
    expect(read.asOf).toBe("2026-11-24T10:00:00.000Z");
    expect(http.requests.map((request) => request.url)).toEqual([
      expect.stringMatching(
        /^https:\/\/management\.azure\.com\/subscriptions\/.*\/managedClusters\/aks-prod\?api-version=2026-06-01$/i,
      ),
    ]);
  });

  it("serves subnets embedded in their VNet and given on their own, and merges both into the VNet", async () => {
    const { port } = azureOverWorld(world);
    expect((await port.getSubnet(`${net}/virtualNetworks/vnet-spoke/subnets/snet-nodes`)).value).toMatchObject({
      name: "snet-nodes",
      addressPrefixes: ["10.240.0.0/22"],
      routeTableId: expect.stringMatching(/rt-spoke$/),
      natGatewayId: null,
    });
    expect((await port.getSubnet(`${net}/virtualNetworks/vnet-spoke/subnets/snet-batch`)).value).toMatchObject({
      addressPrefixes: ["10.240.4.0/24"],
      natGatewayId: expect.stringMatching(/ng-batch$/),
      defaultOutboundAccess: false,
    });
    const vnet = (await port.getVirtualNetwork(`${net}/virtualNetworks/vnet-spoke`)).value;
    expect(vnet.dnsServers).toEqual(["10.0.0.53"]);
    expect(vnet.subnets.map((subnet) => subnet.name)).toEqual(["snet-nodes", "snet-batch"]);
  });

  it("maps route tables, NAT gateways, public IPs, prefixes and firewalls", async () => {
    const { port } = azureOverWorld(world);
    expect((await port.getRouteTable(`${net}/routeTables/rt-spoke`)).value).toEqual({
      id: expect.any(String),
      name: "rt-spoke",
      disableBgpRoutePropagation: true,
      routes: [
        { name: "default", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.1.4" },
      ],
    });
    expect((await port.getNatGateway(`${net}/natGateways/ng-batch`)).value).toMatchObject({
      sku: "Standard",
      publicIpAddressIds: [expect.stringMatching(/pip-batch$/)],
      publicIpPrefixIds: [expect.stringMatching(/ippre-batch$/)],
    });
    expect((await port.getPublicIpAddress(`${net}/publicIPAddresses/pip-batch`)).value).toMatchObject({
      ipAddress: "20.50.10.7",
      sku: "Standard",
      allocationMethod: "Static",
      natGatewayId: expect.stringMatching(/ng-batch$/),
    });
    expect((await port.getPublicIpPrefix(`${net}/publicIPPrefixes/ippre-batch`)).value).toMatchObject({
      ipPrefix: "20.50.20.0/30",
      prefixLength: 30,
    });
    expect((await port.getAzureFirewall(`${hub}/azureFirewalls/fw-hub`)).value).toMatchObject({
      skuName: "AZFW_VNet",
      ipConfigurations: [{ privateIpAddress: "10.0.1.4", publicIpAddressId: expect.stringMatching(/pip-fw$/) }],
      firewallPolicyId: expect.stringMatching(/afwp-hub$/),
    });
    expect((await port.getFirewallPolicy(`${hub}/firewallPolicies/afwp-hub`)).value).toMatchObject({
      dnsProxyEnabled: true,
    });
  });

  it("follows nextLink paging through the SDK", async () => {
    const { port, http } = azureOverWorld(world, { pageSize: 2 });
    const groups = (await port.listRuleCollectionGroups(`${hub}/firewallPolicies/afwp-hub`)).value;
    expect(groups.map((group) => group.name)).toEqual(["rcg-aks", "rcg-platform", "rcg-partners"]);
    expect(
      groups[0]?.ruleCollections.map((collection) => [
        collection.name,
        collection.action,
        collection.rules[0]?.ruleType,
        collection.rules[0]?.protocols,
      ]),
    ).toEqual([
      ["aks-app", "Allow", "ApplicationRule", ["Https:443"]],
      ["aks-net", "Allow", "NetworkRule", ["UDP"]],
    ]);
    expect(http.requests.filter((request) => request.url.includes("ruleCollectionGroups"))).toHaveLength(2);
  });

  it("lists the cluster's outbound dependencies, diagnostic settings and DNS zone links", async () => {
    const { port } = azureOverWorld(world);
    expect((await port.listOutboundDependencies(clusterId)).value).toEqual([
      { category: "images", domainName: "mcr.microsoft.com", ports: [443] },
      { category: "apiserver", domainName: "*.hcp.westeurope.azmk8s.io", ports: [443] },
    ]);
    expect((await port.listDiagnosticSettings(`${hub}/azureFirewalls/fw-hub`)).value).toEqual([
      {
        id: expect.stringMatching(/to-law$/),
        name: "to-law",
        workspaceId: expect.stringMatching(/law-ops$/),
        destinationType: "Dedicated",
        enabledCategories: ["allLogs"],
      },
    ]);
    const links = await port.listPrivateDnsZoneLinks(`${net}/virtualNetworks/vnet-spoke`);
    expect(links.value).toEqual([
      {
        id: expect.stringMatching(/link-spoke$/),
        zoneName: "privatelink.vaultcore.azure.net",
        virtualNetworkId: expect.stringMatching(/vnet-spoke$/),
        registrationEnabled: false,
      },
    ]);
    expect(links.source.query).toContain("microsoft.network/privatednszones/virtualnetworklinks");
  });

  it("reads metrics per dimension within the window", async () => {
    const { port } = azureOverWorld(world);
    const series = (
      await port.getMetrics({
        resourceId: `${net}/natGateways/ng-batch`,
        metricNames: ["SNATConnectionCount"],
        aggregation: "Total",
        timespan: "PT1H",
        filter: "ConnectionState eq '*'",
      })
    ).value;
    expect(series.map((entry) => [entry.dimensions.ConnectionState, entry.points.map((point) => point.total)])).toEqual(
      [
        ["Attempted", [1200, 1400]],
        ["Failed", [35]],
      ],
    );
  });

  it("reads a raw resource generically for the azure.resource.get step", async () => {
    const { port } = azureOverWorld(world);
    const read = await port.getResource(`${net}/natGateways/ng-batch`);
    expect(read).toMatchObject({
      apiVersion: "2026-01-01",
      body: { name: "ng-batch", properties: { idleTimeoutInMinutes: 4 } },
    });
    await expect(port.getResource(`${sub}/resourceGroups/rg/providers/Microsoft.Web/sites/app`)).rejects.toMatchObject({
      code: "INPUT_INVALID",
    });
  });

  it("refuses IDs of the wrong type before any request", async () => {
    const { port, http } = azureOverWorld(world);
    await expect(port.getSubnet(`${net}/natGateways/ng-batch`)).rejects.toMatchObject({ code: "INPUT_INVALID" });
    expect(http.requests).toHaveLength(0);
  });
});
