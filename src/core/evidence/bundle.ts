import type { Evidence } from "./evidence.js";
import type { Finding } from "./finding.js";

/** The bundle's schema id. */
export const bundleSchema = "egress.evidence/v1";

/** How a step ended. */
export type StepStatus = "succeeded" | "failed" | "skipped" | "timedOut" | "cancelled";

/** What the bundle records of each step. */
export interface StepRecord {
  readonly id: string;
  readonly uses: string;
  readonly status: StepStatus;
  readonly attempts: number;
  readonly durationMs: number;
  readonly error: { readonly code: string; readonly message: string } | null;
  /** Why a step was skipped or cancelled, or what a succeeded step could not read (the run is then partial), in words. */
  readonly reason: string | null;
}

/** Who asked, and where the answer goes. */
export interface RequestedBy {
  readonly platform: "slack" | "teams" | "cli" | "console";
  readonly user: string | null;
  readonly channel: string | null;
  readonly thread: string | null;
}

/** A suggested next command (a button in chat). */
export interface NextSuggestion {
  readonly label: string;
  readonly command: string;
}

/** The bundle before its digest is computed. */
export interface EvidenceBundleBody {
  readonly schema: typeof bundleSchema;
  readonly runId: string;
  readonly runbook: { readonly name: string; readonly version: string; readonly digest: string };
  readonly simulated: boolean;
  readonly status: "succeeded" | "partial" | "failed";
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly requestedBy: RequestedBy;
  readonly findings: readonly Finding[];
  readonly steps: readonly StepRecord[];
  readonly evidence: readonly Evidence[];
  readonly next: readonly NextSuggestion[];
  readonly [output: string]: unknown;
}

/** The evidence bundle of design §3.3. Runbook outputs add `cluster`, `nodePools`, `proofSet` or their own object. */
export interface EvidenceBundle extends EvidenceBundleBody {
  /** `sha256:` of the RFC 8785 canonical JSON of the bundle without this field. */
  readonly digest: string;
}
