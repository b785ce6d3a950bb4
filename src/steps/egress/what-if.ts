import { z } from "zod";
import { readClusterGraph } from "../../core/azure/read-cluster-graph.js";
import { resolveCluster } from "../../core/azure/resolve-cluster.js";
import { partnerBreakFindings } from "../../core/drift/partner-break-findings.js";
import { defineStep } from "../../core/engine/step-type.js";
import { resolveClusterEgress, type ClusterEgress } from "../../core/egress/resolve-cluster-egress.js";
import { EgressError, ErrorCode, isEgressError } from "../../core/errors.js";
import { standingHandovers, type PartnerHandover } from "../../core/partners/partner-handover.js";
import { compareWhatIf } from "../../core/whatif/compare-what-if.js";
import { describeChange, type EgressChange } from "../../core/whatif/egress-change.js";
import { whatIfSchema } from "../../core/whatif/what-if-report.js";
import { configuredRoutesOnly, whatIfReadPort } from "../../core/whatif/what-if-read-port.js";

// Outbound types for which AKS creates the egress resource itself: its public address is not known
// until it exists, so a pool left without a source by the change is unknown, not without a path.
const createdByAks = new Set(["loadbalancer", "managednatgateway"]);

/** Pools AKS would give a new managed address to, as unknown rather than without a path. */
function withAksCreated(egress: ClusterEgress, change: EgressChange): ClusterEgress {
  if (!createdByAks.has(change.outboundType.toLowerCase()) || change.natGatewayId) return egress;
  return {
    ...egress,
    nodePools: egress.nodePools.map((pool) =>
      pool.sources.state === "none"
        ? {
            ...pool,
            sources: {
              state: "unknown",
              reason: `with outbound type ${change.outboundType} AKS creates the outbound public IP itself: its address is not known until it exists`,
            },
          }
        : pool,
    ),
  };
}

/**
 * Applies a change to a cluster's egress in memory (outbound type, a NAT gateway on the node subnet,
 * the nodes moved to another subnet, a default route to an appliance; for one pool or all), reads and
 * resolves both networks with the reader and resolver `show cluster` runs, and says what changes and
 * what would break: partners' allowlists, the findings only the changed network draws (API server
 * authorized ranges, SNAT capacity, no path …) and firewall rules that would stop matching. Reads only.
 */
export const whatIf = defineStep({
  type: "egress.whatif",
  summary: "Resolve a cluster as it would be after an egress change, and say what would break.",
  access: "read",
  params: z.strictObject({
    cluster: z.string().min(1).max(1024),
    outboundType: z.string().min(1).max(64),
    pool: z.string().max(64).default(""),
    natGateway: z.string().max(1024).default(""),
    subnet: z.string().max(1024).default(""),
    udrTo: z.string().max(64).default(""),
  }),
  outputs: z.object({ whatif: whatIfSchema }),
  defaults: { timeoutInMs: 90_000, attempts: 2 },
  async run(params, context) {
    const signal = { abortSignal: context.abortSignal };
    const { match } = await resolveCluster(context.azure, params.cluster, signal);
    const change: EgressChange = {
      outboundType: params.outboundType,
      pool: params.pool || null,
      natGatewayId: params.natGateway || null,
      subnetId: params.subnet || null,
      udrTo: params.udrTo || null,
    };
    const beforeGraph = await readClusterGraph(configuredRoutesOnly(context.azure), match.id, signal);
    if (
      change.pool &&
      !beforeGraph.cluster.agentPools.some((pool) => pool.name.toLowerCase() === change.pool?.toLowerCase())
    )
      throw new EgressError(
        ErrorCode.InputInvalid,
        `${match.name} has no node pool "${change.pool}" (pools: ${beforeGraph.cluster.agentPools.map((pool) => pool.name).join(", ")}).`,
      );
    const afterGraph = await readClusterGraph(whatIfReadPort(context.azure, change, match.id), match.id, signal);
    const before = { graph: beforeGraph, egress: resolveClusterEgress(beforeGraph) };
    const after = { graph: afterGraph, egress: withAksCreated(resolveClusterEgress(afterGraph), change) };
    let standing: PartnerHandover[] = [];
    const notes: string[] = [];
    try {
      standing = standingHandovers(await context.records.listHandovers());
    } catch (error) {
      if (!isEgressError(error)) throw error;
      notes.push(`Partner allowlists not checked: ${error.message}`);
    }
    const evidence = [
      context.record({
        summary: `today: ${beforeGraph.reads.length} read(s) of ${match.name}'s egress graph`,
        data: { problems: beforeGraph.problems },
        source: { operation: "whatif/before", resourceId: match.id, apiVersion: null, query: null },
      }),
      context.record({
        summary: `after the change: ${afterGraph.reads.length} read(s), the change applied in memory`,
        data: { change, problems: afterGraph.problems },
        source: { operation: "whatif/after", resourceId: match.id, apiVersion: null, query: null },
      }),
    ];
    const comparison = compareWhatIf(before, after, standing, new Date(context.clock.now()).toISOString());
    const afterThe = "After the change: ";
    // A side that could not be read whole makes the answer partial: unknown is not "nothing breaks".
    const unread = [...before.egress.nodePools, ...after.egress.nodePools].find(
      (pool) => pool.sources.state === "unknown",
    );
    return {
      incomplete: unread ? `the sources of ${unread.name} are unknown: ${unread.sources.reason ?? ""}` : null,
      outputs: {
        whatif: {
          cluster: `${match.resourceGroup}/${match.name}`,
          change: describeChange(change, beforeGraph.cluster.outboundType),
          before: before.egress.nodePools.map((pool) => ({ ...pool })),
          after: after.egress.nodePools.map((pool) => ({ ...pool })),
          drift: comparison.drift,
          newFindings: comparison.newFindings.map((finding) => ({
            code: finding.code,
            severity: finding.severity,
            title: finding.title,
            detail: finding.detail ?? null,
          })),
          firewallRules: [...comparison.firewallRules],
          caveats: [...comparison.caveats, ...notes],
        },
      },
      findings: [
        ...partnerBreakFindings(comparison.drift.breaks, evidence, afterThe),
        ...comparison.newFindings.map((finding) => ({
          ...finding,
          detail: `${afterThe}${finding.detail ?? finding.title}`,
          evidenceIds: evidence,
        })),
      ],
    };
  },
});
