import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { readRunbookSources } from "../src/app/read-runbook-sources.js";
import { loadRunbooks } from "../src/core/runbooks/load-runbook.js";
import { createRunbookJsonSchema } from "../src/core/runbooks/runbook-json-schema.js";
import { createBuiltinRegistry } from "../src/steps/index.js";

describe("shipped runbooks", () => {
  it("the built-in and example runbooks load with no problem", () => {
    const { sources, problems } = readRunbookSources(["runbooks", "runbooks/examples"]);
    expect(problems).toEqual([]);
    expect(sources.length).toBeGreaterThan(0);
    expect(loadRunbooks(sources, createBuiltinRegistry()).issues).toEqual([]);
  });

  it("runbooks/runbook.schema.json is what the schema definitions generate (run `npm run generate:schema`)", () => {
    const committed = JSON.parse(readFileSync("runbooks/runbook.schema.json", "utf8")) as unknown;
    expect(committed).toEqual(createRunbookJsonSchema(createBuiltinRegistry()));
  });

  it("the JSON Schema attaches each step type's parameters to `with`", () => {
    const schema = createRunbookJsonSchema(createBuiltinRegistry()) as {
      properties: {
        spec: {
          properties: {
            steps: {
              items: {
                allOf: {
                  if: unknown;
                  then: { properties: { with: { properties: Record<string, unknown>; required?: string[] } } };
                }[];
              };
            };
          };
        };
      };
    };
    const rules = schema.properties.spec.properties.steps.items.allOf;
    const resourceGet = rules.find((rule) => JSON.stringify(rule.if).includes("azure.resource.get"));
    expect(Object.keys(resourceGet?.then.properties.with.properties ?? {})).toEqual(["resourceId", "optional"]);
    expect(resourceGet?.then.properties.with.required).toEqual(["resourceId"]);
  });
});
