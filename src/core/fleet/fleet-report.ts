import { z } from "zod";
import { clusterIdentitySchema } from "../egress/report/egress-report.js";

/** One node pool of a fleet row: how its nodes (and pods, with a pod subnet) leave, and the sources. */
export const fleetPoolSchema = z.object({
  name: z.string(),
  mode: z.string().nullable(),
  kind: z.string(),
  snatBy: z.string(),
  /** The resource the internet sees (NAT gateway, load balancer, firewall), or null. */
  snatResourceId: z.string().nullable(),
  sourceCidrs: z.array(z.string()),
  sources: z.enum(["known", "unknown", "none"]),
  /** Why the sources are unknown or none. */
  reason: z.string().nullable(),
  nodeSubnetId: z.string().nullable(),
  podKind: z.string().nullable(),
  podSourceCidrs: z.array(z.string()).nullable(),
});

/** One cluster of the fleet. */
export const fleetClusterSchema = clusterIdentitySchema.extend({
  /** Why Resource Graph cannot answer this cluster's path (Virtual WAN routing): its pools are unknown. */
  needsFullRead: z.string().nullable(),
  /** What the answer could not see but stands without (BGP routes a gateway may add). */
  caveat: z.string().nullable(),
  pools: z.array(fleetPoolSchema),
});

/** `fleet`: every cluster of the searched subscriptions with its pools' egress and public sources. */
export const fleetSchema = z.looseObject({
  asOf: z.string(),
  subscriptions: z.array(z.string()),
  filter: z.object({ subscription: z.string().nullable(), outboundType: z.string().nullable() }),
  /** Resource Graph pages the inventory took (0 when it came from the cache). */
  resourceGraphPages: z.number(),
  clusters: z.array(fleetClusterSchema),
});

/** A fleet node pool. */
export type FleetPool = z.output<typeof fleetPoolSchema>;
/** A fleet cluster. */
export type FleetCluster = z.output<typeof fleetClusterSchema>;
/** The fleet result. */
export type FleetReport = z.output<typeof fleetSchema>;
