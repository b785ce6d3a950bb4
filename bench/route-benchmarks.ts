// Benchmarks of route evaluation: a large route table over a hub with many peered spokes, and the
// CPU one `show cluster` costs a whole process on the demo world.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findPackageRoot } from "../src/app/package-root.js";
import type { RouteTable, VirtualNetwork } from "../src/core/azure/model.js";
import { buildRouteSet } from "../src/core/egress/routes/route-set.js";
import { internetPaths, selectRoute } from "../src/core/egress/routes/select-route.js";
import { median } from "./median.js";

/** A hub VNet peered with `spokes` spokes, and a route table of `routes` routes of mixed prefixes and next hops. */
function hubWithSpokes(spokes: number, routes: number): { vnet: VirtualNetwork; table: RouteTable } {
  const hub =
    "/subscriptions/7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub";
  const vnet: VirtualNetwork = {
    id: hub,
    name: "vnet-hub",
    addressPrefixes: ["10.0.0.0/16"],
    dnsServers: [],
    subnets: [],
    defaultPublicNatGatewayId: null,
    peerings: Array.from({ length: spokes }, (_, index) => ({
      id: `${hub}/virtualNetworkPeerings/spoke-${index}`,
      name: `spoke-${index}`,
      remoteVirtualNetworkId: hub.replace("vnet-hub", `vnet-spoke-${index}`),
      remoteAddressPrefixes: [`10.${100 + index}.0.0/16`],
      state: "Connected",
      allowForwardedTraffic: true,
      useRemoteGateways: false,
      allowGatewayTransit: true,
    })),
  };
  const table: RouteTable = {
    id: hub.replace("virtualNetworks/vnet-hub", "routeTables/rt-hub"),
    name: "rt-hub",
    disableBgpRoutePropagation: true,
    routes: Array.from({ length: routes }, (_, index) => ({
      name: `r${index}`,
      // Public /16s to /24s spread over the address space, a quarter of them straight to the internet.
      addressPrefix: `${((index * 37) % 223) + 1}.${(index * 11) % 256}.${index % 4 === 0 ? (index * 3) % 256 : 0}.0/${16 + (index % 9)}`,
      nextHopType: index % 4 === 0 ? "Internet" : "VirtualAppliance",
      nextHopIpAddress: index % 4 === 0 ? null : `10.0.1.${4 + (index % 3)}`,
    })),
  };
  return { vnet, table };
}

/** Median time to build the route set, answer for the whole internet and select one destination's route. */
function timeRouteEvaluation(spokes: number, routes: number): number {
  const { vnet, table } = hubWithSpokes(spokes, routes);
  const timings: number[] = [];
  for (let round = 0; round < 15; round++) {
    const started = performance.now();
    const set = buildRouteSet({ virtualNetwork: vnet, routeTable: table });
    const paths = internetPaths(set.routes, 4);
    const chosen = selectRoute(set.routes, "93.184.216.34");
    timings.push(performance.now() - started);
    if (paths.length === 0 || !chosen) throw new Error("route benchmark: no answer");
  }
  return median(timings.slice(3));
}

/**
 * CPU (user + system) of a whole `egress show cluster` process on the demo world, as the `egress`
 * binary runs it: the first run with empty caches (V8's compile cache, parsed KQL and world YAML, in
 * a fresh directory), then the median of five later runs that find them.
 */
function showClusterCpu(cluster: string): { first: number; later: number } {
  const probe = join(findPackageRoot(), "dist", "bench", "cpu-probe.js");
  const caches = mkdtempSync(join(tmpdir(), "egress-cpu-probe-"));
  const once = (): number => {
    const result = spawnSync(
      process.execPath,
      [probe, "show", "cluster", cluster, "--world", "demo", "--output", "json"],
      {
        encoding: "utf8",
        env: {
          ...process.env,
          EGRESS_CONFIG: "",
          XDG_CACHE_HOME: join(caches, "xdg"),
          NODE_COMPILE_CACHE: join(caches, "v8"),
        },
      },
    );
    if (result.status !== 0) throw new Error(`cpu probe failed: ${result.stderr}`);
    return Number(result.stdout.trim().split("\n").pop());
  };
  try {
    const first = once();
    return { first, later: median([0, 1, 2, 3, 4].map(once)) };
  } finally {
    rmSync(caches, { recursive: true, force: true });
  }
}

/** Runs the route benchmarks and returns table rows. */
export function routeBenchmarks(): [string, string, string, boolean][] {
  const routes = timeRouteEvaluation(50, 400);
  const rows: [string, string, string, boolean][] = [
    [
      "route evaluation: 400 user routes over a hub with 50 peered spokes (route set, whole-internet paths, one destination)",
      `${routes.toFixed(1)} ms`,
      "< 20 ms",
      routes < 20,
    ],
  ];
  for (const cluster of ["aks-plant-prod", "aks-claims-prod"]) {
    const cpu = showClusterCpu(cluster);
    rows.push([
      `CPU of a whole \`egress show cluster ${cluster} --world demo\` process (median of 5 after the first)`,
      `${cpu.later.toFixed(0)} ms (first run, caches empty: ${cpu.first.toFixed(0)} ms)`,
      "< 1000 ms",
      cpu.later < 1000,
    ]);
  }
  return rows;
}
