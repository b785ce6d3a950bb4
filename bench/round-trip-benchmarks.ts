// Sequential Azure round trips per `show cluster`: every demo cluster's run over the demo world with
// 40 ms on every request, its requests timed at the SDK's HTTP client, and the longest chain of requests
// each sent after the previous one was answered counted (what a slow Azure multiplies).
import type { HttpClient } from "@azure/core-rest-pipeline";
import { createService } from "../src/app/create-service.js";
import { sequentialRoundTrips, type TimedRequest } from "../src/simulated/sequential-round-trips.js";
import { demoWorldWithLatency } from "./bench-bot.js";

type Row = [string, string, string, boolean];
const request = { requestedBy: { platform: "cli" as const, user: null, channel: null, thread: null } };
// The hub-and-spoke cluster (spoke UDR to the hub firewall) has the longest path of the demo world.
const targets: Record<string, number> = { "aks-plant-prod": 5 };

/** Counts the sequential round trips of one `show cluster` run, with the requests in its chain. */
async function roundTripsOf(world: string, cluster: string): Promise<{ count: number; chain: string[] }> {
  const timed: (TimedRequest & { label: string })[] = [];
  const record = (inner: HttpClient): HttpClient => ({
    async sendRequest(sent) {
      const startedAtMs = performance.now();
      const response = await inner.sendRequest(sent);
      const url = new URL(sent.url);
      timed.push({
        label: `${sent.method} ${url.pathname.split("/").slice(-2).join("/")}`,
        startedAtMs,
        endedAtMs: performance.now(),
      });
      return response;
    },
  });
  // No read cache: the count is of a first run, as a cluster nobody asked about recently costs.
  const service = createService({ azure: { world, cacheTtlInMs: 0, wrapHttpClient: record } });
  const runbook = service.runbooks.find((candidate) => candidate.name === "show-cluster");
  if (!runbook) throw new Error("show-cluster is not installed");
  const bundle = await service.runRunbook(runbook, { cluster }, request);
  if (bundle.status === "failed") throw new Error(`show-cluster ${cluster} failed`);
  const { count, chain } = sequentialRoundTrips(timed);
  return { count, chain: chain.map((step) => step.label) };
}

/** One row per demo cluster: its sequential round trips, and the chain that makes them. */
export async function roundTripBenchmarks(): Promise<Row[]> {
  const world = demoWorldWithLatency(40);
  const rows: Row[] = [];
  for (const cluster of ["aks-plant-prod", "aks-claims-prod", "aks-analytics-prod", "aks-broken-dev"]) {
    const { count, chain } = await roundTripsOf(world, cluster);
    const target = targets[cluster];
    rows.push([
      `sequential Azure round trips of \`show cluster ${cluster}\` (${chain.join(" → ")})`,
      String(count),
      target === undefined ? "reported" : `≤ ${target}`,
      target === undefined || count <= target,
    ]);
  }
  return rows;
}
