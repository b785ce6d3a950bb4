import type { Finding } from "../evidence/finding.js";
import type { RunbookCheck } from "../runbooks/runbook.js";
import { toCelInput } from "../runbooks/expression.js";
import { renderTemplate, type CompiledTemplate } from "../runbooks/template.js";

/** Findings drawn by the runbook's checks, and the checks that could not be evaluated. */
export interface ChecksResult {
  readonly findings: Finding[];
  readonly problems: string[];
}

const asText = (template: CompiledTemplate, bindings: Readonly<Record<string, unknown>>): string => {
  const rendered = renderTemplate(template, bindings);
  return rendered.ok
    ? typeof rendered.value === "string"
      ? rendered.value
      : JSON.stringify(rendered.value)
    : `(${rendered.reason})`;
};

const asList = (template: CompiledTemplate | undefined, bindings: Readonly<Record<string, unknown>>): string[] => {
  if (!template) return [];
  const rendered = renderTemplate(template, bindings);
  if (!rendered.ok || rendered.value === null || rendered.value === undefined) return [];
  const values = Array.isArray(rendered.value) ? rendered.value : [rendered.value];
  return values.filter((value): value is string => typeof value === "string" && value.length > 0);
};

/**
 * Turns checks into findings. A check whose condition reads a step that did not succeed is not judged:
 * there is no evidence to judge it on, and the step's failure is already reported.
 */
export function evaluateChecks(
  checks: readonly RunbookCheck[],
  bindings: Readonly<Record<string, unknown>>,
  succeeded: (stepId: string) => boolean,
  evidenceOf: (stepIds: readonly string[]) => string[],
): ChecksResult {
  const findings: Finding[] = [];
  const problems: string[] = [];
  for (const check of checks) {
    if (!check.readsSteps.every(succeeded)) continue;
    let items: unknown[] = [undefined];
    if (check.forEach) {
      const list = check.forEach.evaluate(bindings);
      if (!list.ok || !Array.isArray(list.value)) {
        problems.push(`check ${check.code}: forEach ${list.ok ? "did not give a list" : list.reason}`);
        continue;
      }
      items = list.value;
    }
    for (const item of items) {
      const scope = check.forEach ? { ...bindings, item: toCelInput(item) } : bindings;
      const condition = check.when.evaluate(scope);
      if (!condition.ok) {
        problems.push(`check ${check.code}: ${condition.reason}`);
        continue;
      }
      if (condition.value !== true) continue;
      findings.push({
        code: check.code,
        severity: check.severity,
        title: asText(check.title, scope),
        detail: asText(check.detail, scope),
        remediation: asText(check.remediation, scope),
        resourceIds: asList(check.resourceIds, scope),
        nodePools: asList(check.nodePools, scope),
        evidenceIds: evidenceOf(check.readsSteps),
      });
    }
  }
  return { findings, problems };
}
