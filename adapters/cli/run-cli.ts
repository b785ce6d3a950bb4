import {
  azureSettingsOf,
  createService,
  openStateStore,
  readConfig,
  formatBundleMarkdown,
  formatLoadIssue,
  formatUsage,
  fleetCsv,
  isEgressError,
  readResultSections,
  parseTokens,
  reachesSeverity,
  renderHelp,
  formatCommandLine,
  type CliOptions,
  type EgressService,
  type StateStore,
  type CommandResult,
  type EvidenceBundle,
  type ParsedCommand,
  type ServiceOptions,
} from "../../src/index.js";
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { exportAudit, listAudit, verifyAudit } from "./audit-commands.js";
import { colourFor, type CliIo, type Paint } from "./cli-io.js";
import { ExitCode } from "./exit-codes.js";
import { formatDoctorText } from "./format-doctor.js";
import { formatProgress } from "./format-progress.js";
import { formatTable } from "./format-table.js";
import { formatSourceIpsCsv } from "./format-source-ips-csv.js";
import { formatBundleText } from "./format-text.js";

/** Error codes that mean the user asked for something wrong, rather than that a run failed. */
const usageCodes = new Set(["COMMAND_INVALID", "RUNBOOK_NOT_FOUND", "INPUT_INVALID", "WORLD_INVALID"]);

/**
 * Runs one `egress` invocation and returns its exit code. `serviceOptions` lets tests supply their
 * own step registry, runbooks, clock and ids.
 */
export async function runCli(argv: readonly string[], io: CliIo, serviceOptions: ServiceOptions = {}): Promise<number> {
  const parsed = parseTokens(argv, { surface: "cli" });
  if (!parsed.ok) {
    io.stderr.write(`egress: ${parsed.error.reason}\n${parsed.error.usage}\n`);
    return ExitCode.Usage;
  }
  const command = parsed.command;
  if (command.id === "help") {
    io.stdout.write(`${renderHelp("cli", command.args.command)}\n`);
    return ExitCode.Ok;
  }
  const output = command.cliOptions.output ?? "text";
  if (!["source-ips", "fleet", "run", "runbook-test"].includes(command.id) && output === "csv") {
    io.stderr.write(
      `egress: --output csv is for results that are a table (source-ips, fleet); use text, json or markdown here\n${formatUsage(command.definition)}\n`,
    );
    return ExitCode.Usage;
  }
  try {
    return await dispatch(command, io, serviceOptions);
  } catch (error) {
    if (!isEgressError(error)) throw error;
    io.stderr.write(`egress: ${error.message}\n${error.remediation ? `${error.remediation}\n` : ""}`);
    return usageCodes.has(error.code) ? ExitCode.Usage : ExitCode.RunFailed;
  }
}

async function dispatch(command: ParsedCommand, io: CliIo, serviceOptions: ServiceOptions): Promise<number> {
  const configured = await readConfig(io.env);
  if (!configured.ok) {
    configured.issues.forEach((issue) => io.stderr.write(`egress: ${issue}\n`));
    return ExitCode.Usage;
  }
  const { config } = configured;
  if (command.id === "audit") return listAudit(command.args.since ?? "7d", config, command.cliOptions, io);
  if (command.id === "audit-verify") return verifyAudit(config, command.cliOptions, io);
  if (command.id === "audit-export") return exportAudit(command.args.since, config, io);
  const world = command.cliOptions.world ?? config.world ?? undefined;
  const { world: _configured, ...fromConfig } = azureSettingsOf(config);
  const azure = { ...fromConfig, ...serviceOptions.azure, ...(world ? { world } : {}) };
  // Every CLI command that reads Azure is audited in the same store as the chat server's, with the OS user.
  const ownStore =
    serviceOptions.store || command.id === "runbook-lint"
      ? null
      : await openStateStore(config.stateDirectory, config.database, config.cloud);
  const store = serviceOptions.store ?? ownStore ?? undefined;
  try {
    const service = await createService({ ...serviceOptions, azure, ...(store ? { store } : {}) });
    return await dispatchToService(command, io, service, world, store ?? null);
  } finally {
    await ownStore?.close();
  }
}

/** The OS user who ran the CLI, as the audit records it. */
function osUser(env: Readonly<Record<string, string | undefined>>): string | null {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? null;
  }
}

/** Records a CLI command that does not run a runbook (doctor, capture, runbook test) in the audit. */
async function auditCli(
  store: StateStore | null,
  command: ParsedCommand,
  user: string | null,
  outcome: string,
  startedAt: string,
): Promise<void> {
  await store?.recordAudit({
    id: randomUUID(),
    platform: "cli",
    user,
    channel: null,
    thread: null,
    command: formatCommandLine(command),
    runbook: null,
    outcome,
    digest: null,
    startedAt,
    finishedAt: new Date().toISOString(),
  });
}

async function dispatchToService(
  command: ParsedCommand,
  io: CliIo,
  service: EgressService,
  world: string | undefined,
  store: StateStore | null,
): Promise<number> {
  const stdoutPaint = colourFor(io.stdout, io.env);
  const user = osUser(io.env);
  const startedAt = new Date().toISOString();

  if (command.id === "runbook-lint") {
    const paths = command.args.paths;
    const issues = paths && paths.length > 0 ? service.lintRunbooks(paths) : service.loadIssues;
    issues.forEach((issue) => io.stdout.write(`${formatLoadIssue(issue)}\n`));
    const files = new Set(issues.map((issue) => issue.file)).size;
    io.stderr.write(
      issues.length === 0 ? "runbooks: no problems\n" : `runbooks: ${issues.length} problem(s) in ${files} file(s)\n`,
    );
    return issues.length === 0 ? ExitCode.Ok : ExitCode.Findings;
  }
  if (command.id === "doctor") {
    const report = await service.doctor(io.env);
    await auditCli(store, command, user, report.problems.length === 0 ? "succeeded" : "problems", startedAt);
    io.stdout.write(
      command.cliOptions.output === "json"
        ? `${JSON.stringify(report, null, 2)}\n`
        : formatDoctorText(report, stdoutPaint),
    );
    return report.problems.length === 0 ? ExitCode.Ok : ExitCode.Findings;
  }
  if (command.id === "capture-cluster") {
    const captured = await service.captureCluster(command.args.cluster);
    await auditCli(store, command, user, captured.problems.length === 0 ? "succeeded" : "partial", startedAt);
    try {
      writeFileSync(command.args.out, captured.text, { flag: "wx" });
    } catch (error) {
      const exists = (error as NodeJS.ErrnoException).code === "EEXIST";
      io.stderr.write(
        `egress: cannot write ${command.args.out}: ${exists ? "it exists (choose another --out)" : String(error)}\n`,
      );
      return ExitCode.Usage;
    }
    captured.problems.forEach((problem) =>
      io.stderr.write(`egress: not captured: ${problem.resourceId ?? "query"}: ${problem.message}\n`),
    );
    io.stdout.write(
      `captured ${captured.resourceCount} resources into ${command.args.out}${service.simulated ? " (from a SIMULATED world)" : ""}\n`,
    );
    return ExitCode.Ok;
  }
  const request = {
    requestedBy: { platform: "cli" as const, user, channel: null, thread: null },
    ...(io.stderr.isTTY || io.env.EGRESS_PROGRESS === "1" ? { onEvent: progressPrinter(io) } : {}),
  };
  let result: CommandResult;
  if (command.id === "runbook-test") {
    if (!world) {
      io.stderr.write(
        `egress: runbook test needs --world <file> (or EGRESS_WORLD)\n${formatUsage(command.definition)}\n`,
      );
      return ExitCode.Usage;
    }
    const loaded = service.loadRunbookFile(command.args.file);
    if (!loaded.ok) {
      loaded.issues.forEach((issue) => io.stdout.write(`${formatLoadIssue(issue)}\n`));
      return ExitCode.Findings;
    }
    result = { kind: "bundle", bundle: await service.runRunbook(loaded.runbook, command.args.inputs ?? {}, request) };
    await auditCli(store, command, user, result.bundle.status, startedAt);
  } else {
    result = await service.runCommand(command, request);
  }
  if (result.kind === "catalog") {
    printCatalog(result, command.cliOptions, io, stdoutPaint);
    return ExitCode.Ok;
  }
  printBundle(result.bundle, command.cliOptions, io, stdoutPaint);
  // What the service did beside the run goes to stderr, so stdout stays the chosen format.
  for (const notice of result.notices ?? []) io.stderr.write(`egress: ${notice.text}\n`);
  if (result.bundle.status === "failed") return ExitCode.RunFailed;
  if ((result.notices ?? []).some((notice) => notice.level === "refused")) return ExitCode.Findings;
  // `drift --fail-on break`: the CI gate of a pipeline about to change a network.
  if (
    command.id === "drift" &&
    command.args["fail-on"] === "break" &&
    result.bundle.findings.some((finding) => finding.code === "PARTNER_ALLOWLIST_BROKEN")
  )
    return ExitCode.Findings;
  const failOn = command.cliOptions.failOn;
  if (failOn && result.bundle.findings.some((finding) => reachesSeverity(finding.severity, failOn)))
    return ExitCode.Findings;
  return ExitCode.Ok;
}

function progressPrinter(io: CliIo): (event: Parameters<typeof formatProgress>[0]) => void {
  const paint = colourFor(io.stderr, io.env);
  return (event) => {
    const line = formatProgress(event, paint);
    if (line) io.stderr.write(`${line}\n`);
  };
}

function printBundle(bundle: EvidenceBundle, options: CliOptions, io: CliIo, paint: Paint): void {
  if (options.output === "csv") {
    const fleet = readResultSections(bundle).fleet;
    const csv = fleet ? fleetCsv(fleet) : formatSourceIpsCsv(bundle);
    io.stdout.write(csv ?? "");
    if (!csv) io.stderr.write("egress: this result has no table to print as CSV\n");
    return;
  }
  if (options.output === "json") io.stdout.write(`${JSON.stringify(bundle, null, 2)}\n`);
  else if (options.output === "markdown") io.stdout.write(formatBundleMarkdown(bundle));
  else io.stdout.write(formatBundleText(bundle, paint));
}

function printCatalog(
  result: Extract<CommandResult, { kind: "catalog" }>,
  options: CliOptions,
  io: CliIo,
  paint: Paint,
): void {
  if (options.output === "json") {
    io.stdout.write(`${JSON.stringify({ runbooks: result.runbooks }, null, 2)}\n`);
    return;
  }
  const rows = result.runbooks.map((runbook) => [
    runbook.name,
    runbook.version,
    runbook.title,
    runbook.inputs.map((input) => `${input.name}${input.required ? "" : "?"}`).join(" "),
  ]);
  if (options.output === "markdown") {
    io.stdout.write(
      [
        "| Runbook | Version | Title | Inputs |",
        "|---|---|---|---|",
        ...rows.map((row) => `| ${row.join(" | ")} |`),
      ].join("\n") + "\n",
    );
    return;
  }
  const table = formatTable(["RUNBOOK", "VERSION", "TITLE", "INPUTS"], rows);
  io.stdout.write(`${[paint("gray", table[0] ?? ""), ...table.slice(1)].join("\n")}\n`);
  if (rows.length === 0) io.stdout.write("  (no runbooks installed)\n");
}
