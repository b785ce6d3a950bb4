import { describe, expect, it } from "@jest/globals";
import { z } from "zod";
import { createStepRegistry } from "../../../src/core/engine/step-registry.js";
import type { StepType } from "../../../src/core/engine/step-type.js";
import { builtinStepTypes } from "../../../src/steps/index.js";

const fake = (type: `${string}.${string}`, access = "read"): StepType =>
  ({
    type,
    summary: "s",
    access,
    params: z.object({}),
    outputs: z.object({}),
    run: () => Promise.resolve({ outputs: {} }),
  }) as unknown as StepType;

describe("the step registry", () => {
  it("lists what it was given, in order", () => {
    expect(
      createStepRegistry([fake("a.b"), fake("c.d")])
        .list()
        .map((step) => step.type),
    ).toEqual(["a.b", "c.d"]);
  });
  it("refuses a type registered twice", () => {
    expect(() => createStepRegistry([fake("a.b"), fake("a.b")])).toThrow('Step type "a.b" is registered twice.');
  });
  it("refuses anything that is not a read, even through a cast", () => {
    expect(() => createStepRegistry([fake("azure.vm.restart", "write")])).toThrow(
      'Step type "azure.vm.restart" is not a read; only read steps can be registered.',
    );
  });
  it("has only read steps built in, each with a summary and declared outputs", () => {
    for (const step of builtinStepTypes) {
      expect(step.access).toBe("read");
      expect(step.summary.length).toBeGreaterThan(10);
      expect(step.type).toMatch(/^[a-z]+\.[a-z.]+$/);
    }
  });
});
