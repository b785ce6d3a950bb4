import type { WorldFile } from "./world.js";
import { parseTimespan, resolveWorldTime } from "./world-time.js";

type Point = { timeStamp: string; dimensions?: Record<string, string> } & Record<string, unknown>;

const aggregations = ["total", "average", "maximum", "minimum", "count"] as const;

/** Dimension filters of a metrics `$filter` such as `ConnectionState eq 'Failed' and Protocol eq '*'`. */
function parseFilter(filter: string | null): Record<string, string> {
  const result: Record<string, string> = {};
  for (const match of (filter ?? "").matchAll(/(\w+)\s+eq\s+'([^']*)'/gi)) result[match[1] ?? ""] = match[2] ?? "";
  return result;
}

/**
 * Answers Azure Monitor's metrics GET for a resource from the world: one time series per dimension
 * combination, points inside the requested timespan, dimensions filtered as `$filter` asks.
 */
export function metricsResponse(
  world: WorldFile,
  resourceId: string,
  query: URLSearchParams,
  nowMs: number,
): Record<string, unknown> {
  const byName =
    Object.entries(world.metrics ?? {}).find(([id]) => id.toLowerCase() === resourceId.toLowerCase())?.[1] ?? {};
  const names = (query.get("metricnames") ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const window = parseTimespan(query.get("timespan") ?? undefined, nowMs) ?? [nowMs - 3_600_000, nowMs];
  const filters = parseFilter(query.get("$filter"));
  const value = names.map((name) => {
    const points = (
      (Object.entries(byName).find(([metric]) => metric.toLowerCase() === name.toLowerCase())?.[1] ?? []) as Point[]
    )
      .map((point): Point & { at: number } => ({ ...point, at: resolveWorldTime(point.timeStamp, nowMs) }))
      .filter((point) => point.at >= window[0] && point.at <= window[1])
      .filter((point) =>
        Object.entries(filters).every(
          ([dimension, wanted]) =>
            wanted === "*" || (point.dimensions?.[dimension] ?? "").toLowerCase() === wanted.toLowerCase(),
        ),
      );
    const series = new Map<string, { dimensions: Record<string, string>; data: Record<string, unknown>[] }>();
    for (const point of points.sort((a, b) => a.at - b.at)) {
      const dimensions = Object.fromEntries(
        Object.entries(point.dimensions ?? {}).filter(([dimension]) => dimension in filters),
      );
      const key = JSON.stringify(dimensions);
      const entry = series.get(key) ?? { dimensions, data: [] };
      entry.data.push({
        timeStamp: new Date(point.at).toISOString(),
        ...Object.fromEntries(
          aggregations.filter((field) => typeof point[field] === "number").map((field) => [field, point[field]]),
        ),
      });
      series.set(key, entry);
    }
    return {
      id: `${resourceId}/providers/Microsoft.Insights/metrics/${name}`,
      type: "Microsoft.Insights/metrics",
      name: { value: name, localizedValue: name },
      unit: "Count",
      timeseries: [...series.values()].map(({ dimensions, data }) => ({
        metadatavalues: Object.entries(dimensions).map(([dimension, dimensionValue]) => ({
          name: { value: dimension, localizedValue: dimension },
          value: dimensionValue,
        })),
        data,
      })),
      errorCode: "Success",
    };
  });
  return {
    cost: 0,
    timespan: `${new Date(window[0]).toISOString()}/${new Date(window[1]).toISOString()}`,
    interval: query.get("interval") ?? "PT1M",
    value,
    namespace: "",
    resourceregion: "",
  };
}
