import type { EvidenceBundle } from "../../src/index.js";
import type { Paint } from "./cli-io.js";
import { formatTable } from "./format-table.js";

interface PoolView {
  name: string;
  mode: string | null;
  count: number | null;
  maxCount: number | null;
  egress: { kind: string; snatBy: { type: string; resourceId: string | null }; via: string[] };
  sourceCidrs: string[];
  matchesOutboundType: boolean;
  podEgress: { kind: string } | null;
  podSourceCidrs: string[] | null;
}
interface ProofView {
  status: string;
  summary: string;
}

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
  const cluster = bundle.cluster as
    | { name?: string; resourceGroup?: string; location?: string; outboundType?: string; privateCluster?: boolean }
    | undefined;
  if (cluster?.name) {
    lines.push(
      "",
      `${paint("bold", `Cluster ${cluster.resourceGroup ?? ""}/${cluster.name}`)}  ${cluster.location ?? ""} · outbound type ${cluster.outboundType ?? "?"} · ${cluster.privateCluster ? "private" : "public"} API server`,
    );
  }
  const pools = Array.isArray(bundle.nodePools) ? (bundle.nodePools as PoolView[]) : [];
  if (pools.length > 0 && pools[0]?.egress) {
    const rows = pools.map((pool) => [
      pool.name,
      pool.mode ?? "",
      pool.maxCount ? `${pool.count ?? 0}-${pool.maxCount}` : String(pool.count ?? ""),
      `${pool.egress.kind}${pool.matchesOutboundType ? "" : " (!)"}`,
      pool.egress.snatBy.resourceId
        ? `${pool.egress.snatBy.type} ${last(pool.egress.snatBy.resourceId)}`
        : pool.egress.snatBy.type,
      pool.sourceCidrs.join(" ") || "-",
    ]);
    const table = formatTable(["POOL", "MODE", "NODES", "EGRESS", "SNAT BY", "SOURCE IPS"], rows);
    lines.push("", paint("bold", "Node pools"), paint("gray", table[0] ?? ""), ...table.slice(1));
    for (const pool of pools) {
      lines.push(paint("gray", `  ${pool.name}: ${pool.egress.via.map(last).join(" → ") || "(no path)"}`));
      if (pool.podEgress)
        lines.push(
          paint("gray", `  ${pool.name} pods: ${pool.podEgress.kind} ${pool.podSourceCidrs?.join(" ") ?? ""}`),
        );
    }
  }
  const proof = bundle.proofSet as Record<string, ProofView> | undefined;
  if (proof && typeof proof === "object") {
    lines.push("", paint("bold", "Proof set"));
    for (const [name, item] of Object.entries(proof)) {
      const [mark, style] = marks[item.status] ?? ["?", "yellow"];
      lines.push(`  ${paint(style, mark)} ${name.padEnd(15)} ${item.summary}`);
    }
  }
  return lines;
}
