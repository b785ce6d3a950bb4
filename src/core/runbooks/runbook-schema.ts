import { z } from "zod";
import { severities } from "../evidence/finding.js";

/** The `apiVersion` this release reads. */
export const runbookApiVersion = "egress.runbooks/v1";

const identifier = z
  .string()
  .regex(
    /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/,
    "use letters, digits and _ and start with a letter (it is read as steps.<id> or inputs.<name>)",
  );
const durationText = z.string().regex(/^\d{1,9}(ms|s|m|h|d)$/, "a duration looks like 500ms, 20s, 5m, 1h or 7d");
const expressionText = z
  .string()
  .min(1)
  .describe("A CEL expression, e.g. steps.cluster.outputs.found && inputs.since != '1h'");
const templated = z.unknown().describe("A value; strings may embed ${{ expression }}");

/** Input types a runbook can declare. */
export const inputTypes = ["cluster", "string", "int", "bool", "duration", "ip", "destination"] as const;

const inputSchema = z.strictObject({
  type: z.enum(inputTypes).describe("How the value is checked before anything runs"),
  required: z.boolean().optional().describe("The run is refused without it (default false)"),
  default: z.union([z.string(), z.number(), z.boolean()]).optional().describe("Used when the input is not given"),
  description: z.string().optional(),
  min: z.number().int().optional().describe("int only: smallest value"),
  max: z.union([z.number().int(), durationText]).optional().describe("int: largest value; duration: longest duration"),
});

const retrySchema = z.strictObject({
  attempts: z.number().int().min(1).max(10).describe("Attempts in all, including the first"),
  backoff: z.enum(["exponential", "fixed"]).optional().describe("How the delay grows (default exponential)"),
  delay: durationText.optional().describe("Delay before the second attempt (default 1s)"),
  maxDelay: durationText.optional().describe("Longest delay between attempts (default 30s)"),
});

const stepSchema = z.strictObject({
  id: identifier.describe("Unique within the runbook; read as steps.<id>"),
  name: z.string().optional().describe("Shown in progress messages"),
  uses: z.string().min(1).describe("A registered step type, e.g. azure.resource.get"),
  with: z.record(z.string(), templated).optional().describe("Parameters, checked against the step type's schema"),
  when: expressionText.optional().describe("Run only when this CEL expression is true"),
  needs: z
    .array(identifier)
    .optional()
    .describe("Steps that must finish first; steps read by expressions are added automatically"),
  timeout: durationText.optional().describe("Per attempt (default 30s)"),
  retry: retrySchema.optional(),
  continueOnError: z.boolean().optional().describe("Let dependent steps run even if this one fails"),
});

const checkSchema = z.strictObject({
  code: z.string().regex(/^[A-Z][A-Z0-9_]{2,63}$/, "finding codes are UPPER_SNAKE_CASE"),
  severity: z.enum(severities),
  title: z.string().min(1),
  detail: z.string().optional(),
  remediation: z.string().min(1),
  when: expressionText.describe("The finding is raised when this is true"),
  forEach: expressionText.optional().describe("A list expression; the check runs once per element, bound to `item`"),
  resourceIds: templated.optional().describe("A list of resource IDs, or an expression giving one"),
  nodePools: templated.optional().describe("A list of node pool names, or an expression giving one"),
});

const nextSchema = z.strictObject({
  label: z.string().min(1).max(75),
  command: z.string().min(1).describe("A command of the grammar, e.g. denies ${{ inputs.cluster }} --since 1h"),
  when: expressionText.optional(),
});

/** The runbook document as written in YAML. */
export const writtenRunbookSchema = z.strictObject({
  $schema: z.string().optional(),
  apiVersion: z.literal(runbookApiVersion),
  kind: z.literal("Runbook"),
  metadata: z.strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "lower-case letters, digits and -"),
    title: z.string().min(1),
    description: z.string().optional(),
    version: z.string().regex(/^\d+\.\d+\.\d+([-+][\w.-]+)?$/, "a semantic version such as 1.0.0"),
  }),
  spec: z.strictObject({
    inputs: z.record(identifier, inputSchema).optional(),
    concurrency: z.number().int().min(1).max(32).optional().describe("Steps running at once (default 4)"),
    deadline: durationText.optional().describe("The whole run's time limit (default 5m)"),
    steps: z.array(stepSchema).min(1),
    checks: z.array(checkSchema).optional(),
    next: z.array(nextSchema).optional(),
    outputs: z
      .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/), templated)
      .optional()
      .describe("cluster, nodePools, proofSet, or the runbook's own result object"),
  }),
});

/** A runbook as written. */
export type WrittenRunbook = z.infer<typeof writtenRunbookSchema>;
/** One step as written. */
export type WrittenStep = z.infer<typeof stepSchema>;
/** One input declaration as written. */
export type WrittenInput = z.infer<typeof inputSchema>;
/** One check as written. */
export type WrittenCheck = z.infer<typeof checkSchema>;

/** The element schemas, so the loader can keep checking the valid parts of a broken runbook. */
export const elementSchemas = { step: stepSchema, input: inputSchema, check: checkSchema, next: nextSchema } as const;
