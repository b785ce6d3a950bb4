// Benchmarks of the fleet inventory: 2,000 clusters in 20 subscriptions with 100 ms per Resource
// Graph request, run in a fresh process so the heap figure is the inventory's alone.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { findPackageRoot } from "../src/app/package-root.js";

type Row = [string, string, string, boolean];

/** Runs the fleet probe and returns table rows. */
export function fleetBenchmarks(): Row[] {
  const probe = join(findPackageRoot(), "dist", "bench", "fleet-probe.js");
  const result = spawnSync(process.execPath, ["--expose-gc", probe, "2000", "20"], {
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`fleet probe failed: ${result.stderr}`);
  const measured = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}") as {
    clusters: number;
    fleetMs: number;
    fleetRequests: number;
    whoisMs: number;
    whoisRequests: number;
    whoisUsers: number;
    inventoryBytes: number;
  };
  const perThousand = measured.fleetRequests / (measured.clusters / 1000);
  const megabytes = measured.inventoryBytes / 1024 / 1024;
  return [
    [
      `fleet over ${measured.clusters.toLocaleString("en-GB")} clusters in 20 subscriptions, 100 ms per Resource Graph request`,
      `${(measured.fleetMs / 1000).toFixed(2)} s`,
      "< 5 s",
      measured.fleetMs < 5000 && measured.clusters === 2000,
    ],
    [
      "Resource Graph round trips of that fleet, per 1,000 clusters",
      `${measured.fleetRequests} in all, ${perThousand.toFixed(1)} per 1,000`,
      "≤ 3",
      perThousand <= 3,
    ],
    [
      `whois on a hub firewall's address of that fleet, inventory cached (${measured.whoisUsers} spoke clusters named)`,
      `${measured.whoisRequests} round trip(s), ${(measured.whoisMs / 1000).toFixed(2)} s`,
      "≤ 1 round trip",
      measured.whoisRequests <= 1,
    ],
    ["heap held by the inventory of that fleet", `${megabytes.toFixed(1)} MB`, "< 100 MB", megabytes < 100],
  ];
}
