import type { RunEvent } from "../../src/index.js";
import type { Paint } from "./cli-io.js";
import { formatElapsed } from "./format-table.js";

/** One stderr line per progress event worth showing, or undefined. */
export function formatProgress(event: RunEvent, paint: Paint): string | undefined {
  switch (event.type) {
    case "run.started":
      return paint("gray", `▶ ${event.runbook}: ${event.steps.length} step(s)`);
    case "step.started":
      return event.attempt > 1
        ? paint("yellow", `  ↻ ${event.name}: attempt ${event.attempt}`)
        : paint("gray", `  … ${event.name}`);
    case "step.finished": {
      const mark =
        event.status === "succeeded"
          ? paint("green", "✓")
          : event.status === "skipped"
            ? paint("gray", "–")
            : paint("red", "✗");
      const note = event.error ? `: ${event.error.message}` : "";
      return `  ${mark} ${event.name} ${paint("gray", formatElapsed(event.durationMs))}${note}`;
    }
    case "run.finished":
      return paint("gray", `■ ${event.status}`);
  }
}
