import { parseDuration } from "../core/runbooks/duration.js";

/** Resolves a world time: ISO-8601 as is, or relative to `nowMs` (`-5m`, `-2h`). */
export function resolveWorldTime(text: string, nowMs: number): number {
  if (text.startsWith("-")) return nowMs - (parseDuration(text.slice(1)) ?? 0);
  return Date.parse(text);
}

/** Parses an ISO-8601 interval or duration (`PT1H`, `P7D`, `start/end`, `start/PT1H`) into [from, to] ms. */
export function parseTimespan(timespan: string | undefined, nowMs: number): [number, number] | undefined {
  if (!timespan) return undefined;
  const [first = "", second] = timespan.split("/");
  const duration = (text: string): number | undefined => {
    const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
    if (!match || text === "P" || text === "PT") return undefined;
    const [, days = "0", hours = "0", minutes = "0", seconds = "0"] = match;
    return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000;
  };
  if (second === undefined) {
    const span = duration(first);
    return span === undefined ? undefined : [nowMs - span, nowMs];
  }
  const start = Date.parse(first);
  const endDuration = duration(second);
  const end = endDuration !== undefined ? start + endDuration : Date.parse(second);
  return Number.isNaN(start) || Number.isNaN(end) ? undefined : [start, end];
}
