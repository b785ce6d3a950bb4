import { z } from "zod";
import { whoisSchema } from "../../core/egress/report/result-sections.js";
import { parseResourceId } from "../../core/azure/resource-id.js";
import { checkIp } from "../../core/commands/value-syntax.js";
import { defineStep } from "../../core/engine/step-type.js";
import { EgressError, ErrorCode } from "../../core/errors.js";
import { holdersOfAddress, usersOfAddress, type AddressUser } from "../../core/fleet/address-users.js";
import { resolvedFleetOf } from "../../core/fleet/resolve-fleet.js";

/** Which AKS cluster a node-resource-group name (`MC_{rg}_{cluster}_{region}`) or tags point at. */
function clusterByNaming(resourceId: string, tags: Readonly<Record<string, string>> | undefined) {
  const record = tags ?? {};
  if (record["aks-managed-cluster-name"])
    return { name: record["aks-managed-cluster-name"], resourceGroup: record["aks-managed-cluster-rg"] ?? "" };
  const group = parseResourceId(resourceId)?.resourceGroup ?? "";
  const match = /^MC_(.+)_([^_]+)_([^_]+)$/i.exec(group);
  return match ? { name: match[2] ?? "", resourceGroup: match[1] ?? "" } : null;
}

const clusterOf = (user: AddressUser) => ({ name: user.name, resourceGroup: user.resourceGroup, pools: user.pools });

/**
 * Names who holds a public IP (a public IP resource and what it is attached to, a prefix it falls in,
 * a Virtual WAN hub firewall) and every cluster and node pool whose egress uses it: through a NAT
 * gateway and its subnets, a load balancer, a firewall and the spokes routed to it, node public IP
 * prefixes. Answered from the fleet inventory (one paged Resource Graph query, cached), resolved by the
 * resolver `show cluster` runs, so "uses" means the path really leaves through it.
 */
export const ipWhois = defineStep({
  type: "egress.ip.whois",
  summary: "Find who holds a public IP and which clusters and node pools leave through it.",
  access: "read",
  params: z.strictObject({ ip: z.string().min(2).max(64) }),
  outputs: z.object({ whois: whoisSchema }),
  defaults: { timeoutInMs: 60_000, attempts: 2 },
  async run(params, context) {
    const checked = checkIp(params.ip);
    if (!checked.ok) throw new EgressError(ErrorCode.InputInvalid, `"${params.ip}" is not an IP address.`);
    const ip = checked.value;
    const read = await context.azure.readEgressInventory({ abortSignal: context.abortSignal });
    const evidenceId = context.record({
      summary: `Resource Graph inventory: ${read.value.publicIps.length} public IP(s), ${read.value.publicIpPrefixes.length} prefix(es), ${read.value.firewalls.length} firewall(s), ${read.value.clusters.length} cluster(s)`,
      data: { pages: read.value.pages, clusters: read.value.clusters.length },
      source: read.source,
    });
    const holders = holdersOfAddress(read.value, ip);
    const fleet = holders.length > 0 ? await resolvedFleetOf(read, context.azure.simulated) : [];
    const users = usersOfAddress(fleet, ip, holders);
    const matches = holders.map((holder) => {
      const certain = users.filter((user) => user.certain);
      const named = holder.kind === "publicIpAddress" ? clusterByNaming(holder.resourceId, holder.tags) : null;
      return {
        kind: holder.kind,
        resourceId: holder.resourceId,
        name: holder.name,
        ...(holder.prefix ? { prefix: holder.prefix } : {}),
        ...(holder.sku !== undefined ? { sku: holder.sku } : {}),
        ...(holder.allocation !== undefined ? { allocation: holder.allocation } : {}),
        attachedTo: holder.attachedTo ? { ...holder.attachedTo } : null,
        // The first cluster that certainly uses it (kept for runbooks that follow one cluster).
        cluster: certain[0] ? clusterOf(certain[0]) : named,
        usedBy: users.map((user) => ({ ...user })),
        evidenceIds: [evidenceId],
      };
    });
    const maybe = users.filter((user) => !user.certain);
    const note =
      holders.length === 0
        ? `No public IP resource, prefix or Virtual WAN hub firewall in the searched subscriptions has ${ip}. Node-level public IPs of VM scale sets are not listed by Resource Graph.`
        : maybe.length > 0
          ? `${maybe.map((user) => `${user.resourceGroup}/${user.name}`).join(", ")} may also leave through it: ${maybe[0]?.reason ?? "its sources are unknown"}`
          : users.length === 0
            ? `No cluster in the searched subscriptions leaves through ${ip}.`
            : null;
    return { outputs: { whois: { ip, asOf: read.asOf, matches, note } } };
  },
});
