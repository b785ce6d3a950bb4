import { z } from "zod";
import { defineStep } from "../../core/engine/step-type.js";

/**
 * Records a value as evidence: useful to put a computed summary (from earlier steps' outputs) into
 * the bundle, or to state an assumption the runbook makes.
 */
export const note = defineStep({
  type: "builtin.note",
  summary: "Record a value as evidence, with a one-line summary.",
  access: "read",
  params: z.strictObject({
    summary: z.string().min(1).max(300).describe("One line shown beside the evidence"),
    value: z.unknown().describe("Any value; typically an expression over earlier steps"),
  }),
  outputs: z.object({ value: z.unknown() }),
  run(params, context) {
    context.record({ summary: params.summary, data: params.value ?? null, source: { operation: "builtin.note" } });
    return Promise.resolve({ outputs: { value: params.value ?? null } });
  },
});
