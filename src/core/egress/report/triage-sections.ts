import { z } from "zod";
import type { EvidenceBundle } from "../../evidence/bundle.js";
import { readSection, type ReportSections } from "./sections.js";

/** One pool's SNAT capacity by configuration (`egress.cluster.show` output `snatCapacity`). */
export const snatCapacitySchema = z.object({
  pool: z.string(),
  via: z.string(),
  resourceId: z.string().nullable(),
  nodesAtScale: z.number().nullable(),
  portsPerNodeAtScale: z.number().nullable(),
  portsAvailable: z.number().nullable(),
  note: z.string(),
});

/** What `egress.snat.observe` saw on one translator. */
const observedSchema = z.looseObject({
  kind: z.string(),
  resourceId: z.string(),
  window: z.string(),
  failedConnections: z.number(),
  verdict: z.string(),
});

/** `snat` of a triage bundle: capacity per pool, and what each translator's metrics observed. */
export const triageSnatSchema = z.object({
  capacity: z.array(snatCapacitySchema),
  observed: z.array(observedSchema.nullable()),
});

/** The SNAT figures of one node pool: capacity by configuration, and what the metrics observed. */
export interface SnatRow {
  readonly pool: string;
  readonly via: string;
  readonly portsPerNodeAtScale: number | null;
  readonly nodesAtScale: number | null;
  readonly portsAvailable: number | null;
  readonly failedConnections: number | null;
  readonly window: string | null;
  readonly verdict: string;
}

/** The triage-only sections of a bundle (null when absent), and what did not parse. */
export interface TriageSections {
  readonly snat: readonly SnatRow[] | null;
  readonly problems: readonly string[];
}

/** Reads a triage bundle's `snat` into the SNAT section: per pool, capacity beside the failures observed. */
export function readTriageSections(bundle: EvidenceBundle, report: ReportSections): TriageSections {
  const problems: string[] = [];
  const snat = readSection("snat", triageSnatSchema, bundle.snat, problems);
  if (!snat) return { snat: null, problems };
  const observed = snat.observed.filter((entry) => entry !== null);
  const rows: SnatRow[] = snat.capacity
    .filter((row) => report.nodePools.length === 0 || report.nodePools.some((pool) => pool.name === row.pool))
    .map((row) => {
      const seen = observed.find(
        (entry) => row.resourceId !== null && entry.resourceId.toLowerCase() === row.resourceId.toLowerCase(),
      );
      return {
        pool: row.pool,
        via: row.via,
        portsPerNodeAtScale: row.portsPerNodeAtScale,
        nodesAtScale: row.nodesAtScale,
        portsAvailable: row.portsAvailable,
        failedConnections: seen ? seen.failedConnections : null,
        window: seen ? seen.window : null,
        verdict: seen ? seen.verdict : row.note,
      };
    });
  return { snat: rows.length > 0 ? rows : null, problems };
}
