import { z } from "zod";
import { resolveCluster } from "../../core/azure/resolve-cluster.js";
import { defineStep } from "../../core/engine/step-type.js";

/** Resolves a cluster reference (name, rg/name, ID or alias) and reads the cluster. */
export const clusterGet = defineStep({
  type: "azure.cluster.get",
  summary: "Resolve a cluster reference and read the cluster, its node pools and network profile.",
  access: "read",
  params: z.strictObject({
    cluster: z.string().min(1).max(1024).describe("A name, rg/name, subscription/rg/name, ARM ID or alias"),
  }),
  outputs: z.object({ cluster: z.record(z.string(), z.unknown()) }),
  defaults: { timeoutInMs: 30_000, attempts: 2 },
  async run(params, context) {
    const resolved = await resolveCluster(context.azure, params.cluster, { abortSignal: context.abortSignal });
    if (resolved.read.source.query) {
      context.record({
        summary: `"${params.cluster}" is ${resolved.match.resourceGroup}/${resolved.match.name}`,
        data: resolved.read.value,
        source: resolved.read.source,
      });
    }
    const cluster = await context.azure.getCluster(resolved.match.id, { abortSignal: context.abortSignal });
    context.record({
      summary: `Cluster ${cluster.value.name}: outbound type ${cluster.value.outboundType}, ${cluster.value.agentPools.length} node pool(s) (as of ${cluster.asOf})`,
      data: cluster.value,
      source: cluster.source,
    });
    return { outputs: { cluster: { ...cluster.value } } };
  },
});
