/**
 * The middle value of a set of timings (the upper middle for an even count), or NaN for none: one
 * slow outlier from a busy machine moves a median far less than it moves a mean.
 */
export const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
