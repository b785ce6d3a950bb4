import { describe, expect, it } from "@jest/globals";
import { createAzureAccess } from "../../src/app/create-azure-access.js";
import { readClusterGraph } from "../../src/core/azure/read-cluster-graph.js";
import { resolveCluster } from "../../src/core/azure/resolve-cluster.js";
import { azureOverWorld, loadWorldFixture } from "../support/world-azure.js";

const now = () => Date.parse("2026-11-24T10:00:00.000Z");
const demo = () => createAzureAccess({ world: "demo", now });
const names = (map: ReadonlyMap<string, { name: string }>) => [...map.values()].map((item) => item.name).sort();

describe("reading a cluster's egress graph from the demo world", () => {
  it("aks-plant-prod: route table to the hub firewall, its IPs, policy, rule groups and log settings", async () => {
    const graph = await readClusterGraph(demo().port, "aks-plant-prod");
    expect(graph.problems).toEqual([]);
    expect(graph.cluster.outboundType).toBe("userDefinedRouting");
    expect(names(graph.routeTables)).toEqual(["rt-plant-egress"]);
    expect(names(graph.firewalls)).toEqual(["afw-hub-weu"]);
    expect([...graph.publicIps.values()].map((ip) => ip.ipAddress).sort()).toEqual(["51.124.77.10", "51.124.77.11"]);
    expect(names(graph.firewallPolicies)).toEqual(["afwp-hub-weu"]);
    expect([...graph.ruleCollectionGroups.values()].flat().map((group) => group.name)).toEqual([
      "rcg-aks-egress",
      "rcg-partner-apis",
    ]);
    expect([...graph.diagnosticSettings.values()].flat().map((setting) => setting.destinationType)).toEqual([
      "Dedicated",
    ]);
    expect(graph.outboundDependencies?.map((dependency) => dependency.domainName)).toContain("packages.aks.azure.com");
    expect([...graph.virtualNetworks.values()][0]?.dnsServers).toEqual(["10.0.1.4"]);
  });
  it("aks-claims-prod: the NAT gateway on the node subnet and its public IP prefix", async () => {
    const graph = await readClusterGraph(demo().port, "aks-claims-prod");
    expect(names(graph.natGateways)).toEqual(["ng-claims-egress"]);
    expect([...graph.publicIpPrefixes.values()].map((prefix) => prefix.ipPrefix)).toEqual(["20.31.18.40/30"]);
    expect(graph.firewalls.size).toBe(0);
  });
  it("aks-analytics-prod: the cluster's load balancer with its outbound rule and managed IP", async () => {
    const graph = await readClusterGraph(demo().port, "aks-analytics-prod");
    const [lb] = [...graph.loadBalancers.values()];
    expect(lb?.outboundRules).toEqual([
      expect.objectContaining({ name: "aksOutboundRule", allocatedOutboundPorts: 0 }),
    ]);
    expect([...graph.publicIps.values()].map((ip) => ip.ipAddress)).toEqual(["20.76.145.19"]);
    expect(graph.cluster.agentPools.map((pool) => [pool.name, pool.maxCount])).toEqual([
      ["system", null],
      ["spark", 120],
    ]);
  });
  it("aks-broken-dev: a route table without a default route, and no firewall looked up", async () => {
    const graph = await readClusterGraph(demo().port, "aks-broken-dev");
    expect([...graph.routeTables.values()][0]?.routes.map((route) => route.addressPrefix)).toEqual(["172.16.0.0/12"]);
    expect(graph.firewalls.size).toBe(0);
  });
  it("records every read with its source for evidence: a name's cluster comes with Resource Graph's answer", async () => {
    const graph = await readClusterGraph(demo().port, "aks-plant-prod");
    expect(graph.reads[0]).toMatchObject({
      source: {
        operation: "Microsoft.ResourceGraph/resources/action",
        resourceId: graph.cluster.id,
        query: expect.stringContaining("where name =~ 'aks-plant-prod'"),
      },
      asOf: "2026-11-24T10:00:00.000Z",
      summary: "cluster aks-plant-prod",
    });
    // The same cluster as ARM's GET answers (the mapper reads both shapes).
    const byId = await readClusterGraph(demo().port, graph.cluster.id);
    expect(byId.reads[0]).toMatchObject({
      source: expect.objectContaining({
        operation: "Microsoft.ContainerService/managedClusters/read",
        apiVersion: "2026-06-01",
      }),
      summary: "cluster aks-plant-prod",
    });
    expect(byId.cluster).toEqual(graph.cluster);
    // The firewall the default route points at came whole with the firewall search: no GET of it.
    expect([...graph.firewalls.values()].map((firewall) => firewall.name)).toEqual(["afw-hub-weu"]);
    expect([...byId.firewalls.values()]).toEqual([...graph.firewalls.values()]);
  });
  it("keeps going when a read fails, recording the problem", async () => {
    const world = loadWorldFixture("azure-layer.yaml");
    const { port } = azureOverWorld({ ...world, faults: [{ match: "natGateways", status: 403 }] });
    const graph = await readClusterGraph(port, "rg-prod/aks-prod");
    expect(graph.problems).toContainEqual(
      expect.objectContaining({ code: "AZURE_FORBIDDEN", resourceId: expect.stringMatching(/ng-batch$/) }),
    );
    // The test world also leaves out three resources the graph names: each is a problem of its own, not a failure of the whole.
    expect(
      graph.problems
        .filter((problem) => problem.code === "AZURE_NOT_FOUND")
        .map((problem) => problem.resourceId?.split("/").pop()),
    ).toEqual(["snet-pods", "pip-fw", "AzureFirewallSubnet"]);
    expect(graph.routeTables.size).toBe(1);
  });
  it("issues the same requests once for 20 concurrent reads of the same graph", async () => {
    const single = demo();
    await readClusterGraph(single.port, "aks-plant-prod");
    const one = single.worldHttpClient?.requests.length ?? 0;
    const shared = demo();
    await Promise.all(Array.from({ length: 20 }, () => readClusterGraph(shared.port, "aks-plant-prod")));
    expect(shared.worldHttpClient?.requests.length).toBeLessThanOrEqual(Math.floor(one * 1.2));
  });
});

describe("resolving cluster references", () => {
  const world = loadWorldFixture("azure-layer.yaml");
  it("lists every candidate when a name is ambiguous", async () => {
    const { port } = azureOverWorld(world);
    const refused = resolveCluster(port, "aks-prod");
    await expect(refused).rejects.toMatchObject({
      code: "CLUSTER_AMBIGUOUS",
      message: expect.stringMatching(
        /^"aks-prod" matches 2 clusters: rg-(other|prod)\/aks-prod \(subscription 5b7e2c1d-9a34-4f08-b6e1-0c2d3e4f5a6b\), rg-(other|prod)\/aks-prod/,
      ),
    });
    // The candidates name each cluster; the bodies Resource Graph returned with them stay out of the error.
    const candidates = ((await refused.catch((error: unknown) => error)) as { details: { candidates: object[] } })
      .details.candidates;
    expect(candidates.map((candidate) => Object.keys(candidate).sort())).toEqual([
      ["id", "location", "name", "resourceGroup", "subscriptionId"],
      ["id", "location", "name", "resourceGroup", "subscriptionId"],
    ]);
  });
  it("says when nothing matches, and refuses malformed references", async () => {
    const { port } = azureOverWorld(world);
    await expect(resolveCluster(port, "aks-nope")).rejects.toMatchObject({
      code: "CLUSTER_NOT_FOUND",
      remediation: expect.stringContaining("EGRESS_SUBSCRIPTIONS"),
    });
    await expect(resolveCluster(port, "-bad")).rejects.toMatchObject({ code: "INPUT_INVALID" });
  });
});
