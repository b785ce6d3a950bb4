import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { EgressService, RunOutcome } from "../../src/index.js";

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
  return {
    registry,
    azureRequests,
    watchCache: (service) => {
      cacheSource = service;
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
