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

const describe = (name: string, error: z.ZodError): string => {
  const issue = error.issues[0];
  return `${name}${issue && issue.path.length > 0 ? `.${issue.path.join(".")}` : ""}: ${issue?.message ?? "not in the report's shape"}`;
};

/**
 * Reads the egress report out of a bundle through its schemas: parsed with `safeParse`, never cast.
 * Every view (chat, CLI, Markdown) reads the report this way, so they cannot disagree on its shape.
 */
export function readSections(bundle: EvidenceBundle): ReportSections {
  const problems: string[] = [];
  const section = <T>(name: string, schema: z.ZodType<T>, value: unknown): T | null => {
    if (value === undefined) return null;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    problems.push(describe(name, parsed.error));
    return null;
  };
  return {
    cluster: section("cluster", clusterSchema, bundle.cluster),
    nodePools: section("nodePools", z.array(nodePoolSchema), bundle.nodePools) ?? [],
    proofSet: section("proofSet", proofSetSchema, bundle.proofSet),
    problems,
  };
}
