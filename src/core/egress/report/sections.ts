import { z } from "zod";
import type { EvidenceBundle } from "../../evidence/bundle.js";
import {
  clusterSchema,
  nodePoolSchema,
  proofSetSchema,
  type ReportCluster,
  type ReportNodePool,
  type ReportProofSet,
} from "./egress-report.js";

/** The report's sections of a bundle, each parsed (null or empty when absent), and what did not parse. */
export interface ReportSections {
  readonly cluster: ReportCluster | null;
  readonly nodePools: readonly ReportNodePool[];
  readonly proofSet: ReportProofSet | null;
  /** Sections present but not in the report's shape, with the first problem: a view says so rather than guess. */
  readonly problems: readonly string[];
}

/**
 * One bundle section through its schema: the parsed value, or null when absent or not in its shape,
 * in which case the first problem (with its path) is added to `problems`. Every section reader uses it.
 */
export function readSection<T>(name: string, schema: z.ZodType<T>, value: unknown, problems: string[]): T | null {
  if (value === undefined) return null;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  problems.push(
    `${name}${issue && issue.path.length > 0 ? `.${issue.path.join(".")}` : ""}: ${issue?.message ?? "not in its shape"}`,
  );
  return null;
}

/**
 * Reads the egress report out of a bundle through its schemas: parsed with `safeParse`, never cast.
 * Every view (chat, CLI, Markdown) reads the report this way, so they cannot disagree on its shape.
 */
export function readSections(bundle: EvidenceBundle): ReportSections {
  const problems: string[] = [];
  return {
    cluster: readSection("cluster", clusterSchema, bundle.cluster, problems),
    nodePools: readSection("nodePools", z.array(nodePoolSchema), bundle.nodePools, problems) ?? [],
    proofSet: readSection("proofSet", proofSetSchema, bundle.proofSet, problems),
    problems,
  };
}
