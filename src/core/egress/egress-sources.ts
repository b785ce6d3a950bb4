import type { ClusterGraph } from "../azure/cluster-graph.js";
import { nameOfId as nameOf, resourceKey, sameResourceId } from "../azure/resource-id.js";
import { addressCidr, distinctCidrs } from "./source-cidrs.js";

/** Whether the public sources are known, unknown (with why), or none (no path: traffic is dropped). */
export interface SourcesState {
  readonly state: "known" | "unknown" | "none";
  readonly reason: string | null;
}

/** Sources as the bundle shows them: the list is empty unless the state is known. */
export interface Sources {
  readonly cidrs: readonly string[];
  readonly state: SourcesState;
}

/** Sources that are unknown for a reason: nothing may be computed from them. */
export const unknownSources = (reason: string): Sources => ({ cidrs: [], state: { state: "unknown", reason } });

/** No public source at all, because no path leaves. */
export const noSources = (reason: string): Sources => ({ cidrs: [], state: { state: "none", reason } });

/** Why a resource the path names is not in the graph: its failed read (status, role to grant), or that it was not read. */
export function whyMissing(graph: ClusterGraph, id: string): string {
  const problem = graph.problems.find((candidate) => sameResourceId(candidate.resourceId, id));
  if (!problem) return `${nameOf(id)} was not read`;
  // A refusal names the role and the scope to grant.
  return `${nameOf(id)} could not be read (${problem.code}): ${problem.message}${problem.remediation ? ` ${problem.remediation}` : ""}`;
}

/**
 * Collects the public addresses a path gives: each public IP's address (a `/32` or `/128`) and each
 * prefix whole. Anything that could not be read, or has no address allocated, makes the whole
 * answer unknown with the reason: a partial list handed to a partner is worse than none.
 */
export class SourceCollector {
  private readonly cidrs: string[] = [];
  private readonly unknown: string[] = [];

  constructor(private readonly graph: ClusterGraph) {}

  /** A public IP address resource by ID. */
  publicIp(id: string | null | undefined): this {
    if (!id) return this;
    const address = this.graph.publicIps.get(resourceKey(id));
    if (!address) this.unknown.push(whyMissing(this.graph, id));
    else if (!address.ipAddress) this.unknown.push(`public IP ${address.name} has no address allocated`);
    else {
      const cidr = addressCidr(address.ipAddress);
      if (cidr) this.cidrs.push(cidr);
    }
    return this;
  }

  /** A public IP prefix resource by ID (used whole, as NAT gateways and load balancers do). */
  prefix(id: string | null | undefined): this {
    if (!id) return this;
    const prefix = this.graph.publicIpPrefixes.get(resourceKey(id));
    if (!prefix) this.unknown.push(whyMissing(this.graph, id));
    else if (!prefix.ipPrefix) this.unknown.push(`public IP prefix ${prefix.name} has no range allocated`);
    else this.cidrs.push(prefix.ipPrefix);
    return this;
  }

  /** Literal addresses (a Virtual WAN hub firewall lists its public addresses itself). */
  addresses(addresses: readonly string[]): this {
    for (const address of addresses) {
      const cidr = addressCidr(address);
      if (cidr) this.cidrs.push(cidr);
    }
    return this;
  }

  /** Known when every source was read; unknown when any was not; none when nothing is attached. */
  result(nothingAttached: string): Sources {
    if (this.unknown.length > 0) return unknownSources(this.unknown.join("; "));
    const cidrs = distinctCidrs(this.cidrs);
    return cidrs.length > 0 ? { cidrs, state: { state: "known", reason: null } } : noSources(nothingAttached);
  }
}
