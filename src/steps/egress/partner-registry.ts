import { z } from "zod";
import { defineStep } from "../../core/engine/step-type.js";
import { EgressError, ErrorCode } from "../../core/errors.js";
import { partnerKeyOf, standingHandovers, type PartnerHandover } from "../../core/partners/partner-handover.js";
import { partnerSchema, partnersSchema, type HandoverView } from "../../core/partners/partner-report.js";

const viewOf = (handover: PartnerHandover): HandoverView => ({
  partner: handover.partner,
  clusterId: handover.clusterId,
  cluster: `${handover.resourceGroup}/${handover.clusterName}`,
  cidrs: [...handover.cidrs],
  addresses: handover.addresses.map((address) => ({ ...address })),
  nodePools: [...handover.nodePools],
  handedBy: `${handover.handedBy.user ?? "?"} (${handover.handedBy.platform})`,
  handedAt: handover.handedAt,
  digest: handover.bundleDigest,
  simulated: handover.simulated,
});

/** Lists every partner's standing allowlists: the latest handover per partner and cluster. */
export const partnersList = defineStep({
  type: "egress.partners.list",
  summary: "List what every partner allowlists: the latest handover per partner and cluster.",
  access: "read",
  params: z.strictObject({}),
  outputs: z.object({ partners: partnersSchema }),
  async run(_params, context) {
    const handovers = await context.records.listHandovers();
    context.record({
      summary: `partner registry: ${handovers.length} handover(s)`,
      data: { handovers: handovers.length },
      source: { operation: "egress/partners/read", resourceId: null, apiVersion: null, query: null },
    });
    return { outputs: { partners: { standing: standingHandovers(handovers).map(viewOf) } } };
  },
});

/** One partner's allowlists and history: what its onboarding document shows. */
export const partnersShow = defineStep({
  type: "egress.partners.show",
  summary: "One partner's standing allowlists and every handover to it.",
  access: "read",
  params: z.strictObject({ partner: z.string().min(1).max(64) }),
  outputs: z.object({ partner: partnerSchema }),
  async run(params, context) {
    const history = await context.records.listHandovers(partnerKeyOf(params.partner));
    context.record({
      summary: `partner registry: ${history.length} handover(s) to ${params.partner}`,
      data: { handovers: history.length },
      source: { operation: "egress/partners/read", resourceId: null, apiVersion: null, query: null },
    });
    const first = history[0];
    if (!first)
      throw new EgressError(ErrorCode.InputInvalid, `Nothing was recorded as handed to "${params.partner}".`, {
        remediation: "`partners` lists the partners; `source-ips <cluster> --partner <name> --record` records one.",
      });
    return {
      outputs: {
        partner: {
          name: first.partner,
          standing: standingHandovers(history).map(viewOf),
          history: history.map(viewOf),
        },
      },
    };
  },
});
