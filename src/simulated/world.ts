import { z } from "zod";
import { schemaMessage } from "../core/runbooks/schema-message.js";

/** The world file schema id. */
export const worldSchemaId = "egress.world/v1";

const relativeOrAbsoluteTime = z
  .string()
  .regex(
    /^(-\d+(ms|s|m|h|d)|\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2}))$/,
    "a time is ISO-8601 or relative to now, like -5m",
  );

const faultSchema = z
  .strictObject({
    match: z
      .string()
      .min(1)
      .refine((pattern) => {
        try {
          new RegExp(pattern, "i");
          return true;
        } catch {
          return false;
        }
      }, "not a valid regular expression")
      .describe("A regular expression matched against the request path"),
    status: z.number().int().min(400).max(599).optional(),
    retryAfterSeconds: z.number().min(0).max(3600).optional(),
    times: z.number().int().min(1).optional().describe("How many matching requests fail (default: all)"),
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    partial: z
      .boolean()
      .optional()
      .describe("Log Analytics only: answer with every other row and the service's partial-result error"),
    reset: z.boolean().optional().describe("Fail without an HTTP answer, as a reset connection does"),
  })
  .refine(
    (fault) =>
      fault.status !== undefined || fault.latencyMs !== undefined || fault.partial === true || fault.reset === true,
    "a fault sets status, latencyMs, partial, reset, or a combination",
  );

const resourceBody = z.looseObject({
  id: z.string().optional(),
  name: z.string().optional(),
  type: z.string().optional(),
});

/** A world file (design §3.4): the resources, logs, metrics and faults a simulated Azure answers from. */
export const worldFileSchema = z.strictObject({
  schema: z.literal(worldSchemaId).optional(),
  description: z.string().optional(),
  resources: z.record(z.string(), resourceBody),
  logs: z
    .record(
      z.string(),
      z.record(z.string(), z.array(z.looseObject({ TimeGenerated: relativeOrAbsoluteTime.optional() }))),
    )
    .optional(),
  metrics: z
    .record(z.string(), z.record(z.string(), z.array(z.looseObject({ timeStamp: relativeOrAbsoluteTime }))))
    .optional(),
  faults: z.array(faultSchema).optional(),
});

/** A validated world. */
export type WorldFile = z.infer<typeof worldFileSchema>;

/** A world problem with the path where it was found. */
export interface WorldIssue {
  readonly path: string;
  readonly message: string;
}

/** The validated world, or every problem in it. */
export type WorldResult = { ok: true; world: WorldFile } | { ok: false; issues: readonly WorldIssue[] };

/** Validates a parsed world document and reports every problem with its path. */
export function validateWorld(document: unknown): WorldResult {
  const parsed = worldFileSchema.safeParse(document);
  if (parsed.success) {
    const issues: WorldIssue[] = [];
    for (const [key, body] of Object.entries(parsed.data.resources)) {
      if (!/^\/subscriptions\/[^/]+\/./i.test(key))
        issues.push({
          path: `resources["${key}"]`,
          message: "resource keys are ARM IDs starting with /subscriptions/",
        });
      else if (body.id !== undefined && body.id.toLowerCase() !== key.toLowerCase()) {
        issues.push({ path: `resources["${key}"].id`, message: "the body's id differs from its key" });
      }
    }
    return issues.length > 0 ? { ok: false, issues } : { ok: true, world: parsed.data };
  }
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({
      path:
        issue.path
          .map((segment) => (typeof segment === "number" ? `[${segment}]` : `.${String(segment)}`))
          .join("")
          .replace(/^\./, "") || "(top)",
      message: schemaMessage(issue),
    })),
  };
}
