import type { ReportNodePool } from "../egress/report/egress-report.js";

/** One hop of a node pool's egress path, for text and the path picture. */
export interface PathHop {
  readonly role:
    | "subnet"
    | "routeTable"
    | "firewall"
    | "appliance"
    | "natGateway"
    | "loadBalancer"
    | "gateway"
    | "resource"
    | "publicIps"
    | "unknown"
    | "dropped";
  readonly label: string;
  /** A second line: the next-hop address, the reason a source is unknown, … */
  readonly note: string | null;
}

/** How one node pool leaves, as every view shows it. */
export interface PoolPath {
  readonly name: string;
  /** `System` or `User`, when known. */
  readonly mode: string | null;
  /** Node count, or `count-max` with autoscaling. */
  readonly nodes: string;
  readonly kind: string;
  /** Who translates: `natGateway ng-egress`, `azureFirewall afw-hub`, `unknown`. */
  readonly snatBy: string;
  readonly sources: {
    readonly state: "known" | "unknown" | "none";
    readonly cidrs: readonly string[];
    readonly reason: string | null;
  };
  /** Which routes the answer rests on: "configured routes", or "effective routes of <nic>". */
  readonly routes: string;
  /** Subnet → route table → next hop(s) → public IPs, or unknown, or dropped. */
  readonly hops: readonly PathHop[];
  readonly matchesOutboundType: boolean;
  /** The pods' own path when they leave from another subnet, in a line; null otherwise. */
  readonly pods: string | null;
}

const last = (id: string): string => id.split("/").pop() ?? id;
const roleOf = (id: string): PathHop["role"] => {
  const type = id.toLowerCase();
  if (type.includes("/subnets/")) return "subnet";
  if (type.includes("/routetables/")) return "routeTable";
  if (type.includes("/azurefirewalls/")) return "firewall";
  if (type.includes("/natgateways/")) return "natGateway";
  if (type.includes("/loadbalancers/"))
    return type.endsWith("/loadbalancers/kubernetes") ? "loadBalancer" : "appliance";
  if (type.includes("/networkinterfaces/")) return "appliance";
  if (type.includes("/virtualnetworkgateways/")) return "gateway";
  return "resource";
};

/** The sources of a pool in words: the CIDRs, or what is unknown and why, or that there is no path. */
export function describeSources(sources: PoolPath["sources"]): string {
  if (sources.state === "known") return sources.cidrs.join(" ");
  if (sources.state === "none") return `none (${sources.reason ?? "no path"})`;
  return `unknown (${sources.reason ?? "not said"})`;
}

/** Which routes an answer rests on, in words every view uses. */
function routeBasisOf(egress: { routeBasis: string; effectiveRoutesOf: string | null }): string {
  return egress.routeBasis === "effective" && egress.effectiveRoutesOf
    ? `effective routes of ${last(egress.effectiveRoutesOf)}`
    : "configured routes";
}

/** A node pool of the report as a path: its hops in the order the packet crosses them, and where it ends. */
export function pathOf(pool: ReportNodePool): PoolPath {
  const { egress } = pool;
  const hops: PathHop[] = egress.via.map((id) => ({
    role: roleOf(id),
    label: last(id),
    // The next hop belongs to the subnet's own route table, not to one further along (a firewall's).
    note:
      egress.routeTableId !== null && id.toLowerCase() === egress.routeTableId.toLowerCase() && egress.nextHopIp
        ? `next hop ${egress.nextHopIp}`
        : null,
  }));
  if (egress.kind === "virtualNetworkGateway" && !hops.some((hop) => hop.role === "gateway"))
    hops.push({ role: "gateway", label: "virtual network gateway", note: null });
  const shown = pool.sourceCidrs.slice(0, 4).join(", ") + (pool.sourceCidrs.length > 4 ? ", …" : "");
  hops.push(
    pool.sources.state === "known"
      ? { role: "publicIps", label: shown, note: `${pool.sourceCidrs.length} public source(s)` }
      : pool.sources.state === "none"
        ? { role: "dropped", label: "dropped", note: pool.sources.reason }
        : { role: "unknown", label: "unknown", note: pool.sources.reason },
  );
  const snatResource = egress.snatBy.resourceId;
  return {
    name: pool.name,
    mode: pool.mode,
    nodes: pool.maxCount ? `${pool.count ?? 0}-${pool.maxCount}` : String(pool.count ?? ""),
    kind: egress.kind,
    snatBy: snatResource ? `${egress.snatBy.type} ${last(snatResource)}` : egress.snatBy.type,
    sources: { state: pool.sources.state, cidrs: pool.sourceCidrs, reason: pool.sources.reason },
    routes: routeBasisOf(egress),
    hops,
    matchesOutboundType: pool.matchesOutboundType,
    pods: pool.podEgress
      ? `${pool.podEgress.kind}${pool.podSourceCidrs && pool.podSourceCidrs.length > 0 ? ` ${pool.podSourceCidrs.join(" ")}` : ""}`
      : null,
  };
}
