import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { demoWorldWithFault } from "./demo-world-with-fault.js";

/**
 * A folder holding the demo world whose firewall diagnostic settings never answer (they are read
 * last) and `slow-show.yaml`, a runbook running `egress.cluster.show` with a 2-second deadline and no
 * retry: what a hung Azure read does to a step.
 */
export function hangingShowWorld(): { folder: string; world: string; runbook: string } {
  const folder = mkdtempSync(join(tmpdir(), "egress-hang-"));
  const world = demoWorldWithFault('{ match: "diagnosticSettings$", latencyMs: 600000 }', folder);
  const runbook = join(folder, "slow-show.yaml");
  writeFileSync(
    runbook,
    stringify({
      apiVersion: "egress.runbooks/v1",
      kind: "Runbook",
      metadata: { name: "slow-show", title: "Show, with a short timeout", version: "1.0.0" },
      spec: {
        inputs: { cluster: { type: "cluster", required: true } },
        steps: [
          {
            id: "egress",
            uses: "egress.cluster.show",
            with: { cluster: "${{ inputs.cluster }}" },
            timeout: "2s",
            retry: { attempts: 1 },
          },
        ],
      },
    }),
  );
  return { folder, world, runbook };
}
