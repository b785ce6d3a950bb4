import { z } from "zod";
import { driftSchema } from "../drift/drift-report.js";
import { nodePoolSchema } from "../egress/report/egress-report.js";

/** The `whatif` result: the change, each side's pools, the drift between them, what would break. */
export const whatIfSchema = z.looseObject({
  cluster: z.string(),
  change: z.array(z.string()),
  before: z.array(nodePoolSchema),
  after: z.array(nodePoolSchema),
  drift: driftSchema,
  newFindings: z.array(
    z.object({ code: z.string(), severity: z.string(), title: z.string(), detail: z.string().nullable() }),
  ),
  firewallRules: z.array(z.object({ firewall: z.string(), rule: z.string(), sources: z.string(), reason: z.string() })),
  caveats: z.array(z.string()),
});

/** The what-if result. */
export type WhatIfReport = z.output<typeof whatIfSchema>;
