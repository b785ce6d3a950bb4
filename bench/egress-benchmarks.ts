// Benchmarks of the egress runbooks over simulated Azure with real latency: wall time and memory.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createService } from "../src/app/create-service.js";
import { findPackageRoot } from "../src/app/package-root.js";

const request = { requestedBy: { platform: "cli" as const, user: null, channel: null, thread: null } };

/** The demo world with a fault adding `latencyMs` to every ARM request (paths under /subscriptions or /providers). */
function demoWithLatency(latencyMs: number): string {
  const text = readFileSync(join(findPackageRoot(), "worlds", "demo.yaml"), "utf8");
  const file = join(mkdtempSync(join(tmpdir(), "egress-bench-")), `demo-${latencyMs}.yaml`);
  writeFileSync(
    file,
    latencyMs > 0 ? `${text}\nfaults:\n  - { match: "^/(subscriptions|providers)/", latencyMs: ${latencyMs} }\n` : text,
  );
  return file;
}

async function timeShowCluster(world: string, cluster: string): Promise<number> {
  const service = createService({ azure: { world } });
  const runbook = service.runbooks.find((candidate) => candidate.name === "show-cluster");
  if (!runbook) throw new Error("show-cluster is not installed");
  const started = performance.now();
  const bundle = await service.runRunbook(runbook, { cluster }, request);
  if (bundle.status !== "succeeded") throw new Error(`show-cluster ${cluster} ended ${bundle.status}`);
  return performance.now() - started;
}

/** Runs the egress benchmarks and returns table rows. */
export async function egressBenchmarks(): Promise<[string, string, string, boolean][]> {
  const rows: [string, string, string, boolean][] = [];
  const base = demoWithLatency(0);
  const slow = demoWithLatency(100);
  await timeShowCluster(base, "aks-plant-prod"); // warm: loads the Kusto language service once
  const baseline = Math.min(...(await Promise.all([0, 1, 2].map(() => timeShowCluster(base, "aks-plant-prod")))));
  const withLatency: number[] = [];
  for (let round = 0; round < 3; round++) withLatency.push(await timeShowCluster(slow, "aks-plant-prod"));
  const extra = Math.min(...withLatency) - baseline;
  rows.push([
    "show cluster aks-plant-prod (hub firewall) with 100 ms on every ARM request: extra wall time",
    `${extra.toFixed(0)} ms (${Math.min(...withLatency).toFixed(0)} vs ${baseline.toFixed(0)} ms)`,
    "≤ 750 ms",
    extra <= 750,
  ]);

  // Memory is measured in a fresh process that does nothing else (bench/rss-probe.ts).
  // With the flags the server ships with (--max-semi-space-size=8); default V8 flags peak 250-310 MB.
  const probe = spawnSync(
    process.execPath,
    ["--max-semi-space-size=8", join(findPackageRoot(), "dist", "bench", "rss-probe.js")],
    { encoding: "utf8" },
  );
  if (probe.status !== 0) throw new Error(`rss probe failed: ${probe.stderr}`);
  const megabytes = Number(probe.stdout.trim()) / 1024 / 1024;
  rows.push([
    "peak RSS of a process running 20 concurrent triage runs (demo world, 100 ms per ARM request, server flags)",
    `${megabytes.toFixed(0)} MB`,
    "< 300 MB",
    megabytes < 300,
  ]);
  return rows;
}
