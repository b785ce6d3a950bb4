// `npm run bench`: measures the foundation's speed targets and prints a Markdown table.
// Numbers depend on the machine; docs/benchmarks.md records the ones measured for each release.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { stringify } from "yaml";
import { findPackageRoot } from "../src/app/package-root.js";
import { systemClock } from "../src/app/system-clock.js";
import { runRunbook } from "../src/core/engine/run-runbook.js";
import { silentLogger } from "../src/core/ports/logger.js";
import { loadRunbook, loadRunbooks } from "../src/core/runbooks/load-runbook.js";
import type { Runbook } from "../src/core/runbooks/runbook.js";
import { createAzureReadPort } from "../src/azure/create-azure-read-port.js";
import { azureClouds } from "../src/azure/clouds.js";
import { simulatedCredential } from "../src/simulated/simulated-credential.js";
import { createWorldHttpClient } from "../src/simulated/world-http-client.js";
import { createBuiltinRegistry } from "../src/steps/index.js";
import { consoleBenchmarks } from "./console-benchmarks.js";
import { egressBenchmarks } from "./egress-benchmarks.js";
import { fleetBenchmarks } from "./fleet-benchmarks.js";
import { firstCommandBenchmarks } from "./first-command-benchmarks.js";
import { haBenchmarks } from "./ha-benchmarks.js";
import { roundTripBenchmarks } from "./round-trip-benchmarks.js";
import { routeBenchmarks } from "./route-benchmarks.js";
import { serverBenchmarks } from "./server-benchmarks.js";
import { soakBenchmarks } from "./soak-benchmarks.js";
import { storeBenchmarks } from "./store-benchmarks.js";
import { viewBenchmarks } from "./view-benchmarks.js";
import { worldBenchmarks } from "./world-benchmarks.js";
import { median } from "./median.js";

const registry = createBuiltinRegistry();
function runbookText(name: string, steps: Record<string, unknown>[], extra: Record<string, unknown> = {}): string {
  return stringify({
    apiVersion: "egress.runbooks/v1",
    kind: "Runbook",
    metadata: { name, title: name, version: "1.0.0" },
    spec: {
      inputs: { cluster: { type: "cluster", required: true }, since: { type: "duration", default: "1h" } },
      steps,
      ...extra,
    },
  });
}

function load(text: string): Runbook {
  const result = loadRunbook({ file: "bench.yaml", text }, registry);
  if (!result.ok) throw new Error(result.issues.map((issue) => issue.message).join("\n"));
  return result.runbook;
}

async function engineOverhead(shape: "independent" | "chain", count: number): Promise<number> {
  const steps = Array.from({ length: count }, (_value, index) => ({
    id: `s${index}`,
    uses: "builtin.note",
    ...(shape === "chain" && index > 0 ? { needs: [`s${index - 1}`] } : {}),
    with: { summary: "no-op", value: index },
  }));
  const runbook = load(runbookText(`engine-${shape}`, steps, { concurrency: 32, deadline: "10m" }));
  const azure = createAzureReadPort({
    credential: simulatedCredential,
    cloud: azureClouds.AzureCloud,
    subscriptions: [],
    httpClient: createWorldHttpClient({ resources: {} }),
    simulated: true,
  });
  const timings: number[] = [];
  for (let round = 0; round < 7; round++) {
    const started = performance.now();
    const bundle = await runRunbook(
      runbook,
      { azure, clock: systemClock, ids: { newRunId: () => "bench" }, log: silentLogger },
      { inputs: { cluster: "aks-bench" }, requestedBy: { platform: "cli", user: null, channel: null, thread: null } },
    );
    timings.push(performance.now() - started);
    if (bundle.status !== "succeeded" || bundle.steps.length !== count)
      throw new Error("engine benchmark run did not succeed");
  }
  return median(timings.slice(2)) / count;
}

function loadMany(count: number): number {
  const sources = Array.from({ length: count }, (_value, index) => ({
    file: `rb-${index}.yaml`,
    text: runbookText(
      `rb-${index}`,
      [
        {
          id: "cluster",
          uses: "azure.resource.get",
          with: { resourceId: "/subscriptions/${{ inputs.cluster }}/x" },
          timeout: "20s",
          retry: { attempts: 3, delay: "1s" },
        },
        {
          id: "subnet",
          uses: "azure.resource.get",
          when: "steps.cluster.outputs.found",
          with: { resourceId: "${{ steps.cluster.outputs.resource.properties.subnet }}", optional: true },
        },
        {
          id: "summary",
          uses: "builtin.note",
          with: {
            summary: "pools of ${{ inputs.cluster }}",
            value: "${{ steps.cluster.outputs.resource.properties.pools.map(p, p.name) }}",
          },
        },
      ],
      {
        checks: [
          {
            code: "BENCH_POOL_WITHOUT_EGRESS",
            severity: "error",
            title: "t",
            remediation: "r",
            forEach: "steps.cluster.outputs.resource.properties.pools",
            when: "item.kind == 'none'",
            nodePools: ["${{ item.name }}"],
          },
        ],
        next: [{ label: "Denies", command: "denies ${{ inputs.cluster }} --since ${{ inputs.since }}" }],
        outputs: { nodePools: "${{ steps.summary.outputs.value }}" },
      },
    ),
  }));
  const timings: number[] = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    const result = loadRunbooks(sources, registry);
    timings.push(performance.now() - started);
    if (result.issues.length > 0 || result.runbooks.length !== count)
      throw new Error("load benchmark: runbooks did not load");
  }
  return median(timings.slice(1));
}

function helpColdStart(): number {
  const bin = join(findPackageRoot(), "dist", "adapters", "cli", "main.js");
  const timings: number[] = [];
  for (let round = 0; round < 11; round++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, [bin, "help"], { encoding: "utf8" });
    timings.push(performance.now() - started);
    if (result.status !== 0) throw new Error("egress help failed");
  }
  return median(timings);
}

type Row = [string, string, string, boolean];

async function engineRows(): Promise<Row[]> {
  const rows: Row[] = [];
  const independent = await engineOverhead("independent", 1000);
  rows.push([
    "engine overhead, 1,000 independent no-op steps",
    `${independent.toFixed(3)} ms/step`,
    "< 0.2 ms/step",
    independent < 0.2,
  ]);
  const chain = await engineOverhead("chain", 1000);
  rows.push([
    "engine overhead, 1,000 no-op steps in a chain",
    `${chain.toFixed(3)} ms/step`,
    "< 0.2 ms/step",
    chain < 0.2,
  ]);
  const loading = loadMany(200);
  rows.push(["load and validate 200 runbooks", `${loading.toFixed(0)} ms`, "< 500 ms", loading < 500]);
  const help = helpColdStart();
  rows.push([
    "`egress help` cold start (node dist/adapters/cli/main.js help, median of 11)",
    `${help.toFixed(0)} ms`,
    "< 300 ms",
    help < 300,
  ]);
  return rows;
}

// The groups, in the order they run; `npm run bench -- first server` runs only the named ones.
const groups: Record<string, () => Row[] | Promise<Row[]>> = {
  engine: engineRows,
  world: worldBenchmarks,
  egress: egressBenchmarks,
  route: routeBenchmarks,
  trips: roundTripBenchmarks,
  view: viewBenchmarks,
  store: storeBenchmarks,
  first: firstCommandBenchmarks,
  server: serverBenchmarks,
  console: consoleBenchmarks,
  ha: haBenchmarks,
  fleet: fleetBenchmarks,
  // Ten minutes: only when named (`npm run bench -- soak`; SOAK_MINUTES shortens it).
  soak: soakBenchmarks,
};
const onlyWhenNamed = new Set(["soak"]);
const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !(name in groups));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown group ${unknown.join(", ")}; groups: ${Object.keys(groups).join(", ")}\n`);
  process.exit(2);
}
const rows: Row[] = [];
for (const [name, run] of Object.entries(groups))
  if (chosen.includes(name) || (chosen.length === 0 && !onlyWhenNamed.has(name))) rows.push(...(await run()));

process.stdout.write(
  `Node ${process.version}, ${process.platform}/${process.arch}\n\n| benchmark | measured | target | met |\n|---|---|---|---|\n`,
);
for (const [name, measured, target, met] of rows)
  process.stdout.write(`| ${name} | ${measured} | ${target} | ${met ? "yes" : "NO"} |\n`);
if (rows.some((row) => !row[3])) process.exitCode = 1;
