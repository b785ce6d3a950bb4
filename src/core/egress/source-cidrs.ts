import { containsCidr, mergeCidr } from "cidr-tools";
import ipaddr from "ipaddr.js";

/** An address as a CIDR: `/32` for IPv4, `/128` for IPv6; undefined when it is not an address. */
export function addressCidr(address: string | null | undefined): string | undefined {
  if (!address || !ipaddr.isValid(address)) return undefined;
  const parsed = ipaddr.parse(address);
  return `${parsed.toString()}/${parsed.kind() === "ipv4" ? 32 : 128}`;
}

/** The smallest list of CIDRs covering the given ones (adjacent and contained ranges merged), sorted. */
export function minimalCidrs(cidrs: readonly string[]): string[] {
  const valid = cidrs.filter((cidr) => {
    try {
      ipaddr.parseCIDR(cidr);
      return true;
    } catch {
      return false;
    }
  });
  return valid.length === 0 ? [] : mergeCidr(valid);
}

/** Distinct CIDRs, normalised and sorted, each address kept on its own (`/32`, `/128`): what a pool's sources are. */
export function distinctCidrs(cidrs: readonly (string | null | undefined)[]): string[] {
  const normalised = cidrs.flatMap((cidr) => {
    if (!cidr) return [];
    try {
      const [address, bits] = ipaddr.parseCIDR(cidr);
      return [`${address.toString()}/${bits}`];
    } catch {
      return [];
    }
  });
  return [...new Set(normalised)].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

/** True when `range` (a CIDR) contains `address` (an address or CIDR); false for anything malformed. */
export function rangeContains(range: string, address: string): boolean {
  try {
    return range.length > 0 && containsCidr(range, address);
  } catch {
    return false;
  }
}
