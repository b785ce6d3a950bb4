/** A request's span in time. */
export interface TimedRequest {
  readonly startedAtMs: number;
  readonly endedAtMs: number;
}

/**
 * The longest chain of requests where each one started only after the one before it had been answered:
 * how many round trips a run waits for one after another (its critical path), whatever it sent beside
 * them. With a fixed latency on every request, a run's wall time is about this number times the latency.
 * @returns the chain's length and its requests in order (empty input: 0 and none).
 */
export function sequentialRoundTrips<T extends TimedRequest>(requests: readonly T[]): { count: number; chain: T[] } {
  const byStart = [...requests].sort((left, right) => left.startedAtMs - right.startedAtMs);
  const depth = new Map<T, { count: number; previous: T | null }>();
  let deepest: T | null = null;
  for (const request of byStart) {
    let best: { count: number; previous: T | null } = { count: 1, previous: null };
    for (const [earlier, found] of depth) {
      if (earlier.endedAtMs <= request.startedAtMs && found.count + 1 > best.count)
        best = { count: found.count + 1, previous: earlier };
    }
    depth.set(request, best);
    if (!deepest || best.count > (depth.get(deepest)?.count ?? 0)) deepest = request;
  }
  const chain: T[] = [];
  for (let at: T | null = deepest; at; at = depth.get(at)?.previous ?? null) chain.unshift(at);
  return { count: chain.length, chain };
}
