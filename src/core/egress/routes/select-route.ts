import {
  contains,
  everything,
  inAnyPrefix,
  nonInternet,
  publicRanges,
  rangeOf,
  rangeToCidrs,
  sizeOf,
  type AddressRange,
  type IpFamily,
} from "./address-ranges.js";
import type { EvaluatedRoute, NextHopType, RouteOrigin } from "./route-set.js";

// Learn, "Virtual network traffic routing" → "How Azure selects a route": the longest prefix wins;
// for the same prefix a user route beats BGP, and BGP beats a system route.
const originRank: Readonly<Record<RouteOrigin, number>> = { user: 3, bgp: 2, system: 1 };
const prefixLength = (route: EvaluatedRoute): number =>
  Number(route.prefix.split("/")[1] ?? (route.range.family === 4 ? 32 : 128));

/** The better of two routes that both cover a destination. */
function better(a: EvaluatedRoute, b: EvaluatedRoute): EvaluatedRoute {
  const lengthA = prefixLength(a);
  const lengthB = prefixLength(b);
  if (lengthA !== lengthB) return lengthA > lengthB ? a : b;
  return originRank[a.origin] >= originRank[b.origin] ? a : b;
}

/** The route Azure selects for one destination address, or null when none covers it. */
export function selectRoute(routes: readonly EvaluatedRoute[], destination: string): EvaluatedRoute | null {
  const target = rangeOf(destination);
  if (!target) return null;
  let chosen: EvaluatedRoute | null = null;
  for (const route of routes) if (contains(route.range, target)) chosen = chosen ? better(chosen, route) : route;
  return chosen;
}

/** One way out to the internet, and which part of the public address space takes it. */
export interface InternetPath {
  readonly nextHopType: NextHopType;
  readonly nextHopIps: readonly string[];
  /** The routes selected for some public destination along this path. */
  readonly routes: readonly EvaluatedRoute[];
  /** The public destinations that take this path, as CIDRs. */
  readonly destinations: readonly string[];
  /** The share of public addresses of the family that take this path (0 to 1). */
  readonly share: number;
}

/**
 * How a subnet reaches "the internet" (every public address of a family), by longest prefix match
 * over the whole route set: the address space is cut at every route's edges, each piece gets the
 * route Azure would select, and pieces that leave the same way are joined. One path is the usual
 * answer; split routes (`0.0.0.0/1` + `128.0.0.0/1`) are one path too when they share a next hop;
 * several paths mean different parts of the internet leave differently. Largest share first.
 */
export function internetPaths(routes: readonly EvaluatedRoute[], family: IpFamily): InternetPath[] {
  const ofFamily = routes.filter((route) => route.range.family === family);
  const whole = rangeOf(everything[family]);
  if (!whole || ofFamily.length === 0) return [];
  const edgeSet = new Set<bigint>([whole.start]);
  for (const route of ofFamily) {
    edgeSet.add(route.range.start);
    if (route.range.end < whole.end) edgeSet.add(route.range.end + 1n);
  }
  const edges = [...edgeSet].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const indexOf = (value: bigint): number => {
    let low = 0;
    let high = edges.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((edges[middle] as bigint) <= value) low = middle;
      else high = middle - 1;
    }
    return low;
  };
  // Paint the pieces from the weakest route to the strongest: what is painted last is what Azure selects.
  const winners: (EvaluatedRoute | null)[] = new Array<EvaluatedRoute | null>(edges.length).fill(null);
  const weakestFirst = [...ofFamily].sort(
    (a, b) => prefixLength(a) - prefixLength(b) || originRank[a.origin] - originRank[b.origin],
  );
  for (const route of weakestFirst) {
    for (
      let index = indexOf(route.range.start);
      index < edges.length && (edges[index] as bigint) <= route.range.end;
      index++
    )
      winners[index] = route;
  }
  const holes = nonInternet[family]
    .map((cidr) => rangeOf(cidr))
    .filter((range): range is AddressRange => range !== null);
  const byPath = new Map<
    string,
    { nextHopType: NextHopType; nextHopIps: readonly string[]; routes: Set<EvaluatedRoute>; ranges: AddressRange[] }
  >();
  winners.forEach((chosen, index) => {
    if (!chosen) return;
    const start = edges[index] as bigint;
    const end = index + 1 < edges.length ? (edges[index + 1] as bigint) - 1n : whole.end;
    const key = `${chosen.nextHopType}|${[...chosen.nextHopIps].sort().join(",")}`;
    const path = byPath.get(key) ?? {
      nextHopType: chosen.nextHopType,
      nextHopIps: chosen.nextHopIps,
      routes: new Set(),
      ranges: [],
    };
    path.ranges.push({ family, start, end });
    if (!holes.some((hole) => hole.start <= start && end <= hole.end)) path.routes.add(chosen);
    byPath.set(key, path);
  });
  const total = publicRanges([whole], family).reduce((sum, range) => sum + sizeOf(range), 0n);
  return [...byPath.values()]
    .map((path) => {
      const reachable = publicRanges(path.ranges, family);
      const size = reachable.reduce((sum, range) => sum + sizeOf(range), 0n);
      return {
        nextHopType: path.nextHopType,
        nextHopIps: path.nextHopIps,
        routes: [...path.routes],
        destinations: reachable.flatMap(rangeToCidrs),
        // Shares of 2^128 lose nothing that matters in a double.
        share: total > 0n ? Number((size * 1_000_000n) / total) / 1_000_000 : 0,
      };
    })
    .filter((path) => path.destinations.length > 0)
    .sort((a, b) => b.share - a.share);
}

/** True when an address is not on the internet (private, shared, link-local, …). */
export function isNonInternet(address: string): boolean {
  const target = rangeOf(address);
  if (!target) return false;
  return inAnyPrefix(nonInternet[target.family], target);
}
