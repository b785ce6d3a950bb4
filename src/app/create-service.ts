import { camel, type ParsedCommand } from "../core/commands/parse-command.js";
import type { ClusterIdentity } from "../core/azure/cluster-reference.js";
import { resolveCluster } from "../core/azure/resolve-cluster.js";
import type { StepRegistry } from "../core/engine/step-registry.js";
import { runRunbook, type RunOptions } from "../core/engine/run-runbook.js";
import type { RunEvent } from "../core/engine/run-events.js";
import { EgressError, ErrorCode, isEgressError } from "../core/errors.js";
import { formatCommandLine } from "../core/commands/format-command.js";
import type { StateStore } from "../core/ports/state-store.js";
import type { EvidenceBundle, RequestedBy } from "../core/evidence/bundle.js";
import type { AzureReadPort } from "../core/ports/azure-read-port.js";
import type { Clock } from "../core/ports/clock.js";
import type { IdSource } from "../core/ports/ids.js";
import { silentLogger, type Logger } from "../core/ports/logger.js";
import { loadRunbook, loadRunbooks, type LoadIssue, type LoadResult } from "../core/runbooks/load-runbook.js";
import type { Runbook } from "../core/runbooks/runbook.js";
import { createBuiltinRegistry } from "../steps/index.js";
import { builtinRunbooksFolder } from "./package-root.js";
import { randomIds } from "./random-ids.js";
import { readRunbookSources } from "./read-runbook-sources.js";
import { captureCluster, type CaptureResult } from "./capture-cluster.js";
import { handoverOfBundle } from "../core/partners/handover-of-bundle.js";
import type { Notice } from "../core/views/answer-view.js";
import { runDoctor, type DoctorReport } from "./run-doctor.js";
import { createAzureAccess, type AzureSettings } from "./create-azure-access.js";
import { systemClock } from "./system-clock.js";

/** Options of {@link createService}; every port can be replaced (tests pin clock and ids). */
export interface ServiceOptions {
  /** Runbook files or folders. @default the built-in runbooks */
  readonly runbookPaths?: readonly string[];
  /** The step types runbooks may use. @default the built-in registry */
  readonly registry?: StepRegistry;
  /** How Azure is reached: a world (simulated) or subscriptions and cloud (live). */
  readonly azure?: AzureSettings;
  /** Replaces Azure access altogether (tests of the engine and adapters). */
  readonly azurePort?: AzureReadPort;
  /** Where state and the audit are kept; without it, nothing is recorded. */
  readonly store?: StateStore;
  readonly clock?: Clock;
  readonly ids?: IdSource;
  readonly log?: Logger;
  readonly random?: () => number;
}

/** Who asked, how to report progress, and how to cancel. */
export interface RunRequest {
  readonly requestedBy: RequestedBy;
  readonly abortSignal?: AbortSignal;
  readonly onEvent?: (event: RunEvent) => void;
}

/** A runbook as the catalog lists it. */
export interface RunbookSummary {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly version: string;
  readonly inputs: Runbook["inputs"];
}

/** What a command produced. */
export type CommandResult =
  | { readonly kind: "catalog"; readonly runbooks: readonly RunbookSummary[] }
  | { readonly kind: "bundle"; readonly bundle: EvidenceBundle; readonly notices?: readonly Notice[] };

/** The one object adapters talk to: the runbook catalog and the runs. */
export interface EgressService {
  readonly runbooks: readonly Runbook[];
  /** Problems of runbook files that did not load; the others are served. */
  readonly loadIssues: readonly LoadIssue[];
  readonly simulated: boolean;
  /** Loads one runbook file with this service's step types (for `runbook test`). */
  loadRunbookFile(file: string): LoadResult;
  /** Loads runbook files and returns every problem (for `runbook lint`). */
  lintRunbooks(paths: readonly string[]): readonly LoadIssue[];
  runRunbook(runbook: Runbook, inputs: Readonly<Record<string, unknown>>, request: RunRequest): Promise<EvidenceBundle>;
  runCommand(command: ParsedCommand, request: RunRequest): Promise<CommandResult>;
  /** Records what reading a cluster's egress graph reads into a world file (`egress capture`). */
  captureCluster(clusterText: string): Promise<CaptureResult>;
  /** Checks identity, cloud, subscriptions, permissions and chat settings (`egress doctor`). */
  doctor(env: Readonly<Record<string, string | undefined>>): Promise<DoctorReport>;
  /**
   * The one cluster a reference names (alias, name, `rg/name`, `subscription/rg/name` or ARM ID), as
   * Azure resolves it; null when there is none, several, or Azure could not be asked.
   */
  identifyCluster(text: string, abortSignal?: AbortSignal): Promise<ClusterIdentity | null>;
  /** Azure reads answered from the cache, joined to a read in flight, or sent (cumulative). */
  cacheStats(): { readonly hits: number; readonly coalesced: number; readonly misses: number };
}

/** Wires ports, step types and runbooks into the service. Reads files; never falls back from Azure to a world. */
export function createService(options: ServiceOptions = {}): EgressService {
  const registry = options.registry ?? createBuiltinRegistry();
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;
  const access = options.azurePort ? undefined : createAzureAccess(options.azure ?? {}).port;
  const azure: AzureReadPort = options.azurePort ?? (access as AzureReadPort);
  const lintRunbooks = (paths: readonly string[]): LoadIssue[] => {
    const { sources, problems } = readRunbookSources(paths);
    const issues = problems.map((problem) => ({ file: problem.file, line: 1, column: 1, message: problem.message }));
    return [...issues, ...loadRunbooks(sources, registry).issues];
  };
  const { sources, problems } = readRunbookSources(options.runbookPaths ?? [builtinRunbooksFolder()]);
  const catalog = loadRunbooks(sources, registry);
  const loadIssues = [
    ...problems.map((problem) => ({ file: problem.file, line: 1, column: 1, message: problem.message })),
    ...catalog.issues,
  ];
  if (loadIssues.length > 0) log.warn({ issues: loadIssues.length }, "some runbooks did not load");

  const run = (
    runbook: Runbook,
    inputs: Readonly<Record<string, unknown>>,
    request: RunRequest,
  ): Promise<EvidenceBundle> => {
    const runOptions: RunOptions = {
      inputs,
      requestedBy: request.requestedBy,
      ...(request.abortSignal ? { abortSignal: request.abortSignal } : {}),
      ...(request.onEvent ? { onEvent: request.onEvent } : {}),
    };
    return runRunbook(
      runbook,
      {
        azure,
        clock,
        ids: options.ids ?? randomIds,
        log,
        ...(options.store ? { records: options.store } : {}),
        ...(options.random ? { random: options.random } : {}),
      },
      runOptions,
    );
  };
  const findRunbook = (name: string): Runbook => {
    const runbook = catalog.runbooks.find((candidate) => candidate.name === name);
    if (runbook) return runbook;
    const names = catalog.runbooks.map((candidate) => candidate.name).join(", ") || "none";
    throw new EgressError(ErrorCode.RunbookNotFound, `The runbook "${name}" is not installed (runbooks: ${names}).`);
  };

  return {
    runbooks: catalog.runbooks,
    loadIssues,
    simulated: azure.simulated,
    loadRunbookFile: (file) => {
      const read = readRunbookSources([file]);
      const [source] = read.sources;
      if (!source)
        return {
          ok: false,
          issues: read.problems.map((problem) => ({
            file: problem.file,
            line: 1,
            column: 1,
            message: problem.message,
          })),
        };
      return loadRunbook(source, registry);
    },
    lintRunbooks,
    runRunbook: run,
    identifyCluster: async (text, abortSignal) => {
      try {
        const { match } = await resolveCluster(azure, text, abortSignal ? { abortSignal } : {});
        return {
          id: match.id,
          name: match.name,
          resourceGroup: match.resourceGroup,
          subscriptionId: match.subscriptionId,
        };
      } catch {
        return null;
      }
    },
    doctor: (env) => {
      if (!access)
        return Promise.reject(new EgressError(ErrorCode.NotAvailable, "doctor needs the service's own Azure access."));
      return runDoctor(access, options.azure?.world ?? null, env);
    },
    cacheStats: () => access?.cache.stats ?? { hits: 0, coalesced: 0, misses: 0 },
    captureCluster: (clusterText) =>
      captureCluster(options.azure ?? {}, clusterText, new Date(clock.now()).toISOString()),
    runCommand: async (command, request) => {
      if (!options.store || command.id === "runbooks") return runCommandUnaudited(command, request);
      const startedAt = new Date(clock.now()).toISOString();
      const record = async (outcome: string, runbook: string | null, digest: string | null): Promise<void> =>
        await options.store?.recordAudit({
          id: randomIds.newRunId(), // audit IDs stay unique even when a test pins run IDs
          platform: request.requestedBy.platform,
          user: request.requestedBy.user,
          channel: request.requestedBy.channel,
          thread: request.requestedBy.thread,
          command: formatCommandLine(command),
          runbook,
          outcome,
          digest,
          startedAt,
          finishedAt: new Date(clock.now()).toISOString(),
        });
      try {
        const result = await runCommandUnaudited(command, request);
        if (result.kind === "bundle")
          await record(result.bundle.status, result.bundle.runbook.name, result.bundle.digest);
        return result;
      } catch (error) {
        await record(
          isEgressError(error) && ["INPUT_INVALID", "RUNBOOK_NOT_FOUND", "COMMAND_INVALID"].includes(error.code)
            ? "refused"
            : "failed",
          command.id === "run" ? command.args.runbook : (command.definition.runbook ?? null),
          null,
        );
        throw error;
      }
    },
  };

  /** Records a `source-ips --record` list as handed to its partner, or says why it is not recorded. */
  async function recordHandover(bundle: EvidenceBundle, partner: string, request: RunRequest): Promise<Notice> {
    if (!options.store) return { level: "refused", text: "Not recorded: this bot keeps no state (no store)." };
    const decision = handoverOfBundle(bundle, partner, request.requestedBy, randomIds.newRunId());
    if (!decision.ok) return { level: "refused", text: `Not recorded as handed to ${partner}: ${decision.reason}` };
    await options.store.recordHandover(decision.handover);
    const { handover, unstable } = decision;
    return {
      level: "ok",
      text: `Recorded as handed to ${handover.partner}: ${handover.cidrs.join(", ")} for ${handover.resourceGroup}/${handover.clusterName} (evidence ${handover.bundleDigest}).${unstable.length > 0 ? ` Not stable: ${unstable.join(", ")}; see the grades.` : ""} The drift watch now checks this allowlist.`,
    };
  }

  async function runCommandUnaudited(command: ParsedCommand, request: RunRequest): Promise<CommandResult> {
    if (command.id === "source-ips" && command.args.record && !command.args.partner)
      throw new EgressError(ErrorCode.InputInvalid, "--record needs --partner: name who the list is handed to.");
    if (command.id === "runbooks") {
      return {
        kind: "catalog",
        runbooks: catalog.runbooks.map(({ name, title, description, version, inputs }) => ({
          name,
          title,
          description,
          version,
          inputs,
        })),
      };
    }
    if (command.id === "run") {
      return {
        kind: "bundle",
        bundle: await run(findRunbook(command.args.runbook), command.args.inputs ?? {}, request),
      };
    }
    const runbookName = command.definition.runbook;
    if (!runbookName)
      throw new EgressError(
        ErrorCode.NotAvailable,
        `"${command.definition.words.join(" ")}" is not available in this build.`,
      );
    // Commands that name a built-in runbook pass their arguments as its inputs, under the same names
    // (a flag written with a dash, `--outbound-type`, is the input `outboundType`).
    const inputs = Object.fromEntries(Object.entries(command.args).map(([name, value]) => [camel(name), value]));
    const bundle = await run(findRunbook(runbookName), inputs, request);
    if (command.id === "source-ips" && command.args.record)
      return { kind: "bundle", bundle, notices: [await recordHandover(bundle, command.args.partner ?? "", request)] };
    return { kind: "bundle", bundle };
  }
}
