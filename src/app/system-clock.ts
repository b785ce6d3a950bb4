import { setTimeout as delay } from "node:timers/promises";
import type { Clock } from "../core/ports/clock.js";

/** The real clock: `Date.now` and abortable timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (delayInMs, options = {}) =>
    delay(delayInMs, undefined, options.abortSignal ? { signal: options.abortSignal } : {}),
};
