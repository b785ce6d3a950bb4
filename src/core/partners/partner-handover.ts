import type { RequestedBy } from "../evidence/bundle.js";

/** One address of a handover, with the grade it had when handed over and why. */
export interface HandedAddress {
  readonly cidr: string;
  readonly grade: string;
  readonly reason: string;
  readonly from: string;
}

/**
 * What was handed to a partner for one cluster: the CIDRs they were told to allowlist, who handed
 * them over and when, and the digest of the evidence bundle they came from. The latest per partner
 * and cluster is what the partner allowlists now; older ones are its history.
 */
export interface PartnerHandover {
  readonly id: string;
  /** The partner's name as written. */
  readonly partner: string;
  /** The name compared: lower case, spaces collapsed. */
  readonly partnerKey: string;
  readonly clusterId: string;
  readonly clusterName: string;
  readonly resourceGroup: string;
  readonly subscriptionId: string;
  readonly cidrs: readonly string[];
  readonly addresses: readonly HandedAddress[];
  /** The node pools' paths as the bundle had them (the onboarding document's picture). */
  readonly nodePools: readonly unknown[];
  readonly handedBy: Pick<RequestedBy, "platform" | "user">;
  readonly handedAt: string;
  readonly bundleDigest: string;
  readonly runId: string;
  readonly simulated: boolean;
}

/** A partner's name as compared: trimmed, lower case, inner spaces collapsed. */
export const partnerKeyOf = (name: string): string => name.trim().replace(/\s+/g, " ").toLowerCase();

/** The handovers that stand: the latest per partner and cluster (the list is newest first). */
export function standingHandovers(handovers: readonly PartnerHandover[]): PartnerHandover[] {
  const seen = new Set<string>();
  return handovers.filter((handover) => {
    const key = `${handover.partnerKey}|${handover.clusterId.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
