/** The CLI's exit codes. */
export const ExitCode = {
  /** The command ran (a partial run still ran). */
  Ok: 0,
  /** Findings reached `--fail-on`, `runbook lint` found problems, or `audit verify` a broken link. */
  Findings: 1,
  /** The command line, an input, a runbook name or a world file was wrong. */
  Usage: 2,
  /** The run failed, or Azure could not be read. */
  RunFailed: 3,
} as const;
