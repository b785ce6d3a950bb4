import { parseCommand } from "../../core/commands/parse-command.js";
import type { DriftReport } from "../../core/drift/drift-report.js";
import type { EgressSnapshot } from "../../core/drift/egress-snapshot.js";
import { readResultSections } from "../../core/egress/report/result-sections.js";
import type { EvidenceBundle } from "../../core/evidence/bundle.js";
import type { Logger } from "../../core/ports/logger.js";
import type { StateStore } from "../../core/ports/state-store.js";
import { buildAnswerView, type AnswerView } from "../../core/views/answer-view.js";
import type { EgressService } from "../create-service.js";

/** What one tick of the drift watch did. */
export interface DriftTick {
  readonly outcome: "succeeded" | "partial" | "failed";
  readonly report: DriftReport | null;
  readonly bundle: EvidenceBundle;
  readonly snapshotsKept: number;
  readonly posted: boolean;
}

/** What a tick needs: the service to run `drift` with, the store for snapshots, where to post. */
export interface DriftWatchOptions {
  readonly service: EgressService;
  readonly store: StateStore;
  readonly log: Logger;
  /** Posts the drift answer to the configured Slack channel and Teams conversation. */
  readonly post: (view: AnswerView, bundle: EvidenceBundle) => Promise<void>;
}

/**
 * One tick of the drift watch: runs `drift` (a run like any other: evidence, digest, audit), keeps the
 * snapshots of the clusters that changed (all of them the first time), and posts the answer once when
 * there is something to say: a change since the last tick (with what it breaks and leaves idle), or,
 * on the first tick, an allowlist already broken. Nothing changed, nothing posted. A run that could
 * not read the inventory keeps no snapshot and posts nothing; the metrics say it failed.
 */
export async function runDriftTick(options: DriftWatchOptions): Promise<DriftTick> {
  const parsed = parseCommand("drift", { surface: "chat" });
  if (!parsed.ok) throw new Error(parsed.error.reason);
  const result = await options.service.runCommand(parsed.command, {
    requestedBy: { platform: "cli", user: "drift-watch", channel: null, thread: null },
  });
  if (result.kind !== "bundle") throw new Error("drift answered without a bundle");
  const { bundle } = result;
  const report = readResultSections(bundle).drift;
  if (bundle.status !== "succeeded" || !report) {
    options.log.warn({ runId: bundle.runId, status: bundle.status }, "drift watch could not read the fleet");
    return { outcome: bundle.status, report, bundle, snapshotsKept: 0, posted: false };
  }
  const snapshots = Array.isArray(bundle.snapshots) ? (bundle.snapshots as EgressSnapshot[]) : [];
  for (const snapshot of snapshots) await options.store.putSnapshot(snapshot);
  const worthSaying = report.baseline ? report.changes.length > 0 : report.breaks.length > 0;
  if (worthSaying) await options.post(buildAnswerView(bundle), bundle);
  options.log.info(
    {
      runId: bundle.runId,
      clusters: report.clustersScanned,
      changes: report.changes.length,
      breaks: report.breaks.length,
      posted: worthSaying,
    },
    "drift watch tick",
  );
  return { outcome: "succeeded", report, bundle, snapshotsKept: snapshots.length, posted: worthSaying };
}
