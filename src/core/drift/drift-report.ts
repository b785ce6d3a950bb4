import { z } from "zod";

/** One change of one cluster since its last snapshot. */
export const clusterChangeSchema = z.object({
  clusterId: z.string(),
  cluster: z.string(),
  /** `new` the first time a cluster is seen; then what changed, one line each. */
  kind: z.enum(["new", "changed", "gone"]),
  lines: z.array(z.string()),
  sourcesBefore: z.array(z.string()),
  sourcesAfter: z.array(z.string()),
});

/** A partner allowlist that no longer covers a cluster's sources. */
export const allowlistBreakSchema = z.object({
  partner: z.string(),
  clusterId: z.string(),
  cluster: z.string(),
  /** The sources the allowlist does not cover, and the pools that leave from them. */
  uncovered: z.array(z.string()),
  pools: z.array(z.string()),
  handedAt: z.string(),
  digest: z.string(),
});

/** Allowlisted CIDRs no source of the cluster uses any more. */
export const idleAllowlistSchema = z.object({
  partner: z.string(),
  cluster: z.string(),
  idle: z.array(z.string()),
});

/** An allowlist the watch could not check, and why (unknown is not none). */
export const uncheckedAllowlistSchema = z.object({
  partner: z.string(),
  cluster: z.string(),
  reason: z.string(),
});

/** `drift`: what changed since the last snapshots, and what it does to every partner's allowlist. */
export const driftSchema = z.looseObject({
  asOf: z.string(),
  clustersScanned: z.number(),
  /** Whether there were snapshots to compare with (the first watch only records). */
  baseline: z.boolean(),
  changes: z.array(clusterChangeSchema),
  breaks: z.array(allowlistBreakSchema),
  idle: z.array(idleAllowlistSchema),
  unchecked: z.array(uncheckedAllowlistSchema),
});

/** The drift result. */
export type DriftReport = z.output<typeof driftSchema>;
/** One cluster's change. */
export type ClusterChange = z.output<typeof clusterChangeSchema>;

/** `drift history`'s result: a cluster's snapshots, newest first. */
export const driftHistorySchema = z.looseObject({
  cluster: z.string(),
  clusterId: z.string(),
  snapshots: z.array(
    z.object({
      takenAt: z.string(),
      outboundType: z.string(),
      sources: z.array(z.string()),
      pools: z.array(z.string()),
    }),
  ),
});

/** The drift history result. */
export type DriftHistory = z.output<typeof driftHistorySchema>;
