import { z } from "zod";
import { defineStep } from "../../core/engine/step-type.js";
import { EgressError, ErrorCode } from "../../core/errors.js";
import { fleetSchema } from "../../core/fleet/fleet-report.js";
import { inFleetFilter, resolvedFleetOf } from "../../core/fleet/resolve-fleet.js";

/**
 * The fleet egress inventory: every AKS cluster of the configured subscriptions with, per node pool,
 * its egress kind and public sources, from one paged Resource Graph query resolved by the resolver
 * `show cluster` runs. The evidence names the query and what it returned, not every row (a fleet's
 * rows would dwarf the bundle; `show cluster` keeps a cluster's).
 */
export const fleetInventory = defineStep({
  type: "egress.fleet.inventory",
  summary: "Every cluster's egress per node pool, from one Resource Graph inventory.",
  access: "read",
  params: z.strictObject({
    subscription: z
      .union([z.literal(""), z.string().regex(/^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$/)])
      .default("")
      .describe("Only this subscription (one of the configured ones); empty for all"),
    outboundType: z.string().max(64).default("").describe("Only clusters with this outbound type; empty for all"),
  }),
  outputs: z.object({ fleet: fleetSchema }),
  defaults: { timeoutInMs: 120_000, attempts: 2 },
  async run(params, context) {
    const before = await context.azure.readEgressInventory({ abortSignal: context.abortSignal });
    const inventory = before.value;
    const searched = [...new Set(inventory.clusters.map((cluster) => cluster.subscriptionId.toLowerCase()))];
    if (params.subscription && !searched.includes(params.subscription.toLowerCase()) && inventory.clusters.length > 0)
      throw new EgressError(
        ErrorCode.InputInvalid,
        `No cluster of subscription ${params.subscription} is in the inventory: it has none, it is not one of the searched subscriptions, or the bot may not read it.`,
        { remediation: "Add it to EGRESS_SUBSCRIPTIONS and grant the bot Reader on it." },
      );
    // The whole fleet's resolution is shared with whois and the drift watch (one per inventory read).
    const filter = { subscription: params.subscription || null, outboundType: params.outboundType || null };
    const resolved = (await resolvedFleetOf(before, context.azure.simulated)).filter(({ graph }) =>
      inFleetFilter(graph.cluster, filter),
    );
    const counts = new Map<string, number>();
    for (const cluster of inventory.clusters)
      counts.set(cluster.subscriptionId, (counts.get(cluster.subscriptionId) ?? 0) + 1);
    context.record({
      summary: `Resource Graph inventory: ${inventory.clusters.length} cluster(s), ${inventory.virtualNetworks.length} VNet(s), ${inventory.natGateways.length} NAT gateway(s), ${inventory.loadBalancers.length} load balancer(s), ${inventory.firewalls.length} firewall(s), ${inventory.publicIps.length} public IP(s), ${inventory.publicIpPrefixes.length} prefix(es) in ${inventory.pages} page(s)`,
      data: { clustersBySubscription: Object.fromEntries(counts), pages: inventory.pages },
      source: before.source,
    });
    return {
      outputs: {
        fleet: {
          asOf: before.asOf,
          subscriptions: [...counts.keys()].sort(),
          filter,
          resourceGraphPages: inventory.pages,
          clusters: resolved.map((cluster) => cluster.row),
        },
      },
    };
  },
});
