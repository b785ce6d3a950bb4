/** One problem in a runbook, with its place in the file. */
export interface LoadIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** Formats an issue as `file:line:col: message`, the shape editors and CI annotate. */
export function formatLoadIssue(issue: LoadIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.message}`;
}
