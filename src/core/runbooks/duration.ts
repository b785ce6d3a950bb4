const unitInMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const durationPattern = /^(\d{1,9})(ms|s|m|h|d)$/;

/** Parses `15m`, `1h`, `7d`, `500ms`, `20s` into milliseconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = durationPattern.exec(text.trim());
  if (!match) return undefined;
  const [, amount, unit] = match;
  return Number(amount) * unitInMs[unit as keyof typeof unitInMs];
}

/** Formats milliseconds as the largest whole unit: 3_600_000 → `1h`, 1_500 → `1500ms`. */
export function formatDuration(ms: number): string {
  for (const unit of ["d", "h", "m", "s"] as const) {
    if (ms >= unitInMs[unit] && ms % unitInMs[unit] === 0) return `${ms / unitInMs[unit]}${unit}`;
  }
  return `${ms}ms`;
}

/** Milliseconds as an ISO-8601 duration (`PT1H`, `P7D`, `PT90M`), the form Azure APIs take. */
export function toIsoDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return `P${ms / 86_400_000}D`;
  if (ms % 3_600_000 === 0) return `PT${ms / 3_600_000}H`;
  if (ms % 60_000 === 0) return `PT${ms / 60_000}M`;
  return `PT${Math.max(1, Math.round(ms / 1000))}S`;
}
