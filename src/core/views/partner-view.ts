import { z } from "zod";
import { nodePoolSchema } from "../egress/report/egress-report.js";
import type { ResultSections } from "../egress/report/result-sections.js";
import type { HandoverView } from "../partners/partner-report.js";
import type { ViewSection } from "./answer-view.js";
import { pathOf } from "./pool-path.js";
import type { ViewTable } from "./view-tables.js";

/** Handovers as a table: partner, cluster, CIDRs, who, when, and the evidence digest. */
export function handoverTable(handovers: readonly HandoverView[]): ViewTable {
  return {
    headers: ["PARTNER", "CLUSTER", "CIDRS", "HANDED BY", "HANDED AT", "EVIDENCE"],
    rows: handovers.map((handover) => [
      handover.partner,
      handover.cluster,
      handover.cidrs.join(" "),
      handover.handedBy,
      handover.handedAt,
      `${handover.digest}${handover.simulated ? " (simulated)" : ""}`,
    ]),
  };
}

/** The node pools a handover kept, parsed (a record that no longer parses shows no picture). */
function recordedPools(handover: HandoverView) {
  const parsed = z.array(nodePoolSchema).safeParse(handover.nodePools);
  return parsed.success ? parsed.data : [];
}

/**
 * The sections of the partner registry's results: the standing allowlists as a table (`partners`),
 * or one partner's onboarding document (`partners show`): per cluster the allowlist with its
 * grades and the path as it was handed over, then every handover.
 */
export function partnerSections(results: ResultSections): ViewSection[] {
  const sections: ViewSection[] = [];
  if (results.partners)
    sections.push({
      kind: "table",
      title: "Partner allowlists",
      summary: `${new Set(results.partners.standing.map((handover) => handover.partner.toLowerCase())).size} partner(s), ${results.partners.standing.length} allowlist(s)`,
      table: handoverTable(results.partners.standing),
      note:
        results.partners.standing.length === 0
          ? "Nothing recorded yet: `source-ips <cluster> --partner <name> --record`."
          : null,
    });
  const partner = results.partner;
  if (partner) {
    for (const handover of partner.standing) {
      sections.push({
        kind: "allowlist",
        partner: partner.name,
        cluster: handover.cluster,
        asOf: handover.handedAt,
        block: handover.cidrs.join("\n"),
        entries: handover.addresses.map((address) => ({
          cidr: address.cidr,
          grade: address.grade,
          why: address.reason,
          from: address.from,
        })),
        stable: handover.addresses.every((address) => address.grade === "stable"),
      });
      const pools = recordedPools(handover);
      if (pools.length > 0) sections.push({ kind: "paths", pools: pools.map(pathOf) });
    }
    sections.push({
      kind: "table",
      title: `Handovers to ${partner.name}`,
      summary: `${partner.history.length} handover(s), newest first; the evidence digest names the bundle each came from`,
      table: handoverTable(partner.history),
      note: null,
    });
  }
  return sections;
}
