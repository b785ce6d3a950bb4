import { z } from "zod";

/** One handover as a result shows it. */
export const handoverSchema = z.looseObject({
  partner: z.string(),
  clusterId: z.string(),
  cluster: z.string(),
  cidrs: z.array(z.string()),
  addresses: z.array(z.looseObject({ cidr: z.string(), grade: z.string(), reason: z.string(), from: z.string() })),
  nodePools: z.array(z.unknown()),
  handedBy: z.string(),
  handedAt: z.string(),
  digest: z.string(),
  simulated: z.boolean(),
});

/** `partners`: every partner's standing allowlists (the latest handover per partner and cluster). */
export const partnersSchema = z.looseObject({ standing: z.array(handoverSchema) });

/** `partner`: one partner's standing allowlists and every handover to it, newest first. */
export const partnerSchema = z.looseObject({
  name: z.string(),
  standing: z.array(handoverSchema),
  history: z.array(handoverSchema),
});

/** A handover in a result. */
export type HandoverView = z.output<typeof handoverSchema>;
