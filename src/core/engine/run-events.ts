import type { EvidenceBundle, StepStatus } from "../evidence/bundle.js";

/** Progress of a run, for chat adapters to turn into message updates and the CLI into stderr lines. */
export type RunEvent =
  | {
      readonly type: "run.started";
      readonly runId: string;
      readonly runbook: string;
      readonly steps: readonly { id: string; name: string }[];
      readonly at: string;
    }
  | {
      readonly type: "step.started";
      readonly runId: string;
      readonly stepId: string;
      readonly name: string;
      readonly attempt: number;
      readonly at: string;
    }
  | {
      readonly type: "step.finished";
      readonly runId: string;
      readonly stepId: string;
      readonly name: string;
      readonly status: StepStatus;
      readonly attempts: number;
      readonly durationMs: number;
      readonly error: { code: string; message: string } | null;
      readonly at: string;
    }
  | {
      readonly type: "run.finished";
      readonly runId: string;
      readonly status: EvidenceBundle["status"];
      readonly bundle: EvidenceBundle;
      readonly at: string;
    };
