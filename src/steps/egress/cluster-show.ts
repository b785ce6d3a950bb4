import { snatCapacity } from "../../core/egress/snat-figures.js";
import { snatCapacitySchema } from "../../core/egress/report/triage-sections.js";
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
import { distinctCidrs, minimalCidrs } from "../../core/egress/source-cidrs.js";
import { tableObjects } from "../../core/azure/model.js";
import { checkDestination, checkDuration } from "../../core/commands/value-syntax.js";
import { drawLogFindings } from "../../core/egress/log-findings.js";
import type { DenyGroup } from "../../core/egress/read-firewall-denies.js";
import { describeSourceAddresses } from "../../core/egress/source-addresses.js";
import { EgressError, ErrorCode, isEgressError } from "../../core/errors.js";
import type { FindingDraft } from "../../core/evidence/finding.js";
import { toIsoDuration } from "../../core/runbooks/duration.js";
import {
  clusterIdentityOf,
  clusterSchema,
  nodePoolSchema,
  proofSetSchema,
} from "../../core/egress/report/egress-report.js";

/** A proof item as the report's schema holds it. */
const plainProof = (item: ProofItem) => ({ ...item, evidenceIds: [...item.evidenceIds] });

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
    since: z
      .string()
      .regex(/^\d{1,9}(m|h|d)$/)
      .default("1h")
      .describe("How far back to read firewall logs (at most 30d)"),
    dest: z
      .string()
      .max(300)
      .optional()
      .describe("A destination, <fqdn|ip>[:port]: its denies and DNS lookups are read"),
    configFindings: z.boolean().default(true).describe("Draw the findings configuration alone can show"),
    logFindings: z
      .boolean()
      .default(false)
      .describe("Draw findings from the firewall's denies (REQUIRED_ENDPOINT_DENIED, DESTINATION_DENIED)"),
    top: z.number().int().min(1).max(100).default(20).describe("How many destinations of denies to keep"),
    findings: z
      .array(z.string().refine((code) => code in findingsCatalog, "a finding code of the catalog (docs/findings.md)"))
      .optional()
      .describe(
        "Keep only these finding codes (default: every code the step draws). Runbooks select the step's findings this way instead of raising a catalogued code again.",
      ),
  }),
  outputs: z.object({
    // The report's own schemas: the bundle section's type, what views parse, what runbooks read.
    cluster: clusterSchema,
    nodePools: z.array(nodePoolSchema),
    proofSet: proofSetSchema,
    firewalls: z.array(z.unknown()),
    sourceCidrs: z.array(z.string()),
    subnetPrefixes: z.array(z.string()),
    requiredEndpoints: z.array(z.unknown()),
    kinds: z.array(z.string()),
    sourceAddresses: z.array(z.unknown()),
    denies: z.array(z.unknown()),
    moreDenies: z.number(),
    window: z.string(),
    minimalCidrs: z.array(z.string()),
    snatCapacity: z.array(snatCapacitySchema),
    asOf: z.string(),
  }),
  defaults: { timeoutInMs: 60_000, attempts: 2 },
  async run(params, context) {
    const sinceInMs = checkDuration(params.since, 30 * 86_400_000, "30d");
    if (!sinceInMs.ok) throw new EgressError(ErrorCode.InputInvalid, `since "${params.since}": ${sinceInMs.reason}.`);
    const window = toIsoDuration(sinceInMs.value);
    const destination = params.dest ? checkDestination(params.dest) : undefined;
    if (destination && !destination.ok)
      throw new EgressError(ErrorCode.InputInvalid, `dest "${params.dest ?? ""}": ${destination.reason}.`);
    const dest = destination?.ok ? destination.value : undefined;
    // Evidence is recorded as each read completes: a timeout or a cancelled run keeps what was read.
    const evidenceByResource = new Map<string, string[]>();
    const graph = await readClusterGraph(
      context.azure,
      params.cluster,
      { abortSignal: context.abortSignal },
      (read) => {
        const id = context.record({
          summary: `${read.summary} (as of ${read.asOf})`,
          data: read.value,
          source: read.source,
        });
        const key = resourceKey(read.source.resourceId ?? `query:${read.source.operation}`);
        evidenceByResource.set(key, [...(evidenceByResource.get(key) ?? []), id]);
      },
    );
    const dnsEvidence: string[] = [];
    const evidenceFor = (ids: readonly (string | null)[]): string[] => [
      ...new Set(ids.flatMap((id) => (id ? (evidenceByResource.get(resourceKey(id)) ?? []) : []))),
    ];
    const egress = resolveClusterEgress(graph, dest ? { destination: dest } : {});
    const { cluster } = graph;
    const required = requiredEndpoints(
      cluster.location,
      cluster.privateCluster,
      graph.outboundDependencies,
      cluster.fqdn,
    );
    const subnetPrefixes = distinctCidrs(
      egress.nodePools
        .flatMap((pool) => [pool.nodeSubnetId, pool.podSubnetId])
        .flatMap((id) => (id ? (graph.subnets.get(resourceKey(id))?.addressPrefixes ?? []) : [])),
    );

    const firewalls = [...graph.firewalls.values()].map((firewall) => {
      const settings = graph.diagnosticSettings.get(resourceKey(firewall.id)) ?? [];
      const logging = settings.find((setting) => setting.workspaceId && setting.enabledCategories.length > 0);
      return {
        id: firewall.id,
        name: firewall.name,
        policyId: firewall.firewallPolicyId,
        workspaceId: logging?.workspaceId ?? null,
        destinationType: logging?.destinationType ?? null,
      };
    });
    // A firewall search or firewall read that failed leaves the firewall unknown: not "no firewall".
    const firewallUnread = graph.problems.find(
      (problem) =>
        problem.what === "firewall search" ||
        (problem.resourceId !== null && /\/azurefirewalls\//i.test(problem.resourceId)),
    );
    let logs: ProofItem = firewallUnread
      ? {
          status: "failed",
          summary: `The firewall on the egress path is unknown, so its logs were not read: ${firewallUnread.message}${firewallUnread.remediation ? ` ${firewallUnread.remediation}` : ""}`,
          evidenceIds: [],
        }
      : {
          status: "notApplicable",
          summary: "No firewall on the egress path: nothing logs egress per destination.",
          evidenceIds: [],
        };
    let deniesRead: DenyGroup[] = [];
    let moreDenies = 0;
    const logFindings: FindingDraft[] = [];
    let dnsFailures: string | null = null;
    // A log read that failed or answered in part leaves the run partial, whatever the rest says.
    let logsProblem: string | null = null;
    let partialLogs: string | null = null;
    const logged = firewalls.find((firewall) => firewall.workspaceId);
    if (firewalls.length > 0 && !logged)
      logs = {
        status: "missing",
        summary: `Firewall ${firewalls.map((firewall) => firewall.name).join(", ")} sends no logs to Log Analytics.`,
        evidenceIds: evidenceFor(firewalls.map((firewall) => firewall.id)),
      };
    if (logged?.workspaceId) {
      try {
        const signal = { abortSignal: context.abortSignal };
        const denies = await readFirewallDenies(
          context.azure,
          {
            workspace: logged.workspaceId,
            destinationType: logged.destinationType,
            sourceCidrs: subnetPrefixes,
            timespan: window,
            top: params.top,
            required,
          },
          signal,
        );
        moreDenies = denies.more;
        deniesRead = [...denies.groups];
        partialLogs = denies.partial;
        const ids = denies.reads.map((read) =>
          context.record({
            summary: `firewall denies from ${subnetPrefixes.join(", ")} over ${params.since}`,
            data: read.value,
            source: read.source,
          }),
        );
        const total = denies.groups.reduce((sum, group) => sum + group.denies, 0);
        const shown = denies.groups.slice(0, 5);
        let destinationSummary = "";
        if (dest) {
          const forDest = await readFirewallDenies(
            context.azure,
            {
              workspace: logged.workspaceId,
              destinationType: logged.destinationType,
              sourceCidrs: subnetPrefixes,
              timespan: window,
              top: 20,
              required,
              destination: dest,
            },
            signal,
          );
          ids.push(
            ...forDest.reads.map((read) =>
              context.record({
                summary: `firewall denies of ${dest.text} over ${params.since}`,
                data: read.value,
                source: read.source,
              }),
            ),
          );
          destinationSummary = ` ${dest.text}: ${forDest.groups.reduce((sum, group) => sum + group.denies, 0)} denies.`;
          partialLogs ??= forDest.partial;
          // With a destination, the list of denies is that destination's.
          deniesRead = [...forDest.groups];
          moreDenies = forDest.more;
          if (params.logFindings)
            logFindings.push(
              ...drawLogFindings(
                forDest.groups.filter((group) => !group.requiredEndpoint),
                dest,
                params.since,
                logged.id,
                ids,
              ),
            );
          if (dest.kind === "fqdn" && (logged.destinationType ?? "").toLowerCase() === "dedicated") {
            const lookups = await context.azure.queryLogs(
              logged.workspaceId,
              { name: "firewallDnsFailures", parameters: { queryName: `${dest.host}.` } },
              window,
              signal,
            );
            const failures = tableObjects(lookups.value);
            partialLogs ??= lookups.value.partialError ?? null;
            const dnsId = context.record({
              summary: `DNS proxy lookups of ${dest.host} that failed over ${params.since}`,
              data: lookups.value,
              source: lookups.source,
            });
            dnsEvidence.push(dnsId);
            dnsFailures =
              failures.length === 0
                ? `AZFWDnsQuery: no failed lookups of ${dest.host} over ${params.since}`
                : `AZFWDnsQuery: ${failures.map((row) => `${String(row.Failures)} ${String(row.ResponseCode)} for ${String(row.QueryType)}`).join(", ")} lookups of ${dest.host} over ${params.since}`;
          }
        }
        if (params.logFindings)
          logFindings.push(
            ...drawLogFindings(
              denies.groups.filter((group) => group.requiredEndpoint),
              undefined,
              params.since,
              logged.id,
              ids,
            ),
          );
        if (partialLogs) logsProblem = `firewall logs (partial result: ${partialLogs})`;
        logs = {
          // Rows the service left out may hold what matters: partial is not collected.
          status: partialLogs ? "failed" : "collected",
          summary: `${partialLogs ? `Log Analytics answered only in part (${partialLogs}); what it returned: ` : ""}Firewall ${logged.name} logs to ${logged.workspaceId.split("/").pop() ?? ""} (${logged.destinationType === "Dedicated" ? "resource-specific tables" : "AzureDiagnostics"}); ${total} denies from the cluster's subnets over ${params.since}${shown.length > 0 ? `: ${shown.map((group) => `${group.destination} ×${group.denies}${group.requiredEndpoint ? " (AKS-required)" : ""}`).join(", ")}${denies.groups.length + denies.more > shown.length ? ` and ${denies.groups.length + denies.more - shown.length} more` : ""}` : ""}.${destinationSummary}`,
          evidenceIds: [...evidenceFor([logged.id]), ...ids],
        };
      } catch (error) {
        if (!isEgressError(error) || error.code === "RUN_CANCELLED") throw error;
        logsProblem = `firewall logs (${error.code})`;
        logs = {
          status: "failed",
          summary: `Firewall ${logged.name} logs to Log Analytics, but reading them failed: ${error.message}`,
          evidenceIds: evidenceFor([logged.id]),
        };
      }
    }
    const built = buildProofSet(graph, egress, evidenceFor, logs, dnsFailures);
    const proofSet = { ...built, dns: { ...built.dns, evidenceIds: [...built.dns.evidenceIds, ...dnsEvidence] } };
    const findings: FindingDraft[] = (params.configFindings ? drawEgressFindings(graph, egress) : []).map(
      (finding) => ({
        ...finding,
        evidenceIds: [...new Set([...evidenceFor([cluster.id]), ...evidenceFor(finding.resourceIds ?? [])])],
      }),
    );
    findings.push(...logFindings);
    const incomplete = (Object.entries(proofSet) as [string, ProofItem][]).filter(
      ([, item]) => item.status === "failed" || item.status === "missing",
    );
    if (incomplete.length > 0) {
      const entry = findingsCatalog.PROOF_SET_INCOMPLETE;
      findings.push({
        code: "PROOF_SET_INCOMPLETE",
        severity: entry.severity,
        title: entry.title,
        detail: incomplete.map(([name, item]) => `${name}: ${item.summary}`).join(" "),
        remediation: entry.remediation,
        resourceIds: graph.problems.map((problem) => problem.resourceId).filter((id): id is string => id !== null),
        nodePools: [],
        evidenceIds: evidenceFor([cluster.id]),
      });
    }
    // One producer per code: a runbook chooses which of the step's findings it wants, by code.
    const kept = params.findings ? findings.filter((finding) => params.findings?.includes(finding.code)) : findings;
    return {
      outputs: {
        cluster: {
          ...clusterIdentityOf(cluster),
          privateCluster: cluster.privateCluster,
          authorizedIpRanges: [...cluster.authorizedIpRanges],
        },
        nodePools: egress.nodePools.map((pool) => ({ ...pool })),
        proofSet: {
          outboundType: plainProof(proofSet.outboundType),
          egressAddress: plainProof(proofSet.egressAddress),
          routeTable: plainProof(proofSet.routeTable),
          dns: plainProof(proofSet.dns),
          destinationLogs: plainProof(proofSet.destinationLogs),
        },
        firewalls,
        sourceCidrs: distinctCidrs(
          egress.nodePools.flatMap((pool) => [...pool.sourceCidrs, ...(pool.podSourceCidrs ?? [])]),
        ),
        subnetPrefixes,
        requiredEndpoints: required.map((endpoint) => ({ ...endpoint })),
        kinds: [
          ...new Set(
            egress.nodePools.flatMap((pool) => [pool.egress.kind, ...(pool.podEgress ? [pool.podEgress.kind] : [])]),
          ),
        ],
        sourceAddresses: describeSourceAddresses(graph, egress.nodePools).map((address) => ({ ...address })),
        denies: deniesRead.map((group) => ({ ...group })),
        moreDenies,
        window,
        minimalCidrs: minimalCidrs(
          egress.nodePools.flatMap((pool) => [...pool.sourceCidrs, ...(pool.podSourceCidrs ?? [])]),
        ),
        snatCapacity: snatCapacity(graph, egress).map((row) => ({ ...row })),
        asOf: graph.reads[0]?.asOf ?? "",
      },
      findings: kept,
      // Unknown is not none: a read that failed leaves that part of the answer unknown, and the run partial.
      incomplete:
        graph.problems.length > 0 || logsProblem
          ? `could not read ${[
              ...graph.problems.map(
                (problem) =>
                  `${problem.what ?? problem.resourceId?.split("/").pop() ?? "a resource"} (${problem.code})`,
              ),
              ...(logsProblem ? [logsProblem] : []),
            ].join(", ")}`
          : null,
    };
  },
});
