import { z } from "zod";
import { defineStep, type StepType } from "../../src/core/engine/step-type.js";
import { EgressError, ErrorCode } from "../../src/core/errors.js";
import { createBuiltinRegistry } from "../../src/steps/index.js";

/** Observes how many test steps run at once. */
export class ConcurrencyTracker {
  running = 0;
  peak = 0;
  readonly order: string[] = [];
  enter(id: string): void {
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    this.order.push(`start:${id}`);
  }
  leave(id: string): void {
    this.running--;
    this.order.push(`end:${id}`);
  }
}

const codes = [
  ErrorCode.AzureThrottled,
  ErrorCode.AzureUnavailable,
  ErrorCode.AzureForbidden,
  ErrorCode.StepFailed,
] as const;

/** Small step types for engine and CLI tests; none touches Azure. */
export function createTestSteps(tracker = new ConcurrencyTracker()): StepType[] {
  const echo = defineStep({
    type: "test.echo",
    summary: "Return the value given, as evidence and output.",
    access: "read",
    params: z.strictObject({ value: z.unknown(), summary: z.string().default("echo") }),
    outputs: z.object({ value: z.unknown() }),
    run(params, context) {
      context.record({ summary: params.summary, data: params.value ?? null, source: { operation: "test.echo" } });
      return Promise.resolve({ outputs: { value: params.value ?? null } });
    },
  });
  const sleep = defineStep({
    type: "test.sleep",
    summary: "Sleep on the injected clock, then return.",
    access: "read",
    params: z.strictObject({ ms: z.number().int().min(0), label: z.string().default("sleep") }),
    outputs: z.object({ sleptMs: z.number() }),
    async run(params, context) {
      tracker.enter(params.label);
      try {
        context.record({
          summary: `sleeping ${params.ms} ms`,
          data: { ms: params.ms },
          source: { operation: "test.sleep" },
        });
        await context.clock.sleep(params.ms, { abortSignal: context.abortSignal });
        return { outputs: { sleptMs: params.ms } };
      } finally {
        tracker.leave(params.label);
      }
    },
  });
  const flaky = defineStep({
    type: "test.flaky",
    summary: "Fail the first `failures` attempts with a coded error.",
    access: "read",
    params: z.strictObject({
      failures: z.number().int().min(0),
      code: z.enum(codes).default(ErrorCode.AzureThrottled),
      retryAfterMs: z.number().int().optional(),
    }),
    outputs: z.object({ attempts: z.number() }),
    run(params, context) {
      context.record({
        summary: `attempt ${context.attempt}`,
        data: { attempt: context.attempt },
        source: { operation: "test.flaky" },
      });
      if (context.attempt <= params.failures) {
        return Promise.reject(
          new EgressError(
            params.code,
            `planned failure ${context.attempt}`,
            params.retryAfterMs !== undefined ? { retryAfterInMs: params.retryAfterMs } : {},
          ),
        );
      }
      return Promise.resolve({ outputs: { attempts: context.attempt } });
    },
  });
  const hang = defineStep({
    type: "test.hang",
    summary: "Never finish, and ignore the abort signal.",
    access: "read",
    params: z.strictObject({}),
    outputs: z.object({}),
    run(_params, context) {
      context.record({ summary: "hanging", data: null, source: { operation: "test.hang" } });
      return new Promise(() => undefined);
    },
  });
  const finding = defineStep({
    type: "test.finding",
    summary: "Raise one finding from the step itself.",
    access: "read",
    params: z.strictObject({ code: z.string(), severity: z.enum(["critical", "error", "warning", "info"]) }),
    outputs: z.object({}),
    run(params, context) {
      context.record({ summary: "basis", data: {}, source: { operation: "test.finding" } });
      return Promise.resolve({
        outputs: {},
        findings: [{ code: params.code, severity: params.severity, title: "planted", detail: "", remediation: "none" }],
      });
    },
  });
  return [echo, sleep, flaky, hang, finding] as StepType[];
}

/** The built-in registry plus the test step types. */
export function createTestRegistry(tracker?: ConcurrencyTracker) {
  return createBuiltinRegistry(createTestSteps(tracker));
}
