import { readResultSections } from "../egress/report/result-sections.js";
import { readSections } from "../egress/report/sections.js";
import type { EvidenceBundle, RequestedBy } from "../evidence/bundle.js";
import { partnerKeyOf, type PartnerHandover } from "./partner-handover.js";

/** A handover to record, or why the list may not be recorded as handed over. */
export type HandoverDecision =
  | { readonly ok: true; readonly handover: PartnerHandover; readonly unstable: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/**
 * The handover a `source-ips` bundle stands for, or why it cannot be one: only a list read whole
 * (the run succeeded, every pool's sources known, at least one CIDR) is recorded, since a partner
 * allowlisting part of the sources would see the rest fail. Unstable addresses are recorded and
 * named: the person handing them over decides. Pure.
 */
export function handoverOfBundle(
  bundle: EvidenceBundle,
  partner: string,
  handedBy: Pick<RequestedBy, "platform" | "user">,
  id: string,
): HandoverDecision {
  const report = readSections(bundle);
  const sourceIps = readResultSections(bundle).sourceIps;
  if (bundle.status !== "succeeded")
    return { ok: false, reason: `the run ${bundle.status}: a list that could not be read whole is not recorded.` };
  if (!report.cluster || !sourceIps) return { ok: false, reason: "the run has no source list to record." };
  const unknown = report.nodePools.filter((pool) => pool.sources.state !== "known");
  if (unknown.length > 0)
    return {
      ok: false,
      reason: `the sources of ${unknown.map((pool) => `${pool.name} (${pool.sources.state}${pool.sources.reason ? `: ${pool.sources.reason}` : ""})`).join(", ")} are not known: a partner's allowlist must hold every source.`,
    };
  if (sourceIps.cidrs.length === 0) return { ok: false, reason: "the cluster has no public source to hand over." };
  return {
    ok: true,
    unstable: sourceIps.addresses.filter((address) => address.grade !== "stable").map((address) => address.cidr),
    handover: {
      id,
      partner: partner.trim(),
      partnerKey: partnerKeyOf(partner),
      clusterId: report.cluster.id,
      clusterName: report.cluster.name,
      resourceGroup: report.cluster.resourceGroup,
      subscriptionId: report.cluster.subscriptionId,
      cidrs: [...sourceIps.cidrs],
      addresses: sourceIps.addresses.map((address) => ({
        cidr: address.cidr,
        grade: address.grade,
        reason: address.reason,
        from: `${address.resourceName ?? "?"} (${address.via})`,
      })),
      nodePools: [...report.nodePools],
      handedBy: { platform: handedBy.platform, user: handedBy.user },
      handedAt: bundle.finishedAt,
      bundleDigest: bundle.digest,
      runId: bundle.runId,
      simulated: bundle.simulated,
    },
  };
}
