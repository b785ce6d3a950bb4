// Run alone in a fresh process by the benchmarks: 20 concurrent triage runs on the demo world with
// 100 ms per ARM request, printing the peak RSS in bytes. A separate process keeps the figure honest.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createService } from "../src/app/create-service.js";
import { findPackageRoot } from "../src/app/package-root.js";

const text = readFileSync(join(findPackageRoot(), "worlds", "demo.yaml"), "utf8");
const world = join(mkdtempSync(join(tmpdir(), "egress-rss-")), "demo-slow.yaml");
writeFileSync(world, `${text}\nfaults:\n  - { match: "^/(subscriptions|providers)/", latencyMs: 100 }\n`);
const service = createService({ azure: { world } });
const runbook = service.runbooks.find((candidate) => candidate.name === "triage");
if (!runbook) throw new Error("triage is not installed");
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
const clusters = ["aks-plant-prod", "aks-claims-prod", "aks-analytics-prod", "aks-broken-dev"];
const bundles = await Promise.all(
  Array.from({ length: 20 }, (_value, index) =>
    service.runRunbook(
      runbook,
      { cluster: clusters[index % 4] },
      { requestedBy: { platform: "cli", user: null, channel: null, thread: null } },
    ),
  ),
);
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
if (bundles.some((bundle) => bundle.status === "failed")) throw new Error("a concurrent triage failed");
process.stdout.write(`${peak}\n`);
