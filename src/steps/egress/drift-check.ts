import { z } from "zod";
import { compareDrift, snapshotOf } from "../../core/drift/compare-drift.js";
import { driftSchema } from "../../core/drift/drift-report.js";
import { defineStep } from "../../core/engine/step-type.js";
import { partnerBreakFindings } from "../../core/drift/partner-break-findings.js";
import { resolvedFleetOf } from "../../core/fleet/resolve-fleet.js";
import { standingHandovers } from "../../core/partners/partner-handover.js";

/**
 * The fleet's egress drift: the inventory now against the last snapshots the drift watch kept, and
 * every partner's standing allowlist against the sources now. Draws PARTNER_ALLOWLIST_BROKEN for each
 * allowlist that no longer covers its cluster. Reads only: the watch keeps the new snapshots.
 */
export const driftCheck = defineStep({
  type: "egress.drift.check",
  summary: "Compare the fleet's sources with the last snapshots and with every partner's allowlist.",
  access: "read",
  params: z.strictObject({}),
  outputs: z.object({ drift: driftSchema, snapshots: z.array(z.unknown()) }),
  defaults: { timeoutInMs: 120_000, attempts: 2 },
  async run(_params, context) {
    const read = await context.azure.readEgressInventory({ abortSignal: context.abortSignal });
    const [fleet, previous, handovers] = await Promise.all([
      resolvedFleetOf(read, context.azure.simulated),
      context.records.latestSnapshots(),
      context.records.listHandovers(),
    ]);
    const inventoryEvidence = context.record({
      summary: `Resource Graph inventory: ${read.value.clusters.length} cluster(s) in ${read.value.pages} page(s)`,
      data: { clusters: read.value.clusters.length, pages: read.value.pages },
      source: read.source,
    });
    const standing = standingHandovers(handovers);
    const registryEvidence = context.record({
      summary: `records: ${previous.length} last snapshot(s), ${standing.length} standing partner allowlist(s)`,
      data: { snapshots: previous.length, allowlists: standing.length },
      source: { operation: "egress/records/read", resourceId: null, apiVersion: null, query: null },
    });
    const current = fleet.map(({ row }) => snapshotOf(row, read.asOf));
    const drift = compareDrift(current, previous, standing, read.asOf);
    const findings = partnerBreakFindings(drift.breaks, [inventoryEvidence, registryEvidence]);
    // The snapshots the watch keeps: every cluster the first time, then only those that changed or are new.
    const changed = new Set(drift.changes.map((change) => change.clusterId.toLowerCase()));
    const snapshots = drift.baseline
      ? current.filter((snapshot) => changed.has(snapshot.clusterId.toLowerCase()))
      : current;
    return { outputs: { drift, snapshots }, findings };
  },
});
