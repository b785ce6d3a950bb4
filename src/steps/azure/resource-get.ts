import { z } from "zod";
import { parseResourceId } from "../../core/azure/resource-id.js";
import { defineStep } from "../../core/engine/step-type.js";
import { ErrorCode, isEgressError } from "../../core/errors.js";

/** Reads one ARM resource by ID; with `optional`, a missing resource is an answer rather than a failure. */
export const resourceGet = defineStep({
  type: "azure.resource.get",
  summary: "Read one Azure resource by its ARM resource ID.",
  access: "read",
  params: z.strictObject({
    resourceId: z
      .string()
      .regex(/^\/subscriptions\/[^/]+\/.+/i, "an ARM resource ID starts with /subscriptions/")
      .max(1024)
      .refine(
        (id) => parseResourceId(id) !== undefined,
        "an ARM resource ID: /subscriptions/<id>/resourceGroups/<rg>/providers/<namespace>/<type>/<name>, with no '..', '%', '?', '#' or empty segments",
      ),
    optional: z
      .boolean()
      .default(false)
      .describe("Answer found=false instead of failing when the resource does not exist"),
  }),
  outputs: z.object({ found: z.boolean(), resource: z.record(z.string(), z.unknown()).nullable() }),
  defaults: { timeoutInMs: 20_000, attempts: 3 },
  async run(params, context) {
    try {
      const read = await context.azure.getResource(params.resourceId, { abortSignal: context.abortSignal });
      const type = typeof read.body.type === "string" ? read.body.type : "resource";
      context.record({
        summary: `${type} ${typeof read.body.name === "string" ? read.body.name : params.resourceId} (as of ${read.asOf})`,
        data: read.body,
        source: { operation: `${type}/read`, resourceId: read.resourceId, apiVersion: read.apiVersion },
      });
      return { outputs: { found: true, resource: read.body } };
    } catch (error) {
      if (params.optional && isEgressError(error) && error.code === ErrorCode.AzureNotFound) {
        context.record({
          summary: `${params.resourceId} does not exist`,
          data: null,
          source: { operation: "read", resourceId: params.resourceId },
        });
        return { outputs: { found: false, resource: null } };
      }
      throw error;
    }
  },
});
