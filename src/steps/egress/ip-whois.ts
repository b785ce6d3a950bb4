import { z } from "zod";
import { whoisSchema } from "../../core/egress/report/result-sections.js";
import { tableObjects } from "../../core/azure/model.js";
import { parseResourceId } from "../../core/azure/resource-id.js";
import { checkIp } from "../../core/commands/value-syntax.js";
import { defineStep } from "../../core/engine/step-type.js";
import { rangeContains } from "../../core/egress/source-cidrs.js";
import { EgressError, ErrorCode, isEgressError } from "../../core/errors.js";

const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** Which AKS cluster a node-resource-group name (`MC_{rg}_{cluster}_{region}`) or tags point at. */
function clusterOf(resourceId: string, tags: unknown): { name: string; resourceGroup: string } | null {
  const record = (tags ?? {}) as Record<string, string>;
  if (record["aks-managed-cluster-name"])
    return { name: record["aks-managed-cluster-name"], resourceGroup: record["aks-managed-cluster-rg"] ?? "" };
  const group = parseResourceId(resourceId)?.resourceGroup ?? "";
  const match = /^MC_(.+)_([^_]+)_([^_]+)$/i.exec(group);
  return match ? { name: match[2] ?? "", resourceGroup: match[1] ?? "" } : null;
}

/** What kind of thing an IP configuration ID belongs to. */
function ownerKind(ipConfigurationId: string): string {
  const type = parseResourceId(ipConfigurationId)?.types[0]?.toLowerCase() ?? "";
  return (
    (
      {
        loadbalancers: "load balancer",
        azurefirewalls: "Azure Firewall",
        networkinterfaces: "network interface (instance-level public IP)",
        applicationgateways: "application gateway",
        bastionhosts: "Bastion host",
        virtualnetworkgateways: "virtual network gateway",
      } as Record<string, string>
    )[type] ?? type
  );
}

/** Names the owner of a public IP: a public IP resource (and what it is attached to), a prefix it falls in, or a Virtual WAN hub firewall. */
export const ipWhois = defineStep({
  type: "egress.ip.whois",
  summary: "Find which public IP resource, prefix, NAT gateway, load balancer or firewall owns an address.",
  access: "read",
  params: z.strictObject({ ip: z.string().min(2).max(64) }),
  outputs: z.object({ whois: whoisSchema }),
  defaults: { timeoutInMs: 30_000, attempts: 2 },
  async run(params, context) {
    const checked = checkIp(params.ip);
    if (!checked.ok) throw new EgressError(ErrorCode.InputInvalid, `"${params.ip}" is not an IP address.`);
    const ip = checked.value;
    const signal = { abortSignal: context.abortSignal };
    const [addresses, prefixes, firewalls] = await Promise.all([
      context.azure.queryResourceGraph({ name: "publicIpsByAddress", parameters: { ip } }, signal),
      context.azure.queryResourceGraph({ name: "publicIpPrefixes", parameters: {} }, signal),
      context.azure.queryResourceGraph({ name: "azureFirewalls", parameters: {} }, signal),
    ]);
    const ids = [addresses, prefixes, firewalls].map((read) =>
      context.record({
        summary: `Resource Graph: ${read.source.query?.split("\n")[1]?.replace("| where type =~ ", "") ?? "query"}`,
        data: read.value,
        source: read.source,
      }),
    );
    const matches: z.input<typeof whoisSchema>["matches"] = [];
    for (const row of tableObjects(addresses.value)) {
      const owner = text(row.owner);
      const natGateway = text(row.natGateway);
      const attachedTo = natGateway
        ? { type: "NAT gateway", id: natGateway }
        : owner
          ? { type: ownerKind(owner), id: owner.split("/").slice(0, 9).join("/") }
          : null;
      matches.push({
        kind: "publicIpAddress",
        resourceId: text(row.id),
        name: text(row.name),
        sku: row.sku,
        allocation: row.allocation,
        attachedTo,
        cluster: clusterOf(text(row.id), row.tags),
        evidenceIds: [ids[0]],
      });
    }
    for (const row of tableObjects(prefixes.value)) {
      const prefix = text(row.ipPrefix);
      if (rangeContains(prefix, ip))
        matches.push({
          kind: "publicIpPrefix",
          resourceId: text(row.id),
          name: text(row.name),
          prefix,
          attachedTo: text(row.natGateway)
            ? { type: "NAT gateway", id: text(row.natGateway) }
            : text(row.loadBalancerFrontend)
              ? { type: "load balancer", id: text(row.loadBalancerFrontend).split("/").slice(0, 9).join("/") }
              : null,
          cluster: null,
          evidenceIds: [ids[1]],
        });
    }
    for (const row of tableObjects(firewalls.value)) {
      const hub = (row.hubIPAddresses ?? {}) as { publicIPs?: { addresses?: { address?: string }[] } };
      if ((hub.publicIPs?.addresses ?? []).some((entry) => entry.address === ip))
        matches.push({
          kind: "virtualWanHubFirewall",
          resourceId: text(row.id),
          name: text(row.name),
          attachedTo: null,
          cluster: null,
          evidenceIds: [ids[2]],
        });
    }
    const unread = await addClustersBehindNatGateways(context, matches, signal, (id) => ids.push(id));
    const note =
      unread.length > 0
        ? `Could not find the clusters behind ${unread.join("; ")}.`
        : matches.length === 0
          ? `No public IP resource, prefix or Virtual WAN hub firewall in the searched subscriptions has ${ip}. Node-level public IPs of VM scale sets are not listed by Resource Graph.`
          : null;
    return { outputs: { whois: { ip, matches, note } } };
  },
});

type WhoisMatch = z.input<typeof whoisSchema>["matches"][number];

/**
 * Completes the owner chain of addresses a NAT gateway translates: the gateway's subnets, and the AKS
 * clusters and node pools in them (Resource Graph, matched exactly per pool). A read that fails
 * leaves the chain where it was.
 */
async function addClustersBehindNatGateways(
  context: Parameters<(typeof ipWhois)["run"]>[1],
  matches: WhoisMatch[],
  signal: { abortSignal?: AbortSignal },
  onEvidence: (id: string) => void,
): Promise<string[]> {
  const unread: string[] = [];
  const gateways = [
    ...new Set(
      matches
        .filter((match) => match.attachedTo?.type === "NAT gateway" && !match.cluster)
        .map((match) => match.attachedTo?.id ?? ""),
    ),
  ].filter((id) => id.length > 0);
  for (const gatewayId of gateways) {
    try {
      const gateway = await context.azure.getNatGateway(gatewayId, signal);
      if (gateway.value.subnetIds.length === 0) continue;
      const found = await context.azure.queryResourceGraph(
        { name: "clustersBySubnets", parameters: { subnetIds: gateway.value.subnetIds } },
        signal,
      );
      onEvidence(
        context.record({
          summary: `Resource Graph: clusters in the subnets of ${gateway.value.name}`,
          data: found.value,
          source: found.source,
        }),
      );
      const subnets = new Set(gateway.value.subnetIds.map((id) => id.toLowerCase()));
      const clusters = tableObjects(found.value).flatMap((row) => {
        const profiles = Array.isArray(row.agentPoolProfiles)
          ? (row.agentPoolProfiles as { name?: string; vnetSubnetID?: string; podSubnetID?: string }[])
          : [];
        const pools = profiles
          .filter((pool) =>
            [pool.vnetSubnetID, pool.podSubnetID].some((id) => id !== undefined && subnets.has(id.toLowerCase())),
          )
          .map((pool) => pool.name ?? "");
        return pools.length > 0 ? [{ name: text(row.name), resourceGroup: text(row.resourceGroup), pools }] : [];
      });
      for (const match of matches) {
        if (match.attachedTo?.id.toLowerCase() !== gatewayId.toLowerCase() || match.cluster) continue;
        match.cluster = clusters[0] ?? null;
      }
    } catch (error) {
      if (!isEgressError(error) || error.code === "RUN_CANCELLED") throw error;
      // Unknown, not none: the chain stops at the NAT gateway and the note says why.
      unread.push(
        `${gatewayId.split("/").pop() ?? gatewayId} (${error.code}: ${error.message}${error.remediation ? ` ${error.remediation}` : ""})`,
      );
    }
  }
  return unread;
}
