import { z } from "zod";
import type { StepRegistry } from "../engine/step-registry.js";
import { writtenRunbookSchema } from "./runbook-schema.js";

type JsonSchema = Record<string, unknown>;

const expressionString: JsonSchema = { type: "string", pattern: "\\$\\{\\{" };

/** A step type's `with` schema in which every parameter may also be a `${{ expression }}` string. */
function withSchema(params: z.ZodObject): JsonSchema {
  const schema = z.toJSONSchema(params, { target: "draft-7", io: "input", unrepresentable: "any" }) as JsonSchema;
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const wrapped = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => [
      name,
      { anyOf: [property, expressionString], ...(property.description ? { description: property.description } : {}) },
    ]),
  );
  const { $schema: _ignored, ...rest } = schema;
  return { ...rest, properties: wrapped };
}

/**
 * The JSON Schema of runbook files, generated from the same zod definitions the loader uses, with
 * each registered step type's parameters attached to `with` by `uses`, so editors complete them.
 */
export function createRunbookJsonSchema(registry: StepRegistry): JsonSchema {
  const schema = z.toJSONSchema(writtenRunbookSchema, {
    target: "draft-7",
    io: "input",
    unrepresentable: "any",
  }) as JsonSchema;
  const spec = (schema.properties as Record<string, JsonSchema>).spec as JsonSchema;
  const steps = (spec.properties as Record<string, JsonSchema>).steps as JsonSchema;
  const items = steps.items as JsonSchema;
  const types = registry.list();
  items.allOf = types.map((stepType) => ({
    if: { properties: { uses: { const: stepType.type } }, required: ["uses"] },
    then: { properties: { with: withSchema(stepType.params) } },
  }));
  (items.properties as Record<string, JsonSchema>).uses = {
    type: "string",
    enum: types.map((stepType) => stepType.type),
    description: "A registered step type",
  };
  return { title: "egress-bot runbook (egress.runbooks/v1)", ...schema };
}
