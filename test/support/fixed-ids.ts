import type { IdSource } from "../../src/core/ports/ids.js";

/** Run ids `run-1`, `run-2`, … so bundles and digests can be pinned. */
export function sequentialIds(prefix = "run"): IdSource {
  let next = 0;
  return { newRunId: () => `${prefix}-${++next}` };
}
