import { createHash } from "node:crypto";
import { describeYamlProblem } from "../yaml-problem.js";
import { LineCounter, parseDocument } from "yaml";
import type { StepRegistry } from "../engine/step-registry.js";
import { analyzeRunbook, type Report } from "./analyze-runbook.js";
import { formatLoadIssue, type LoadIssue } from "./load-issue.js";
import type { Runbook } from "./runbook.js";
import { writtenRunbookSchema } from "./runbook-schema.js";
import { schemaMessage } from "./schema-message.js";
import { locatePath } from "./yaml-locations.js";

/** A runbook file's path and text, as read from disk (or given inline). */
export interface RunbookSource {
  readonly file: string;
  readonly text: string;
}

export type { LoadIssue } from "./load-issue.js";

/** The loaded runbook, or every problem in it. */
export type LoadResult = { ok: true; runbook: Runbook } | { ok: false; issues: readonly LoadIssue[] };

const maxRunbookBytes = 256 * 1024;

function describePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, segment) =>
      typeof segment === "number" ? `${text}[${segment}]` : text ? `${text}.${String(segment)}` : String(segment),
    "",
  );
}

/**
 * Loads one runbook: YAML syntax, the written schema, then the semantic rules (registered step types,
 * parameters, references, dependencies). Every problem is reported, each at its line and column.
 */
export function loadRunbook(source: RunbookSource, registry: StepRegistry): LoadResult {
  const issues: LoadIssue[] = [];
  if (Buffer.byteLength(source.text) > maxRunbookBytes) {
    return {
      ok: false,
      issues: [
        { file: source.file, line: 1, column: 1, message: `the file is larger than ${maxRunbookBytes / 1024} KiB` },
      ],
    };
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(source.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  for (const error of document.errors) {
    // Without prettyErrors the parser gives offsets only; the line counter turns them into positions.
    const position = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
    issues.push({
      file: source.file,
      line: position.line,
      column: position.col,
      message: `YAML: ${describeYamlProblem(error)}`,
    });
  }
  if (issues.length > 0) return { ok: false, issues: sortIssues(issues) };

  let raw: unknown;
  try {
    raw = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return {
      ok: false,
      issues: [
        {
          file: source.file,
          line: 1,
          column: 1,
          message: `YAML: ${describeYamlProblem(error)}`,
        },
      ],
    };
  }
  const report: Report = (path, message, atKey = false) => {
    const location = locatePath(document, lineCounter, path, atKey);
    const where = describePath(path);
    issues.push({ file: source.file, ...location, message: where ? `${where}: ${message}` : message });
  };

  const parsed = writtenRunbookSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys")
        issue.keys.forEach((key) => report([...issue.path, key], "unknown key", true));
      else report(issue.path, schemaMessage(issue));
    }
  }
  const analysed = analyzeRunbook(raw, registry, report);
  if (issues.length > 0 || !parsed.success) return { ok: false, issues: sortIssues(issues) };

  const { metadata } = parsed.data;
  return {
    ok: true,
    runbook: {
      name: metadata.name,
      title: metadata.title,
      description: metadata.description ?? "",
      version: metadata.version,
      digest: `sha256:${createHash("sha256").update(source.text).digest("hex")}`,
      file: source.file,
      ...analysed,
    },
  };
}

function sortIssues(issues: readonly LoadIssue[]): LoadIssue[] {
  const unique = new Map(issues.map((issue) => [formatLoadIssue(issue), issue]));
  return [...unique.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

/** Every runbook that loaded, and every problem of every file (including names used twice). */
export interface CatalogResult {
  readonly runbooks: readonly Runbook[];
  readonly issues: readonly LoadIssue[];
}

/** Loads many runbooks at once, reporting all problems of all files together. */
export function loadRunbooks(sources: readonly RunbookSource[], registry: StepRegistry): CatalogResult {
  const runbooks: Runbook[] = [];
  const issues: LoadIssue[] = [];
  for (const source of sources) {
    const result = loadRunbook(source, registry);
    if (!result.ok) {
      issues.push(...result.issues);
      continue;
    }
    const clash = runbooks.find((runbook) => runbook.name === result.runbook.name);
    if (clash)
      issues.push({
        file: source.file,
        line: 1,
        column: 1,
        message: `runbook name "${clash.name}" is already used by ${clash.file}`,
      });
    else runbooks.push(result.runbook);
  }
  return { runbooks, issues };
}
