import {
  contains,
  everything,
  nonInternet,
  publicPart,
  publicSize,
  rangeOf,
  rangeToCidrs,
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
  const edges = new Set<bigint>([whole.start]);
  for (const route of ofFamily) {
    edges.add(route.range.start);
    if (route.range.end < whole.end) edges.add(route.range.end + 1n);
  }
  const starts = [...edges].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const byPath = new Map<
    string,
    { nextHopType: NextHopType; nextHopIps: readonly string[]; routes: Set<EvaluatedRoute>; cidrs: string[] }
  >();
  starts.forEach((start, index) => {
    const end = index + 1 < starts.length ? (starts[index + 1] as bigint) - 1n : whole.end;
    let chosen: EvaluatedRoute | null = null;
    for (const route of ofFamily)
      if (route.range.start <= start && start <= route.range.end) chosen = chosen ? better(chosen, route) : route;
    if (!chosen) return;
    const key = `${chosen.nextHopType}|${[...chosen.nextHopIps].sort().join(",")}`;
    const path = byPath.get(key) ?? {
      nextHopType: chosen.nextHopType,
      nextHopIps: chosen.nextHopIps,
      routes: new Set(),
      cidrs: [],
    };
    path.routes.add(chosen);
    path.cidrs.push(...rangeToCidrs({ family, start, end }));
    byPath.set(key, path);
  });
  const total = Number(publicSize([everything[family]], family));
  return [...byPath.values()]
    .map((path) => {
      const destinations = publicPart(path.cidrs, family);
      return {
        nextHopType: path.nextHopType,
        nextHopIps: path.nextHopIps,
        routes: [...path.routes].filter((route) => publicPart([route.prefix], family).length > 0),
        destinations,
        share: total > 0 ? Number(publicSize(destinations, family)) / total : 0,
      };
    })
    .filter((path) => path.destinations.length > 0)
    .sort((a, b) => b.share - a.share);
}

/** True when an address is not on the internet (private, shared, link-local, …). */
export function isNonInternet(address: string): boolean {
  const target = rangeOf(address);
  if (!target) return false;
  return nonInternet[target.family].some((cidr) => {
    const range = rangeOf(cidr);
    return range !== null && contains(range, target);
  });
}
