import { z } from "zod";
import { readClusterGraph } from "../../core/azure/read-cluster-graph.js";
import { resourceKey } from "../../core/azure/resource-id.js";
import { defineStep } from "../../core/engine/step-type.js";
import { buildProofSet, type ProofItem } from "../../core/egress/build-proof-set.js";
import { drawEgressFindings } from "../../core/egress/draw-egress-findings.js";
import { findingsCatalog } from "../../core/egress/findings-catalog.js";
import { readFirewallDenies } from "../../core/egress/read-firewall-denies.js";
import { requiredEndpoints } from "../../core/egress/required-endpoints.js";
import { resolveClusterEgress } from "../../core/egress/resolve-cluster-egress.js";
import { distinctCidrs } from "../../core/egress/source-cidrs.js";
import { isEgressError } from "../../core/errors.js";

/**
 * Reads a cluster's egress graph, resolves per node pool how traffic leaves and which IPs the world
 * sees, draws every configuration finding, checks whether the egress firewall's logs reach Log
 * Analytics (with the last hour's denies from the cluster's subnets), and builds the proof set.
 */
export const clusterShow = defineStep({
  type: "egress.cluster.show",
  summary: "Resolve a cluster's egress per node pool, with findings and the proof set.",
  access: "read",
  params: z.strictObject({
    cluster: z.string().min(1).max(1024).describe("A name, rg/name, subscription/rg/name, ARM ID or alias"),
    recentDeniesWindow: z.string().regex(/^PT\d+[HM]$|^P\d+D$/).default("PT1H").describe("ISO-8601 window for the recent denies in the proof set"),
  }),
  outputs: z.object({
    cluster: z.record(z.string(), z.unknown()),
    nodePools: z.array(z.unknown()),
    proofSet: z.record(z.string(), z.unknown()),
    firewalls: z.array(z.unknown()),
    sourceCidrs: z.array(z.string()),
    subnetPrefixes: z.array(z.string()),
    requiredEndpoints: z.array(z.unknown()),
    kinds: z.array(z.string()),
  }),
  defaults: { timeoutInMs: 60_000, attempts: 2 },
  async run(params, context) {
    const graph = await readClusterGraph(context.azure, params.cluster, { abortSignal: context.abortSignal });
    const evidenceByResource = new Map<string, string[]>();
    for (const read of graph.reads) {
      const id = context.record({ summary: `${read.summary} (as of ${read.asOf})`, data: read.value, source: read.source });
      const key = resourceKey(read.source.resourceId ?? `query:${read.source.operation}`);
      evidenceByResource.set(key, [...(evidenceByResource.get(key) ?? []), id]);
    }
    const evidenceFor = (ids: readonly (string | null)[]): string[] => [...new Set(ids.flatMap((id) => (id ? (evidenceByResource.get(resourceKey(id)) ?? []) : [])))];
    const egress = resolveClusterEgress(graph);
    const { cluster } = graph;
    const required = requiredEndpoints(cluster.location, cluster.privateCluster, graph.outboundDependencies);
    const subnetPrefixes = distinctCidrs(egress.nodePools.flatMap((pool) => [pool.nodeSubnetId, pool.podSubnetId]).flatMap((id) => (id ? (graph.subnets.get(resourceKey(id))?.addressPrefixes ?? []) : [])));

    const firewalls = [...graph.firewalls.values()].map((firewall) => {
      const settings = graph.diagnosticSettings.get(resourceKey(firewall.id)) ?? [];
      const logging = settings.find((setting) => setting.workspaceId && setting.enabledCategories.length > 0);
      return { id: firewall.id, name: firewall.name, policyId: firewall.firewallPolicyId, workspaceId: logging?.workspaceId ?? null, destinationType: logging?.destinationType ?? null };
    });
    let logs: ProofItem = { status: "notApplicable", summary: "No firewall on the egress path: nothing logs egress per destination.", evidenceIds: [] };
    const logged = firewalls.find((firewall) => firewall.workspaceId);
    if (firewalls.length > 0 && !logged) logs = { status: "missing", summary: `Firewall ${firewalls.map((firewall) => firewall.name).join(", ")} sends no logs to Log Analytics.`, evidenceIds: evidenceFor(firewalls.map((firewall) => firewall.id)) };
    if (logged?.workspaceId) {
      try {
        const denies = await readFirewallDenies(context.azure, { workspace: logged.workspaceId, destinationType: logged.destinationType, sourceCidrs: subnetPrefixes, timespan: params.recentDeniesWindow, top: 5, required }, { abortSignal: context.abortSignal });
        const ids = denies.reads.map((read) => context.record({ summary: `firewall denies from ${subnetPrefixes.join(", ")} over ${params.recentDeniesWindow}`, data: read.value, source: read.source }));
        const total = denies.groups.reduce((sum, group) => sum + group.denies, 0);
        logs = { status: "collected", summary: `Firewall ${logged.name} logs to ${logged.workspaceId.split("/").pop() ?? ""} (${logged.destinationType === "Dedicated" ? "resource-specific tables" : "AzureDiagnostics"}); ${total} denies from the cluster's subnets over ${params.recentDeniesWindow}${denies.groups.length > 0 ? `: ${denies.groups.map((group) => `${group.destination} ×${group.denies}${group.requiredEndpoint ? " (AKS-required)" : ""}`).join(", ")}${denies.more > 0 ? ` and ${denies.more} more` : ""}` : ""}.`, evidenceIds: [...evidenceFor([logged.id]), ...ids] };
      } catch (error) {
        if (!isEgressError(error) || error.code === "RUN_CANCELLED") throw error;
        logs = { status: "failed", summary: `Firewall ${logged.name} logs to Log Analytics, but reading them failed: ${error.message}`, evidenceIds: evidenceFor([logged.id]) };
      }
    }
    const proofSet = buildProofSet(graph, egress, evidenceFor, logs, null);
    const findings = drawEgressFindings(graph, egress).map((finding) => ({ ...finding, evidenceIds: [...new Set([...evidenceFor([cluster.id]), ...evidenceFor(finding.resourceIds ?? [])])] }));
    const incomplete = (Object.entries(proofSet) as [string, ProofItem][]).filter(([, item]) => item.status === "failed" || item.status === "missing");
    if (incomplete.length > 0) {
      const entry = findingsCatalog.PROOF_SET_INCOMPLETE;
      findings.push({ code: "PROOF_SET_INCOMPLETE", severity: entry.severity, title: entry.title, detail: incomplete.map(([name, item]) => `${name}: ${item.summary}`).join(" "), remediation: entry.remediation, resourceIds: graph.problems.map((problem) => problem.resourceId).filter((id): id is string => id !== null), nodePools: [], evidenceIds: evidenceFor([cluster.id]) });
    }
    return {
      outputs: {
        cluster: { id: cluster.id, name: cluster.name, resourceGroup: cluster.resourceGroup, subscriptionId: cluster.subscriptionId, location: cluster.location, outboundType: cluster.outboundType, privateCluster: cluster.privateCluster, authorizedIpRanges: cluster.authorizedIpRanges },
        nodePools: egress.nodePools.map((pool) => ({ ...pool })),
        proofSet: { ...proofSet },
        firewalls,
        sourceCidrs: distinctCidrs(egress.nodePools.flatMap((pool) => [...pool.sourceCidrs, ...(pool.podSourceCidrs ?? [])])),
        subnetPrefixes,
        requiredEndpoints: required.map((endpoint) => ({ ...endpoint })),
        kinds: [...new Set(egress.nodePools.flatMap((pool) => [pool.egress.kind, ...(pool.podEgress ? [pool.podEgress.kind] : [])]))],
      },
      findings,
    };
  },
});
