// The narrow surface adapters import. Heavy modules (schema, YAML, CEL, the engine) load only when
// `createService` is first called, so `egress help` starts fast.
import type { TickSchedule } from "./core/ports/tick-schedule.js";
export {
  parseCommand,
  parseTokens,
  type ParsedCommand,
  type ParseResult,
  type CommandError,
  type CliOptions,
} from "./core/commands/parse-command.js";
export { renderHelp, formatUsage } from "./core/commands/render-help.js";
export { formatCommandLine } from "./core/commands/format-command.js";
export { commandDefinitions, type CommandDefinition } from "./core/commands/command-definitions.js";
export { builtinRunbooksFolder, findPackageRoot } from "./app/package-root.js";
export { parseDuration } from "./core/runbooks/duration.js";
export { ErrorCode, EgressError, isEgressError } from "./core/errors.js";
export type { EvidenceBundle, StepRecord, RequestedBy, NextSuggestion } from "./core/evidence/bundle.js";
export { reachesSeverity, severities, type Finding, type Severity } from "./core/evidence/finding.js";
export type { RunEvent } from "./core/engine/run-events.js";
export { silentLogger, type Logger } from "./core/ports/logger.js";
export { formatLoadIssue, type LoadIssue } from "./core/runbooks/load-issue.js";
export type { EgressService, ServiceOptions, CommandResult, RunRequest, RunbookSummary } from "./app/create-service.js";
export type { CaptureResult } from "./app/capture-cluster.js";
export type { DoctorReport } from "./app/run-doctor.js";
import type { EgressService, ServiceOptions } from "./app/create-service.js";

/** Creates the service (loads runbooks, wires Azure or a world). */
export async function createService(options: ServiceOptions = {}): Promise<EgressService> {
  const { createService: create } = await import("./app/create-service.js");
  return create(options);
}
export type { AuditRecord, LedgerEntry, RunningRecord, StateStore } from "./core/ports/state-store.js";
export { genesisHash, verifyAuditChain, type ChainVerification } from "./core/audit/audit-chain.js";
export type { Config, ConfigResult, DatabaseSettings } from "./app/config/read-config.js";
export { azureSettingsOf } from "./app/config/azure-settings-of.js";
import type { ConfigResult, DatabaseSettings } from "./app/config/read-config.js";
import type { StateStore } from "./core/ports/state-store.js";
import type { Logger } from "./core/ports/logger.js";
import type { RunQueue } from "./core/ports/run-queue.js";

/** Reads and validates `EGRESS_CONFIG` and the environment (every problem at once). */
export async function readConfig(env: Readonly<Record<string, string | undefined>>): Promise<ConfigResult> {
  return (await import("./app/config/read-config.js")).readConfig(env);
}

/**
 * Opens the state store: PostgreSQL when `database` is given (`EGRESS_DATABASE_URL`), else the
 * embedded node:sqlite store in a directory, or `:memory:`.
 */
export async function openStateStore(
  directory: string,
  database: DatabaseSettings | null = null,
  cloud = "AzureCloud",
): Promise<StateStore> {
  return (await import("./app/open-state-store.js")).openStateStore(directory, database, cloud);
}
/** The durable run queue on PostgreSQL (pg-boss) when `database` is given; null with the embedded store. */
export async function openRunQueue(
  database: DatabaseSettings | null,
  log: Logger,
  cloud = "AzureCloud",
): Promise<RunQueue | null> {
  return (await import("./app/open-state-store.js")).openRunQueue(database, log, cloud);
}
export { formatBundleMarkdown } from "./core/views/bundle-markdown.js";
export { bundleOutputs } from "./core/views/bundle-outputs.js";
export { bundleFileName } from "./core/views/bundle-file-name.js";
export { RecentBundles } from "./app/chat/recent-bundles.js";
export { readSections, type ReportSections } from "./core/egress/report/sections.js";
export { readResultSections, type ResultSections } from "./core/egress/report/result-sections.js";
export {
  buildAnswerView,
  type AllowlistEntry,
  type AnswerView,
  type DenyRow,
  type FindingLine,
  type OwnerLink,
  type ProofLine,
  type SnatRow,
  type Verdict,
  type ViewSection,
} from "./core/views/answer-view.js";
export { describeSources, type PathHop, type PoolPath } from "./core/views/pool-path.js";
export { alignTable, chatTableRows, deniesTable, snatTable, type ViewTable } from "./core/views/view-tables.js";
export { fleetCsv, fleetSummary, fleetTable } from "./core/views/fleet-view.js";
export { toCsv } from "./core/views/csv.js";
export { fleetSchema, type FleetReport, type FleetCluster, type FleetPool } from "./core/fleet/fleet-report.js";
export { escapeXml, pathPicture, renderPathSvg } from "./core/views/path-picture.js";
export { pictureStats, svgToPng } from "./app/render-png.js";
export { authorize, type AuthorizationDecision, type AuthorizationPolicy, type Requester } from "./core/auth/policy.js";
export type { ButtonContext, ButtonLookup } from "./core/ports/state-store.js";
export type { ChatSurface, FinalResult, ProgressStep, ProgressView } from "./app/chat/chat-surface.js";
export { resumedNote } from "./app/chat/chat-surface.js";
export {
  ChatCommandHandler,
  buttonTtlInMs,
  type ChatHandlerOptions,
  type ChatRequest,
  type RunOutcome,
  type QueuedAttempt,
} from "./app/chat/chat-command-handler.js";
export type { ChatRuntime } from "./app/chat/chat-runtime.js";
export { chatDedupeTtlInMs, introduction, outsiderRefusal } from "./app/chat/chat-policy-texts.js";
export { interruptedText, recoverInterruptedRuns } from "./app/chat/recover-interrupted-runs.js";
export { RunHandedBack, type RunAttempt, type RunQueue } from "./core/ports/run-queue.js";
export { RunIntake, intakeOf, runKeyOf, type Intake, type QueuedAnswerer } from "./app/chat/run-intake.js";
export { checkChatSettings, type ChatCheck } from "./app/run-doctor.js";
export { runDriftTick, type DriftTick, type DriftWatchOptions } from "./app/drift/drift-watch.js";
export { inProcessSchedule } from "./app/drift/in-process-schedule.js";
export type { TickSchedule };
/** The drift watch's schedule: pg-boss with `database` (one replica per tick), a timer in this process without. */
export async function openDriftSchedule(
  cron: string,
  database: DatabaseSettings | null,
  log: Logger,
  cloud = "AzureCloud",
): Promise<TickSchedule> {
  return (await import("./app/open-state-store.js")).openDriftSchedule(cron, database, log, cloud);
}
export { partnerKeyOf, type PartnerHandover } from "./core/partners/partner-handover.js";
