import { excludeCidr, mergeCidr } from "cidr-tools";
import ipaddr from "ipaddr.js";

/** An IP family: 4 or 6. */
export type IpFamily = 4 | 6;

/** A range of addresses of one family, both ends included. */
export interface AddressRange {
  readonly family: IpFamily;
  readonly start: bigint;
  readonly end: bigint;
}

const bitsOf = (family: IpFamily): number => (family === 4 ? 32 : 128);

// Route tables repeat the same prefixes in every subnet and every run: parse each text once.
const parsed = new Map<string, AddressRange | null>();

/** The range a CIDR (or a single address) covers, or null when it is neither. */
export function rangeOf(cidr: string): AddressRange | null {
  const cached = parsed.get(cidr);
  if (cached !== undefined) return cached;
  const range = parseRange(cidr.trim());
  if (parsed.size > 10_000) parsed.clear();
  parsed.set(cidr, range);
  return range;
}

function parseRange(text: string): AddressRange | null {
  const [address = "", length, extra] = text.split("/");
  if (extra !== undefined || !ipaddr.isValid(address)) return null;
  if (length !== undefined && !/^\d{1,3}$/.test(length)) return null;
  const ip = ipaddr.parse(address);
  const family: IpFamily = ip.kind() === "ipv4" ? 4 : 6;
  const bits = bitsOf(family);
  const prefixLength = length === undefined ? bits : Number(length);
  if (prefixLength > bits) return null;
  const value = ip.toByteArray().reduce((total, byte) => (total << 8n) | BigInt(byte), 0n);
  const hostBits = BigInt(bits - prefixLength);
  const start = (value >> hostBits) << hostBits;
  return { family, start, end: start + (1n << hostBits) - 1n };
}

/** The family of an address or CIDR, or null. */
export function familyOf(cidr: string): IpFamily | null {
  return rangeOf(cidr)?.family ?? null;
}

/** Whether `range` contains `address` (same family). */
export function contains(range: AddressRange, address: AddressRange): boolean {
  return range.family === address.family && range.start <= address.start && address.end <= range.end;
}

/** Whether any of the CIDR prefixes holds the address (prefixes that do not parse hold nothing). */
export function inAnyPrefix(prefixes: readonly string[], address: AddressRange): boolean {
  return prefixes.some((prefix) => {
    const range = rangeOf(prefix);
    return range !== null && contains(range, address);
  });
}

/** How many addresses a range holds. */
export function sizeOf(range: AddressRange): bigint {
  return range.end - range.start + 1n;
}

/** The smallest set of CIDRs that covers exactly [start, end]. */
export function rangeToCidrs(range: AddressRange): string[] {
  const bits = bitsOf(range.family);
  const cidrs: string[] = [];
  let start = range.start;
  while (start <= range.end) {
    let size = 0;
    // Grow the block while it stays aligned on `start` and inside the range.
    while (
      size < bits &&
      (start & ((1n << BigInt(size + 1)) - 1n)) === 0n &&
      start + (1n << BigInt(size + 1)) - 1n <= range.end
    )
      size += 1;
    cidrs.push(`${formatAddress(start, range.family)}/${bits - size}`);
    start += 1n << BigInt(size);
  }
  return cidrs;
}

/** An address as text from its number. */
export function formatAddress(value: bigint, family: IpFamily): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join(".");
  const parts = Array.from({ length: 8 }, (_, index) => Number((value >> BigInt((7 - index) * 16)) & 0xffffn));
  return ipaddr.fromByteArray(parts.flatMap((part) => [part >> 8, part & 255])).toString();
}

/**
 * Address space that is not "the internet": private (RFC 1918), shared (RFC 6598), loopback,
 * link-local, this-network, benchmarking, multicast and reserved; for IPv6 the ULA, link-local,
 * multicast and documentation ranges. Routes for these decide where private traffic goes, never
 * which public IPs the world sees.
 */
export const nonInternet: Readonly<Record<IpFamily, readonly string[]>> = {
  4: [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "224.0.0.0/4",
    "240.0.0.0/4",
  ],
  6: ["::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8", "2001:db8::/32"],
};

/** The whole address space of a family. */
export const everything: Readonly<Record<IpFamily, string>> = { 4: "0.0.0.0/0", 6: "::/0" };

/** The public part of a set of CIDRs: what is left after taking out {@link nonInternet}, merged. */
export function publicPart(cidrs: readonly string[], family: IpFamily): string[] {
  if (cidrs.length === 0) return [];
  return mergeCidr(excludeCidr([...cidrs], [...nonInternet[family]]));
}

/** How many public addresses a set of CIDRs holds. */
export function publicSize(cidrs: readonly string[], family: IpFamily): bigint {
  return publicPart(cidrs, family).reduce(
    (total, cidr) => total + (rangeOf(cidr) ? sizeOf(rangeOf(cidr) as AddressRange) : 0n),
    0n,
  );
}

/** Ranges sorted and joined where they touch or overlap. */
export function joinRanges(ranges: readonly AddressRange[]): AddressRange[] {
  const sorted = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const joined: AddressRange[] = [];
  for (const range of sorted) {
    const last = joined[joined.length - 1];
    if (last && last.family === range.family && range.start <= last.end + 1n)
      joined[joined.length - 1] = { ...last, end: range.end > last.end ? range.end : last.end };
    else joined.push(range);
  }
  return joined;
}

/** The parts of `ranges` outside {@link nonInternet}: their public addresses, as ranges. */
export function publicRanges(ranges: readonly AddressRange[], family: IpFamily): AddressRange[] {
  const holes = joinRanges(
    nonInternet[family].map((cidr) => rangeOf(cidr)).filter((range): range is AddressRange => range !== null),
  );
  const result: AddressRange[] = [];
  for (const range of joinRanges(ranges)) {
    let start = range.start;
    for (const hole of holes) {
      if (hole.end < start || hole.start > range.end) continue;
      if (hole.start > start) result.push({ family, start, end: hole.start - 1n });
      start = hole.end + 1n;
      if (start > range.end) break;
    }
    if (start <= range.end) result.push({ family, start, end: range.end });
  }
  return result;
}
