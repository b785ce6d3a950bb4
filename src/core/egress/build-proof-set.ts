import type { ClusterGraph } from "../azure/cluster-graph.js";
import { resourceKey } from "../azure/resource-id.js";
import type { ClusterEgress } from "./resolve-cluster-egress.js";

/** One item of the minimum proof set. */
export interface ProofItem {
  readonly status: "collected" | "missing" | "failed" | "notApplicable";
  readonly summary: string;
  readonly evidenceIds: readonly string[];
}

/** The five things an egress diagnosis must show (design §3.3). */
export interface ProofSet {
  readonly outboundType: ProofItem;
  readonly egressAddress: ProofItem;
  readonly routeTable: ProofItem;
  readonly dns: ProofItem;
  readonly destinationLogs: ProofItem;
}

/** What the logs side found, decided by the step that read them. */
export type LogsProof = ProofItem;

const failedFor = (graph: ClusterGraph, ids: readonly (string | null)[]): string[] => {
  const wanted = new Set(ids.filter((id): id is string => typeof id === "string").map(resourceKey));
  return graph.problems
    .filter((problem) => problem.resourceId && wanted.has(resourceKey(problem.resourceId)))
    .map((problem) => problem.message);
};

/** Why a subnet's effective routes could not be read (message and what to do), or null. */
function effectiveRouteProblem(graph: ClusterGraph, networkInterfaceIds: readonly string[]): string | null {
  const wanted = new Set(networkInterfaceIds.map(resourceKey));
  const problem = graph.problems.find(
    (candidate) => candidate.resourceId !== null && wanted.has(resourceKey(candidate.resourceId)),
  );
  if (!problem) return null;
  return `the effective routes could not be read: ${problem.message}${problem.remediation ? ` ${problem.remediation}` : ""}`;
}

/** Builds the configuration side of the proof set; `evidenceFor` maps resource IDs to the evidence that read them. */
export function buildProofSet(
  graph: ClusterGraph,
  egress: ClusterEgress,
  evidenceFor: (ids: readonly (string | null)[]) => string[],
  logs: LogsProof,
  dnsFailures: string | null,
): ProofSet {
  const { cluster } = graph;
  const pools = egress.nodePools;
  const clusterEvidence = evidenceFor([cluster.id]);

  // No public source at all is a known answer; a source Azure cannot show (appliance, on premises) is missing proof.
  const unknownSources = pools.filter((pool) => pool.sources.state === "unknown");
  const sourceIds = pools.flatMap((pool) => [pool.egress.snatBy.resourceId, ...pool.egress.via]);
  const addressFailures = failedFor(graph, sourceIds);
  const egressAddress: ProofItem = {
    status: addressFailures.length > 0 ? "failed" : unknownSources.length > 0 ? "missing" : "collected",
    summary:
      addressFailures.length > 0
        ? `Could not read: ${addressFailures.join("; ")}`
        : pools
            .map(
              (pool) =>
                `${pool.name}: ${pool.egress.kind}${pool.sources.state === "known" ? ` ${pool.sourceCidrs.join(", ")}` : ` (sources ${pool.sources.state}: ${pool.sources.reason ?? ""})`}`,
            )
            .join("; "),
    evidenceIds: evidenceFor(sourceIds),
  };

  const subnetIds = [
    ...new Set(
      pools
        .flatMap((pool) => [pool.nodeSubnetId, pool.podSubnetId])
        .filter((id): id is string => typeof id === "string"),
    ),
  ];
  const routeFailures = failedFor(graph, [...subnetIds, ...pools.map((pool) => pool.egress.routeTableId)]);
  // The routes public destinations really take (longest prefix match over the route set), not the
  // literal 0.0.0.0/0 row: split routes and injected routes count.
  const resolved = new Map(
    [...egress.details.values()].flatMap((detail) => [
      [resourceKey(detail.node.egress.via[0] ?? ""), detail.node] as const,
      ...(detail.pod ? [[resourceKey(detail.pod.egress.via[0] ?? ""), detail.pod] as const] : []),
    ]),
  );
  const routeSummaries = subnetIds.map((id) => {
    const subnet = graph.subnets.get(resourceKey(id));
    const table = subnet?.routeTableId ? graph.routeTables.get(resourceKey(subnet.routeTableId)) : undefined;
    const name = id.split("/").pop() ?? id;
    if (!subnet) return `${name}: not read`;
    const paths = resolved.get(resourceKey(id))?.internetPaths ?? [];
    const taken = paths
      .map(
        (path) =>
          `${path.routes.map((route) => route.split(" ").pop() ?? route).join(", ")} → ${path.nextHopType}${path.nextHopIps.length > 0 ? ` ${path.nextHopIps.join(", ")}` : ""}`,
      )
      .join("; ");
    const effective = graph.effectiveRoutes.get(resourceKey(id));
    const basis = effective ? ` (effective routes of ${effective.networkInterfaceId.split("/").pop() ?? ""})` : "";
    const refused = effectiveRouteProblem(graph, subnet.networkInterfaceIds);
    return `${name}: ${table ? table.name : "no route table"}, public destinations${basis}: ${taken || "no route"}${refused ? `; from configuration only, as ${refused}` : ""}`;
  });
  const routeTable: ProofItem =
    subnetIds.length === 0
      ? {
          status: "notApplicable",
          summary: "The node pools sit in the AKS-managed VNet, which has no user route table for egress.",
          evidenceIds: clusterEvidence,
        }
      : {
          status: routeFailures.length > 0 ? "failed" : "collected",
          summary: routeFailures.length > 0 ? `Could not read: ${routeFailures.join("; ")}` : routeSummaries.join("; "),
          evidenceIds: evidenceFor([...subnetIds, ...pools.map((pool) => pool.egress.routeTableId)]),
        };

  const vnets = [...graph.virtualNetworks.values()];
  const dnsParts = vnets.map(
    (vnet) =>
      `${vnet.name}: ${vnet.dnsServers.length > 0 ? `custom DNS ${vnet.dnsServers.join(", ")}` : "Azure-provided DNS"}`,
  );
  const proxies = [...graph.firewallPolicies.values()].map(
    (policy) => `firewall policy ${policy.name}: DNS proxy ${policy.dnsProxyEnabled ? "on" : "off"}`,
  );
  const zones = [...graph.dnsZoneLinks.values()].flat().map((link) => link.zoneName);
  const dns: ProofItem =
    vnets.length === 0
      ? {
          status: failedFor(graph, subnetIds).length > 0 ? "failed" : "missing",
          summary: "The VNet's DNS settings were not read.",
          evidenceIds: [],
        }
      : {
          status: "collected",
          summary: [
            ...dnsParts,
            ...proxies,
            zones.length > 0 ? `private DNS zones linked: ${zones.join(", ")}` : "no private DNS zones linked",
            ...(dnsFailures ? [dnsFailures] : []),
          ].join("; "),
          evidenceIds: evidenceFor([
            ...vnets.map((vnet) => vnet.id),
            ...[...graph.firewallPolicies.values()].map((policy) => policy.id),
          ]),
        };

  return {
    outboundType: {
      status: "collected",
      summary: `Declared outbound type: ${cluster.outboundType}; ${
        pools.every((pool) => pool.matchesOutboundType)
          ? "every pool leaves that way"
          : `pools that leave otherwise: ${pools
              .filter((pool) => !pool.matchesOutboundType)
              .map((pool) => `${pool.name} (${pool.egress.kind})`)
              .join(", ")}`
      }.`,
      evidenceIds: clusterEvidence,
    },
    egressAddress,
    routeTable,
    dns,
    destinationLogs: logs,
  };
}
