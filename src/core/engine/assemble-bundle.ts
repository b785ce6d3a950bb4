import {
  bundleSchema,
  type EvidenceBundle,
  type EvidenceBundleBody,
  type NextSuggestion,
  type RequestedBy,
  type StepRecord,
} from "../evidence/bundle.js";
import { computeDigest } from "../evidence/digest.js";
import type { Evidence } from "../evidence/evidence.js";
import { severityRank, type Finding } from "../evidence/finding.js";
import type { Logger } from "../ports/logger.js";
import type { Runbook } from "../runbooks/runbook.js";
import { renderTemplate } from "../runbooks/template.js";
import { parseCommand } from "../commands/parse-command.js";
import { evaluateChecks } from "./evaluate-checks.js";
import type { StepState } from "./run-runbook.js";

/** Everything a finished run knows, to be turned into the bundle. */
export interface BundleParts {
  readonly runbook: Runbook;
  readonly runId: string;
  readonly states: ReadonlyMap<string, StepState>;
  readonly bindings: Readonly<Record<string, unknown>>;
  readonly requestedBy: RequestedBy;
  readonly simulated: boolean;
  readonly startedAtMs: number;
  readonly finishedAtMs: number;
  readonly log: Logger;
}

/** Code of the finding raised when a runbook's own check, output or suggestion could not be evaluated. */
export const runbookExpressionErrorCode = "RUNBOOK_EXPRESSION_ERROR";

/** Builds the evidence bundle: step records, evidence, findings (steps' and checks'), next steps, outputs, digest. */
export function assembleBundle(parts: BundleParts): EvidenceBundle {
  const { runbook, states, bindings } = parts;
  const records: StepRecord[] = [];
  const evidence: Evidence[] = [];
  const findings: Finding[] = [];
  const evidenceByStep = new Map<string, string[]>();
  for (const step of runbook.steps) {
    const state = states.get(step.id);
    if (state?.phase !== "done") continue;
    records.push(state.record);
    const drafts = state.outcome?.evidence ?? [];
    const ids = drafts.map((_draft, index) => `${step.id}-${index + 1}`);
    evidenceByStep.set(step.id, ids);
    drafts.forEach((draft, index) => {
      evidence.push({
        id: ids[index] ?? "",
        stepId: step.id,
        summary: draft.summary,
        data: draft.data,
        source: { resourceId: null, apiVersion: null, query: null, ...draft.source },
      });
    });
    for (const finding of state.outcome?.findings ?? []) {
      findings.push({ resourceIds: [], nodePools: [], ...finding, evidenceIds: finding.evidenceIds ?? ids });
    }
  }
  const succeeded = (stepId: string): boolean =>
    records.some((record) => record.id === stepId && record.status === "succeeded");
  const evidenceOf = (stepIds: readonly string[]): string[] => stepIds.flatMap((id) => evidenceByStep.get(id) ?? []);
  const checks = evaluateChecks(runbook.checks, bindings, succeeded, evidenceOf);
  findings.push(...checks.findings);

  const outputs: Record<string, unknown> = {};
  const problems = [...checks.problems];
  for (const [key, template] of runbook.outputs) {
    const rendered = renderTemplate(template, bindings);
    if (rendered.ok) outputs[key] = rendered.value;
    else if (records.every((record) => record.status === "succeeded" || record.status === "skipped"))
      problems.push(`output ${key}: ${rendered.reason}`);
  }
  const next = suggestNext(runbook, bindings, succeeded, problems);
  for (const problem of problems) {
    parts.log.warn({ problem }, "runbook expression failed");
    findings.push({
      code: runbookExpressionErrorCode,
      severity: "warning",
      title: "A runbook expression could not be evaluated",
      detail: problem,
      remediation: `Fix the expression in ${runbook.file}; run \`egress runbook test\` against a world to try it.`,
      resourceIds: [],
      nodePools: [],
      evidenceIds: [],
    });
  }
  findings.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.code.localeCompare(b.code));

  const bundle: EvidenceBundleBody = {
    schema: bundleSchema,
    runId: parts.runId,
    runbook: { name: runbook.name, version: runbook.version, digest: runbook.digest },
    simulated: parts.simulated,
    status: runStatus(runbook, records),
    startedAt: new Date(parts.startedAtMs).toISOString(),
    finishedAt: new Date(parts.finishedAtMs).toISOString(),
    requestedBy: parts.requestedBy,
    ...outputs,
    findings,
    steps: records,
    evidence,
    next,
  };
  return { ...bundle, digest: computeDigest(bundle) };
}

function suggestNext(
  runbook: Runbook,
  bindings: Readonly<Record<string, unknown>>,
  succeeded: (id: string) => boolean,
  problems: string[],
): NextSuggestion[] {
  const next: NextSuggestion[] = [];
  for (const suggestion of runbook.next) {
    if (!suggestion.readsSteps.every(succeeded)) continue;
    const condition = suggestion.when?.evaluate(bindings) ?? { ok: true, value: true };
    if (!condition.ok) {
      problems.push(`next: ${condition.reason}`);
      continue;
    }
    if (condition.value !== true) continue;
    const label = renderTemplate(suggestion.label, bindings);
    const command = renderTemplate(suggestion.command, bindings);
    if (!label.ok || !command.ok) {
      problems.push(`next: ${!label.ok ? label.reason : command.ok ? "" : command.reason}`);
      continue;
    }
    const text = String(command.value);
    const parsed = parseCommand(text);
    if (!parsed.ok) problems.push(`next: "${text}" is not a valid command: ${parsed.error.reason}`);
    else next.push({ label: String(label.value), command: text });
  }
  return next;
}

/**
 * succeeded when nothing failed and nothing is missing; partial when something failed (or was skipped
 * because of a failure) but something succeeded, or when a step answered without part of what it
 * had to read (its `reason` says what); failed otherwise. A step skipped by its own condition is not a failure.
 */
function runStatus(runbook: Runbook, records: readonly StepRecord[]): EvidenceBundle["status"] {
  const byId = new Map(records.map((record) => [record.id, record]));
  const broken = (id: string): boolean => {
    const record = byId.get(id);
    if (!record || record.status === "succeeded") return false;
    if (record.status !== "skipped") return true;
    return runbook.steps.find((step) => step.id === id)?.needs.some(broken) ?? false;
  };
  const incomplete = records.some((record) => record.status === "succeeded" && record.reason !== null);
  if (!records.some((record) => broken(record.id))) return incomplete ? "partial" : "succeeded";
  return records.some((record) => record.status === "succeeded") ? "partial" : "failed";
}
