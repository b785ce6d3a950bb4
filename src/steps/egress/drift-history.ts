import { z } from "zod";
import { resolveCluster } from "../../core/azure/resolve-cluster.js";
import { describePool, sourcesOf } from "../../core/drift/compare-drift.js";
import { driftHistorySchema } from "../../core/drift/drift-report.js";
import { defineStep } from "../../core/engine/step-type.js";

/** A cluster's kept snapshots, newest first: how its egress changed over time. */
export const driftHistory = defineStep({
  type: "egress.drift.history",
  summary: "List the egress snapshots the drift watch kept for a cluster.",
  access: "read",
  params: z.strictObject({ cluster: z.string().min(1).max(1024), limit: z.number().int().min(1).max(500).default(50) }),
  outputs: z.object({
    driftHistory: driftHistorySchema,
  }),
  async run(params, context) {
    const { match, read } = await resolveCluster(context.azure, params.cluster, { abortSignal: context.abortSignal });
    context.record({ summary: `cluster ${match.name}`, data: { id: match.id }, source: read.source });
    const snapshots = await context.records.listSnapshots(match.id, params.limit);
    context.record({
      summary: `records: ${snapshots.length} snapshot(s) of ${match.name}`,
      data: { snapshots: snapshots.length },
      source: { operation: "egress/records/read", resourceId: match.id, apiVersion: null, query: null },
    });
    return {
      outputs: {
        driftHistory: {
          cluster: `${match.resourceGroup}/${match.name}`,
          clusterId: match.id,
          snapshots: snapshots.map((snapshot) => ({
            takenAt: snapshot.takenAt,
            outboundType: snapshot.outboundType,
            sources: sourcesOf(snapshot),
            pools: snapshot.pools.map((pool) => `${pool.name}: ${describePool(pool)}`),
          })),
        },
      },
    };
  },
});
