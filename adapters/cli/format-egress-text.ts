import { readSections, routeBasisOf, type EvidenceBundle } from "../../src/index.js";
import type { Paint } from "./cli-io.js";
import { formatTable } from "./format-table.js";

const marks: Record<string, [string, Parameters<Paint>[0]]> = {
  collected: ["✓", "green"],
  missing: ["✗", "red"],
  failed: ["✗", "red"],
  notApplicable: ["–", "gray"],
};
const last = (id: string | null | undefined): string => (id ? (id.split("/").pop() ?? id) : "");

/** The bundle keys this formatter renders, so the generic output printer skips them. */
export const egressKeys = new Set(["cluster", "nodePools", "proofSet"]);

/** Cluster header, a node pool table (path, who SNATs, source IPs) and the proof-set checklist; empty when the bundle has none. */
export function formatEgressText(bundle: EvidenceBundle, paint: Paint): string[] {
  const lines: string[] = [];
  const sections = readSections(bundle);
  const cluster = sections.cluster;
  if (cluster) {
    lines.push(
      "",
      `${paint("bold", `Cluster ${cluster.resourceGroup}/${cluster.name}`)}  ${cluster.location} · outbound type ${cluster.outboundType} · ${cluster.privateCluster ? "private" : "public"} API server`,
    );
  }
  const pools = sections.nodePools;
  if (pools.length > 0) {
    const rows = pools.map((pool) => [
      pool.name,
      pool.mode ?? "",
      pool.maxCount ? `${pool.count ?? 0}-${pool.maxCount}` : String(pool.count ?? ""),
      `${pool.egress.kind}${pool.matchesOutboundType ? "" : " (!)"}`,
      pool.egress.snatBy.resourceId
        ? `${pool.egress.snatBy.type} ${last(pool.egress.snatBy.resourceId)}`
        : pool.egress.snatBy.type,
      // Known, unknown and none read differently: a list, or a word the reason below explains.
      pool.sources.state === "known" ? pool.sourceCidrs.join(" ") : pool.sources.state.toUpperCase(),
    ]);
    const table = formatTable(["POOL", "MODE", "NODES", "EGRESS", "SNAT BY", "SOURCE IPS"], rows);
    lines.push("", paint("bold", "Node pools"), paint("gray", table[0] ?? ""), ...table.slice(1));
    for (const pool of pools) {
      lines.push(
        paint(
          "gray",
          `  ${pool.name}: ${pool.egress.via.map(last).join(" → ") || "(no path)"} (${routeBasisOf(pool.egress)})`,
        ),
      );
      if (pool.sources.state !== "known")
        lines.push(
          paint(
            pool.sources.state === "none" ? "red" : "yellow",
            `  ${pool.name} sources ${pool.sources.state}: ${pool.sources.reason ?? ""}`,
          ),
        );
      if (pool.podEgress)
        lines.push(
          paint("gray", `  ${pool.name} pods: ${pool.podEgress.kind} ${pool.podSourceCidrs?.join(" ") ?? ""}`),
        );
    }
  }
  if (sections.proofSet) {
    lines.push("", paint("bold", "Proof set"));
    for (const [name, item] of Object.entries(sections.proofSet)) {
      const [mark, style] = marks[item.status] ?? ["?", "yellow"];
      lines.push(`  ${paint(style, mark)} ${name.padEnd(15)} ${item.summary}`);
    }
  }
  for (const problem of sections.problems) lines.push(paint("yellow", `  (not shown: ${problem})`));
  return lines;
}
