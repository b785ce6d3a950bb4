import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { DriftTick, EgressService, RunOutcome } from "../../src/index.js";

/** The bot's Prometheus metrics, on a registry of its own (tests create several servers in one process). */
export interface BotMetrics {
  readonly registry: Registry;
  readonly commands: Counter<"platform" | "outcome">;
  readonly runs: Counter<"runbook" | "status">;
  readonly stepDuration: Histogram<"uses" | "status">;
  readonly ackLatency: Histogram<"platform">;
  readonly chatApiErrors: Counter<"platform" | "method">;
  readonly azureRequests: Counter<"method" | "status">;
  /** Counts a finished chat command and, for runs, its steps. */
  recordOutcome(outcome: RunOutcome): void;
  /** Publishes the service's Azure read-cache counters at each scrape. */
  watchCache(service: Pick<EgressService, "cacheStats">): void;
  /** Records a drift watch tick: when, how it went, clusters scanned, changes and broken allowlists. */
  recordDrift(tick: DriftTick | null, nowMs: number): void;
}

/** Creates the metrics; `collectDefaultMetrics` adds process memory, CPU and event-loop lag. */
export function createMetrics(): BotMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const commands = new Counter({
    name: "egress_commands_total",
    help: "Chat commands by platform and outcome",
    labelNames: ["platform", "outcome"] as const,
    registers: [registry],
  });
  const runs = new Counter({
    name: "egress_runs_total",
    help: "Runbook runs by runbook and status",
    labelNames: ["runbook", "status"] as const,
    registers: [registry],
  });
  const stepDuration = new Histogram({
    name: "egress_step_duration_seconds",
    help: "Step durations by step type and status",
    labelNames: ["uses", "status"] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const ackLatency = new Histogram({
    name: "egress_ack_latency_seconds",
    help: "Time from a chat request arriving to its HTTP answer",
    labelNames: ["platform"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 3],
    registers: [registry],
  });
  const chatApiErrors = new Counter({
    name: "egress_chat_api_errors_total",
    help: "Errors from chat platform APIs by method or error code",
    labelNames: ["platform", "method"] as const,
    registers: [registry],
  });
  const azureRequests = new Counter({
    name: "egress_azure_requests_total",
    help: "HTTP requests to Azure (ARM, Resource Graph, Log Analytics) by method and status (0 = not sent)",
    labelNames: ["method", "status"] as const,
    registers: [registry],
  });
  let cacheSource: Pick<EgressService, "cacheStats"> | null = null;
  new Gauge({
    name: "egress_azure_cache_reads",
    help: "Azure reads since start by result: hit (cache), coalesced (joined a read in flight), miss (sent)",
    labelNames: ["result"] as const,
    registers: [registry],
    collect() {
      const stats = cacheSource?.cacheStats() ?? { hits: 0, coalesced: 0, misses: 0 };
      this.set({ result: "hit" }, stats.hits);
      this.set({ result: "coalesced" }, stats.coalesced);
      this.set({ result: "miss" }, stats.misses);
    },
  });
  const driftTicks = new Counter({
    name: "egress_drift_ticks_total",
    help: "Drift watch ticks by outcome (succeeded, partial, failed, error)",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const driftLastRun = new Gauge({
    name: "egress_drift_last_run_timestamp_seconds",
    help: "When the drift watch last finished a tick (any outcome), Unix seconds",
    registers: [registry],
  });
  const driftLastSuccess = new Gauge({
    name: "egress_drift_last_success_timestamp_seconds",
    help: "When the drift watch last read the whole fleet, Unix seconds (alert when it grows old)",
    registers: [registry],
  });
  const driftClusters = new Gauge({
    name: "egress_drift_clusters_scanned",
    help: "Clusters the last successful drift tick scanned",
    registers: [registry],
  });
  const driftChanges = new Gauge({
    name: "egress_drift_changes",
    help: "Clusters whose egress changed at the last successful drift tick",
    registers: [registry],
  });
  const driftBreaks = new Gauge({
    name: "egress_drift_broken_allowlists",
    help: "Partner allowlists that no longer cover their cluster's sources, at the last successful drift tick",
    registers: [registry],
  });
  return {
    registry,
    azureRequests,
    watchCache: (service) => {
      cacheSource = service;
    },
    recordDrift: (tick, nowMs) => {
      driftTicks.inc({ outcome: tick?.outcome ?? "error" });
      driftLastRun.set(nowMs / 1000);
      if (tick?.outcome !== "succeeded" || !tick.report) return;
      driftLastSuccess.set(nowMs / 1000);
      driftClusters.set(tick.report.clustersScanned);
      driftChanges.set(tick.report.changes.length);
      driftBreaks.set(tick.report.breaks.length);
    },
    commands,
    runs,
    stepDuration,
    ackLatency,
    chatApiErrors,
    recordOutcome: (outcome) => {
      commands.inc({ platform: outcome.platform, outcome: outcome.status });
      if (!outcome.runbook || !outcome.bundle) return;
      runs.inc({ runbook: outcome.runbook, status: outcome.status });
      for (const step of outcome.bundle.steps)
        stepDuration.observe({ uses: step.uses, status: step.status }, step.durationMs / 1000);
    },
  };
}
