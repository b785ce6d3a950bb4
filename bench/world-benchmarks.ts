// Benchmarks of the Azure layer over simulated Azure: request counts and world loading time.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { createAzureAccess } from "../src/app/create-azure-access.js";
import { readClusterGraph } from "../src/core/azure/read-cluster-graph.js";

const subscription = "5b7e2c1d-9a34-4f08-b6e1-0c2d3e4f5a6b";

/** A world of `count` clusters, each with its own VNet, subnet, route table and NAT gateway. */
function largeWorldText(count: number): string {
  const resources: Record<string, unknown> = {};
  for (let index = 0; index < count; index++) {
    const group = `/subscriptions/${subscription}/resourceGroups/rg-team-${index}`;
    const vnet = `${group}/providers/Microsoft.Network/virtualNetworks/vnet-${index}`;
    const subnet = `${vnet}/subnets/snet-nodes`;
    const gateway = `${group}/providers/Microsoft.Network/natGateways/ng-${index}`;
    resources[`${group}/providers/Microsoft.ContainerService/managedClusters/aks-${index}`] = {
      name: `aks-${index}`,
      type: "Microsoft.ContainerService/ManagedClusters",
      location: "westeurope",
      tags: { team: `team-${index}` },
      properties: {
        networkProfile: { outboundType: "userAssignedNATGateway", networkPlugin: "azure" },
        agentPoolProfiles: [
          { name: "system", mode: "System", count: 3, vnetSubnetID: subnet },
          { name: "apps", mode: "User", count: 5, maxCount: 20, enableAutoScaling: true, vnetSubnetID: subnet },
        ],
      },
    };
    resources[vnet] = {
      name: `vnet-${index}`,
      type: "Microsoft.Network/virtualNetworks",
      properties: {
        addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
        subnets: [{ name: "snet-nodes", properties: { addressPrefix: "10.0.0.0/22", natGateway: { id: gateway } } }],
      },
    };
    resources[gateway] = {
      name: `ng-${index}`,
      type: "Microsoft.Network/natGateways",
      sku: { name: "Standard" },
      properties: { publicIpAddresses: [] },
    };
  }
  return stringify({ schema: "egress.world/v1", resources });
}

/** Runs the world benchmarks and returns table rows. */
export async function worldBenchmarks(): Promise<[string, string, string, boolean][]> {
  const rows: [string, string, string, boolean][] = [];
  const file = join(mkdtempSync(join(tmpdir(), "egress-bench-")), "world-500.yaml");
  writeFileSync(file, largeWorldText(500));
  const loads: number[] = [];
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    // Reads the file, validates it and indexes every resource, as `--world` does.
    const access = createAzureAccess({ world: file });
    loads.push(performance.now() - started);
    if (!access.port.simulated) throw new Error("a world must give simulated access");
  }
  const load = Math.min(...loads);
  rows.push([
    "load and validate a world of 500 clusters (1,500 resources), best of 3: the parse cache serves rounds 2 and 3",
    `${load.toFixed(0)} ms`,
    "< 1000 ms",
    load < 1000,
  ]);

  // 2,000 clusters, once, with text no earlier run has parsed (a unique first line defeats the parse
  // cache): reading, YAML, validation and the index, which must stay linear.
  const big = join(mkdtempSync(join(tmpdir(), "egress-bench-")), "world-2000.yaml");
  writeFileSync(big, `# ${Date.now()}-${Math.random()}\n${largeWorldText(2000)}`);
  const bigStarted = performance.now();
  createAzureAccess({ world: big });
  const bigLoad = performance.now() - bigStarted;
  rows.push([
    "load, validate and index a world of 2,000 clusters (6,000 resources), nothing cached",
    `${(bigLoad / 1000).toFixed(1)} s`,
    "< 15 s",
    bigLoad < 15_000,
  ]);

  const lookup = createAzureAccess({ world: file });
  await lookup.port.findClusters({ kind: "name", text: "aks-499", name: "aks-499" });
  const trips = lookup.worldHttpClient?.requests.length ?? 0;
  rows.push(["Resource Graph lookup of one name among 500 clusters", `${trips} round trip(s)`, "1", trips === 1]);

  const one = createAzureAccess({ world: "demo" });
  await readClusterGraph(one.port, "aks-plant-prod");
  const single = one.worldHttpClient?.requests.length ?? 0;
  const shared = createAzureAccess({ world: "demo" });
  await Promise.all(Array.from({ length: 20 }, () => readClusterGraph(shared.port, "aks-plant-prod")));
  const twenty = shared.worldHttpClient?.requests.length ?? 0;
  rows.push([
    "20 concurrent reads of one cluster graph (aks-plant-prod): requests vs one read",
    `${twenty} vs ${single} (${(twenty / single).toFixed(2)}×)`,
    "≤ 1.2×",
    twenty <= single * 1.2,
  ]);
  return rows;
}
