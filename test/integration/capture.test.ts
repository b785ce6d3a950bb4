import { describe, expect, it } from "@jest/globals";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { captureCluster, worldResourcesFromReads } from "../../src/app/capture-cluster.js";
import { createAzureAccess } from "../../src/app/create-azure-access.js";
import { createRecordingHttpClient, type RecordingHttpClient } from "../../src/azure/recording-http-client.js";
import { readClusterGraph } from "../../src/core/azure/read-cluster-graph.js";

const now = () => Date.parse("2026-11-24T10:00:00.000Z");

async function readThrough(world: string, cluster: string): Promise<RecordingHttpClient> {
  let recorder: RecordingHttpClient | undefined;
  const { port } = createAzureAccess({
    world,
    now,
    wrapHttpClient: (inner) => (recorder = createRecordingHttpClient(inner)),
  });
  await readClusterGraph(port, cluster);
  if (!recorder) throw new Error("no recorder");
  return recorder;
}

describe("egress capture", () => {
  it.each(["aks-plant-prod", "aks-claims-prod", "aks-analytics-prod", "aks-broken-dev"])(
    "captures %s from the demo world, and the capture replays the same reads",
    async (cluster) => {
      const captured = await captureCluster({ world: "demo", now }, cluster, "2026-11-24T10:00:00.000Z");
      expect(captured.problems).toEqual([]);
      const file = join(mkdtempSync(join(tmpdir(), "egress-capture-")), "world.yaml");
      writeFileSync(file, captured.text);
      const original = await readThrough("demo", cluster);
      const replay = await readThrough(file, cluster);
      expect(replay.reads.map((read) => read.path)).toEqual(original.reads.map((read) => read.path));
      expect(replay.reads.map((read) => read.body)).toEqual(original.reads.map((read) => read.body));
    },
  );

  it("keeps a NIC's effective routes where a world holds them, not at the poller's address, and replays them", async () => {
    const source = "test/fixtures/worlds/egress/effective-routes-bgp-default.json";
    const captured = await captureCluster({ world: source, now }, "aks-egress", "2026-11-24T10:00:00.000Z");
    const keys = Object.keys(captured.world.resources);
    const nic =
      "/subscriptions/3f2b8c1e-7d4a-4e59-9b6c-1a2d3e4f5a6b/resourceGroups/MC_rg-aks_aks-egress_westeurope/providers/Microsoft.Network/networkInterfaces/aks-system-31245786-nic-0";
    expect(keys).toContain(`${nic}/effectiveRouteTable`);
    expect(keys.filter((key) => /operationResults/i.test(key))).toEqual([]);
    expect(captured.world.resources[`${nic}/effectiveRouteTable`]).toMatchObject({
      value: expect.arrayContaining([
        {
          source: "VirtualNetworkGateway",
          state: "Active",
          addressPrefix: ["0.0.0.0/0"],
          nextHopIpAddress: ["10.30.255.12", "10.30.255.13"],
          nextHopType: "VirtualNetworkGateway",
        },
      ]),
    });
    const file = join(mkdtempSync(join(tmpdir(), "egress-capture-")), "world.yaml");
    writeFileSync(file, captured.text);
    const { port } = createAzureAccess({ world: file, now });
    const replayed = await readClusterGraph(port, "aks-egress");
    expect([...replayed.effectiveRoutes.values()].map((table) => table.networkInterfaceId)).toEqual([nic]);
  });

  it("records the firewall a UDR cluster's default route points at, with its policy and logs settings", async () => {
    const captured = await captureCluster({ world: "demo", now }, "aks-plant-prod", "2026-11-24T10:00:00.000Z");
    const ids = Object.keys(captured.world.resources).map((id) => id.split("/").slice(-2).join("/"));
    expect(ids).toEqual(
      expect.arrayContaining([
        "managedClusters/aks-plant-prod",
        "routeTables/rt-plant-egress",
        "azureFirewalls/afw-hub-weu",
        "firewallPolicies/afwp-hub-weu",
        "ruleCollectionGroups/rcg-aks-egress",
        "diagnosticSettings/afw-to-law-platform",
        "publicIPAddresses/pip-afw-hub-weu-01",
        "aks-plant-prod/outboundNetworkDependenciesEndpoints",
      ]),
    );
    expect(
      captured.text.startsWith(
        "# Captured by `egress capture cluster` from the simulated world demo at 2026-11-24T10:00:00.000Z.\n",
      ),
    ).toBe(true);
  });

  it("strips secrets and never records request headers", () => {
    const resources = worldResourcesFromReads([
      {
        path: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/a",
        body: {
          id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/a",
          properties: {
            servicePrincipalProfile: { clientId: "msi", secret: "hunter2" },
            windowsProfile: { adminUsername: "azureuser", adminPassword: "P@ss" },
            linuxProfile: { ssh: { publicKeys: [{ keyData: "ssh-rsa AAA" }] } },
          },
        },
      },
    ]);
    expect(JSON.stringify(resources)).not.toMatch(/hunter2|P@ss|ssh-rsa/);
    expect(
      resources["/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/a"],
    ).toMatchObject({
      properties: {
        servicePrincipalProfile: { clientId: "msi", secret: "[redacted]" },
        windowsProfile: { adminUsername: "azureuser", adminPassword: "[redacted]" },
        linuxProfile: { ssh: { publicKeys: "[redacted]" } },
      },
    });
  });
});
