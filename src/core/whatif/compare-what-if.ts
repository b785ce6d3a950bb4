import type { ClusterGraph } from "../azure/cluster-graph.js";
import { resourceKey } from "../azure/resource-id.js";
import { compareDrift } from "../drift/compare-drift.js";
import type { DriftReport } from "../drift/drift-report.js";
import type { EgressSnapshot } from "../drift/egress-snapshot.js";
import { drawEgressFindings } from "../egress/draw-egress-findings.js";
import type { NodePoolEgress } from "../egress/egress-model.js";
import type { ClusterEgress } from "../egress/resolve-cluster-egress.js";
import { rangeContains } from "../egress/source-cidrs.js";
import type { FindingDraft } from "../evidence/finding.js";
import type { PartnerHandover } from "../partners/partner-handover.js";

/** One side of a what-if: the graph read and its resolution. */
export interface WhatIfSide {
  readonly graph: ClusterGraph;
  readonly egress: ClusterEgress;
}

/** A firewall rule that matched the pools' old subnet and would not match the new one. */
export interface UnmatchedRule {
  readonly firewall: string;
  readonly rule: string;
  readonly sources: string;
  readonly reason: string;
}

/** What a change does: each side's pools, the drift between them, and what would break. */
export interface WhatIfComparison {
  readonly drift: DriftReport;
  /** Findings the changed network draws that today's does not (SNAT capacity, authorized ranges, no path, …). */
  readonly newFindings: readonly FindingDraft[];
  readonly firewallRules: readonly UnmatchedRule[];
  readonly caveats: readonly string[];
}

/** A resolved cluster as a snapshot (what the drift comparison compares). */
function snapshotOfSide(side: WhatIfSide, takenAt: string): EgressSnapshot {
  const { cluster } = side.graph;
  return {
    clusterId: cluster.id,
    clusterName: cluster.name,
    resourceGroup: cluster.resourceGroup,
    subscriptionId: cluster.subscriptionId,
    outboundType: cluster.outboundType,
    takenAt,
    needsFullRead: null,
    pools: side.egress.nodePools.map((pool: NodePoolEgress) => ({
      name: pool.name,
      kind: pool.egress.kind,
      sources: pool.sources.state,
      sourceCidrs: [...pool.sourceCidrs],
      podSourceCidrs: pool.podSourceCidrs ? [...pool.podSourceCidrs] : null,
      reason: pool.sources.reason,
    })),
  };
}

const findingKey = (finding: FindingDraft): string =>
  `${finding.code}|${[...(finding.nodePools ?? [])].sort().join(",")}`;

/** The node subnets' address prefixes of a side's pools. */
const subnetPrefixes = (side: WhatIfSide): string[] =>
  side.egress.nodePools.flatMap((pool) => {
    const subnet = pool.nodeSubnetId ? side.graph.subnets.get(resourceKey(pool.nodeSubnetId)) : undefined;
    return subnet ? [...subnet.addressPrefixes] : [];
  });

/**
 * Rules of the firewalls on the changed path whose sources held the pools' old subnet and hold none
 * of the new subnet's prefixes: traffic they allowed would fall to the policy's default deny. IP
 * groups are not read, so a rule that names only IP groups is a caveat, not a verdict.
 */
function unmatchedRules(before: WhatIfSide, after: WhatIfSide): { rules: UnmatchedRule[]; caveats: string[] } {
  const oldPrefixes = subnetPrefixes(before);
  const newPrefixes = subnetPrefixes(after);
  if (newPrefixes.length === 0 || newPrefixes.every((prefix) => oldPrefixes.includes(prefix)))
    return { rules: [], caveats: [] };
  const rules: UnmatchedRule[] = [];
  const caveats: string[] = [];
  for (const firewall of after.graph.firewalls.values()) {
    const groups = firewall.firewallPolicyId
      ? (after.graph.ruleCollectionGroups.get(resourceKey(firewall.firewallPolicyId)) ?? [])
      : [];
    for (const group of groups)
      for (const collection of group.ruleCollections)
        for (const rule of collection.rules) {
          if (rule.sourceIpGroups.length > 0 && rule.sourceAddresses.length === 0) {
            caveats.push(
              `${firewall.name}: rule ${collection.name}/${rule.name} names IP groups, which the bot does not read`,
            );
            continue;
          }
          const coversOld = oldPrefixes.some((prefix) =>
            rule.sourceAddresses.some((source) => source === "*" || rangeContains(source, prefix)),
          );
          const coversNew = newPrefixes.every((prefix) =>
            rule.sourceAddresses.some((source) => source === "*" || rangeContains(source, prefix)),
          );
          if (coversOld && !coversNew)
            rules.push({
              firewall: firewall.name,
              rule: `${group.name}/${collection.name}/${rule.name}`,
              sources: rule.sourceAddresses.join(" "),
              reason: `matches the old subnet (${oldPrefixes.join(", ")}) but not the new one (${newPrefixes.join(", ")})`,
            });
        }
  }
  return { rules, caveats };
}

/**
 * Compares today's network with the changed one, both resolved from configured routes: the drift
 * between them (what changes per pool, which partners' allowlists break, which handed CIDRs go idle),
 * the findings only the changed network draws (SNAT capacity, API server authorized ranges, no path …),
 * and the firewall rules the moved subnet would no longer match. Pure.
 */
export function compareWhatIf(
  before: WhatIfSide,
  after: WhatIfSide,
  standing: readonly PartnerHandover[],
  asOf: string,
): WhatIfComparison {
  const ofCluster = standing.filter(
    (handover) => handover.clusterId.toLowerCase() === before.graph.cluster.id.toLowerCase(),
  );
  const drift = compareDrift([snapshotOfSide(after, asOf)], [snapshotOfSide(before, asOf)], ofCluster, asOf);
  const today = new Set(drawEgressFindings(before.graph, before.egress).map(findingKey));
  const newFindings = drawEgressFindings(after.graph, after.egress).filter(
    (finding) => !today.has(findingKey(finding)),
  );
  const { rules, caveats } = unmatchedRules(before, after);
  const unknown = after.egress.nodePools.filter((pool) => pool.sources.state === "unknown");
  return {
    drift,
    newFindings,
    firewallRules: rules,
    caveats: [
      "Both sides are resolved from configured routes: a NIC's effective routes describe today's network only.",
      ...(unknown.length > 0
        ? [
            `After the change the sources of ${unknown.map((pool) => pool.name).join(", ")} are unknown: ${unknown[0]?.sources.reason ?? ""}`,
          ]
        : []),
      ...caveats,
    ],
  };
}
