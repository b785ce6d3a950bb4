import type { ClusterGraph } from "../azure/cluster-graph.js";
import type { NodePoolEgress } from "./egress-model.js";
import { addressCidr } from "./source-cidrs.js";

/** How safe an address is to hand to a partner. */
export type StabilityGrade = "stable" | "managed" | "unstable" | "unknown";

/** One public source range with where it comes from and how stable it is. */
export interface SourceAddress {
  readonly cidr: string;
  readonly grade: StabilityGrade;
  readonly reason: string;
  /** The resource that owns the address: a public IP, a prefix, or a hub firewall. */
  readonly resourceId: string | null;
  readonly resourceName: string | null;
  /** What sends traffic from it: the NAT gateway, load balancer or firewall. */
  readonly via: string;
  readonly pools: readonly string[];
}

/**
 * Each public source of the cluster with its provenance and a stability grade: Standard static public
 * IPs and prefixes you own are `stable`; AKS-managed load balancer IPs are `managed` (they change when
 * the managed IP count changes or the cluster is recreated); Basic or dynamic IPs are `unstable`.
 */
export function describeSourceAddresses(graph: ClusterGraph, pools: readonly NodePoolEgress[]): SourceAddress[] {
  const byCidr = new Map<string, SourceAddress>();
  const add = (entry: Omit<SourceAddress, "pools">, pool: string): void => {
    const existing = byCidr.get(entry.cidr);
    byCidr.set(entry.cidr, { ...entry, pools: [...new Set([...(existing?.pools ?? []), pool])] });
  };
  for (const pool of pools) {
    const via = pool.egress.snatBy.resourceId
      ? `${pool.egress.snatBy.type} ${pool.egress.snatBy.resourceId.split("/").pop() ?? ""}`
      : pool.egress.snatBy.type;
    for (const cidr of pool.sourceCidrs) {
      const ip = [...graph.publicIps.values()].find((candidate) => addressCidr(candidate.ipAddress) === cidr);
      const prefix = [...graph.publicIpPrefixes.values()].find((candidate) => candidate.ipPrefix === cidr);
      const hub = [...graph.firewalls.values()].find((firewall) =>
        firewall.hubPublicIpAddresses.some((address) => addressCidr(address) === cidr),
      );
      if (ip) {
        const managed = Object.entries(ip.tags).some(
          ([key, value]) => /^(aks-managed-type|type)$/i.test(key) && /managed-outbound-ip/i.test(value),
        );
        const unstable =
          (ip.sku ?? "").toLowerCase() === "basic" || (ip.allocationMethod ?? "").toLowerCase() === "dynamic";
        add(
          {
            cidr,
            grade: unstable ? "unstable" : managed ? "managed" : "stable",
            reason: unstable
              ? `${ip.sku ?? "?"} SKU, ${ip.allocationMethod ?? "?"} allocation`
              : managed
                ? "AKS-managed outbound IP: it changes when the managed IP count changes or the cluster is recreated"
                : `${ip.sku ?? "Standard"} SKU, static`,
            resourceId: ip.id,
            resourceName: ip.name,
            via,
          },
          pool.name,
        );
      } else if (prefix) {
        add(
          {
            cidr,
            grade: "stable",
            reason: `public IP prefix /${prefix.prefixLength ?? "?"} (${prefix.sku ?? "Standard"})`,
            resourceId: prefix.id,
            resourceName: prefix.name,
            via,
          },
          pool.name,
        );
      } else if (hub) {
        add(
          {
            cidr,
            grade: "stable",
            reason: "Virtual WAN hub firewall public IP (static while the hub firewall's IP count is unchanged)",
            resourceId: hub.id,
            resourceName: hub.name,
            via,
          },
          pool.name,
        );
      } else {
        add(
          {
            cidr,
            grade: "unknown",
            reason: "the owning resource was not read",
            resourceId: null,
            resourceName: null,
            via,
          },
          pool.name,
        );
      }
    }
  }
  return [...byCidr.values()].sort((a, b) => a.cidr.localeCompare(b.cidr, "en", { numeric: true }));
}
