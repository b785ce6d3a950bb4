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
