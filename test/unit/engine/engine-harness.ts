import { runRunbook, type RunOptions } from "../../../src/core/engine/run-runbook.js";
import type { RunEvent } from "../../../src/core/engine/run-events.js";
import type { EvidenceBundle } from "../../../src/core/evidence/bundle.js";
import { silentLogger } from "../../../src/core/ports/logger.js";
import type { Runbook } from "../../../src/core/runbooks/runbook.js";
import { unusedAzurePort } from "../../support/unused-azure-port.js";
import { FakeClock } from "../../support/fake-clock.js";
import { sequentialIds } from "../../support/fixed-ids.js";

type HarnessOptions = Partial<RunOptions> & { clock?: FakeClock };

/** Starts a runbook on a fake clock without driving time: the test advances it. */
export function startOnFakeClock(
  runbook: Runbook,
  inputs: Record<string, unknown> = {},
  extra: HarnessOptions = {},
): { run: Promise<EvidenceBundle>; events: RunEvent[]; clock: FakeClock } {
  const clock = extra.clock ?? new FakeClock();
  const events: RunEvent[] = [];
  const azure = unusedAzurePort();
  const run = runRunbook(
    runbook,
    { azure, clock, ids: sequentialIds(), log: silentLogger },
    {
      inputs,
      requestedBy: { platform: "cli", user: "tester", channel: null, thread: null },
      onEvent: (event) => events.push(event),
      ...extra,
    },
  );
  return { run, events, clock };
}

/** Runs a runbook to completion on a fake clock, collecting progress events. */
export async function runOnFakeClock(
  runbook: Runbook,
  inputs: Record<string, unknown> = {},
  extra: HarnessOptions = {},
): Promise<{ bundle: EvidenceBundle; events: RunEvent[]; clock: FakeClock }> {
  const { run, events, clock } = startOnFakeClock(runbook, inputs, extra);
  const bundle = await clock.settle(run);
  return { bundle, events, clock };
}
