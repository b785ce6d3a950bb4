import { readResultSections, toCsv, type EvidenceBundle } from "../../src/index.js";

/** `source-ips` as CSV: one row per address, quoted where needed. */
export function formatSourceIpsCsv(bundle: EvidenceBundle): string | undefined {
  const sourceIps = readResultSections(bundle).sourceIps;
  if (!sourceIps) return undefined;
  return toCsv(
    ["cidr", "grade", "resource", "via", "pools", "reason", "as_of"],
    sourceIps.addresses.map((address) => [
      address.cidr,
      address.grade,
      address.resourceName ?? "",
      address.via,
      address.pools.join(" "),
      address.reason,
      sourceIps.asOf,
    ]),
  );
}
