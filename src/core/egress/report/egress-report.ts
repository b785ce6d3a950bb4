import { z } from "zod";
import { egressKinds, snatByTypes } from "../egress-model.js";

/**
 * The resolved egress report as the bundle carries it (`cluster`, `nodePools`, `proofSet`): one
 * schema, the `egress.cluster.show` step's declared output and the type every view reads through
 * {@link readSections}. Fields added after the first release have defaults, so older bundles still
 * read.
 */
export const egressSchema = z.object({
  kind: z.enum(egressKinds),
  snatBy: z.object({ type: z.enum(snatByTypes), resourceId: z.string().nullable() }),
  via: z.array(z.string()),
  routeTableId: z.string().nullable(),
  nextHopIp: z.string().nullable(),
  routeBasis: z.enum(["configured", "effective"]).default("configured"),
  effectiveRoutesOf: z.string().nullable().default(null),
});

/** Known, unknown (with why) or none (no path). */
export const sourcesStateSchema = z.object({
  state: z.enum(["known", "unknown", "none"]),
  reason: z.string().nullable(),
});

const destinationRouteSchema = z.union([
  z.object({
    destination: z.string(),
    prefix: z.string(),
    nextHopType: z.string(),
    nextHopIps: z.array(z.string()),
    origin: z.enum(["user", "bgp", "system"]),
    route: z.string(),
  }),
  z.object({ destination: z.string(), unknown: z.string() }),
]);

/** A bundle written before `sources` existed: known when it lists sources, else not said. */
const olderSources = (pool: unknown): unknown => {
  if (pool === null || typeof pool !== "object" || "sources" in pool) return pool;
  const cidrs = (pool as { sourceCidrs?: unknown }).sourceCidrs;
  const known = Array.isArray(cidrs) && cidrs.length > 0;
  return {
    ...pool,
    sources: known ? { state: "known", reason: null } : { state: "unknown", reason: "not said by this older bundle" },
  };
};

/** One node pool's resolved egress. */
export const nodePoolSchema = z.preprocess(
  olderSources,
  z.object({
    name: z.string(),
    mode: z.string().nullable(),
    count: z.number().nullable(),
    maxCount: z.number().nullable(),
    nodeSubnetId: z.string().nullable(),
    podSubnetId: z.string().nullable(),
    egress: egressSchema,
    sourceCidrs: z.array(z.string()),
    sources: sourcesStateSchema,
    matchesOutboundType: z.boolean(),
    podEgress: egressSchema.nullable(),
    podSourceCidrs: z.array(z.string()).nullable(),
    podSources: sourcesStateSchema.nullable().default(null),
    destinationRoute: destinationRouteSchema.optional(),
  }),
);

/** Which cluster: where it is and how it declares its egress (the report's and the fleet's rows). */
export const clusterIdentitySchema = z.object({
  id: z.string(),
  name: z.string(),
  resourceGroup: z.string(),
  subscriptionId: z.string(),
  location: z.string(),
  outboundType: z.string(),
});

/** The identity fields of a cluster, for {@link clusterIdentitySchema}. */
export const clusterIdentityOf = (
  cluster: z.input<typeof clusterIdentitySchema>,
): z.output<typeof clusterIdentitySchema> => ({
  id: cluster.id,
  name: cluster.name,
  resourceGroup: cluster.resourceGroup,
  subscriptionId: cluster.subscriptionId,
  location: cluster.location,
  outboundType: cluster.outboundType,
});

/** The cluster the report is about. */
export const clusterSchema = clusterIdentitySchema.extend({
  privateCluster: z.boolean(),
  authorizedIpRanges: z.array(z.string()),
});

/** One item of the minimum proof set. */
export const proofItemSchema = z.object({
  status: z.enum(["collected", "missing", "failed", "notApplicable"]),
  summary: z.string(),
  evidenceIds: z.array(z.string()),
});

/** The five proof items. */
export const proofSetSchema = z.object({
  outboundType: proofItemSchema,
  egressAddress: proofItemSchema,
  routeTable: proofItemSchema,
  dns: proofItemSchema,
  destinationLogs: proofItemSchema,
});

/** Types of the report's sections, inferred from the schemas. */
export type ReportNodePool = z.output<typeof nodePoolSchema>;
export type ReportCluster = z.output<typeof clusterSchema>;
export type ReportProofSet = z.output<typeof proofSetSchema>;
export type ReportSourcesState = z.output<typeof sourcesStateSchema>;
