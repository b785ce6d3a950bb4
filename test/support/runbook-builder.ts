import { stringify } from "yaml";
import type { StepRegistry } from "../../src/core/engine/step-registry.js";
import { loadRunbook } from "../../src/core/runbooks/load-runbook.js";
import type { Runbook } from "../../src/core/runbooks/runbook.js";
import { createTestRegistry } from "./test-steps.js";

/** Wraps a spec into a full runbook document. */
export function runbookDocument(spec: Record<string, unknown>, name = "test-runbook"): Record<string, unknown> {
  return {
    apiVersion: "egress.runbooks/v1",
    kind: "Runbook",
    metadata: { name, title: "Test runbook", version: "1.0.0" },
    spec,
  };
}

/** Loads a runbook from a spec object, failing the test with every issue when it does not load. */
export function buildRunbook(
  spec: Record<string, unknown>,
  registry: StepRegistry = createTestRegistry(),
  name?: string,
): Runbook {
  const result = loadRunbook({ file: "inline.yaml", text: stringify(runbookDocument(spec, name)) }, registry);
  if (!result.ok)
    throw new Error(
      `runbook did not load:\n${result.issues.map((issue) => `${issue.line}:${issue.column} ${issue.message}`).join("\n")}`,
    );
  return result.runbook;
}
