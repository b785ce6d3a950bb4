import { z } from "zod";
import type { EvidenceBundle } from "../../evidence/bundle.js";
import { fleetSchema, type FleetReport } from "../../fleet/fleet-report.js";
import { partnerSchema, partnersSchema } from "../../partners/partner-report.js";
import { whatIfSchema, type WhatIfReport } from "../../whatif/what-if-report.js";
import { driftHistorySchema, driftSchema, type DriftHistory, type DriftReport } from "../../drift/drift-report.js";
import { readSection } from "./sections.js";

/**
 * The result objects the built-in runbooks put beside the report (`denies`, `sourceIps`, `whois`), as
 * schemas: views parse them, never cast. Extra fields are allowed, so a runbook may add its own.
 */
export const denyGroupSchema = z.looseObject({
  destination: z.string(),
  protocol: z.string(),
  denies: z.number(),
  firstSeen: z.string().nullish(),
  lastSeen: z.string().nullish(),
  sources: z.array(z.string()),
  reasons: z.array(z.string()),
  requiredEndpoint: z.string().nullish(),
});

/** `denies`: the firewall denies of a window from the cluster's subnets. */
export const deniesSchema = z.looseObject({
  window: z.string(),
  logs: z.string().optional(),
  firewalls: z.array(z.looseObject({ name: z.string() })),
  sourceCidrs: z.array(z.string()),
  groups: z.array(denyGroupSchema),
  more: z.number(),
});

/** One source address with its stability grade. */
export const sourceAddressSchema = z.looseObject({
  cidr: z.string(),
  grade: z.string(),
  reason: z.string(),
  resourceId: z.string().nullish(),
  resourceName: z.string().nullish(),
  via: z.string(),
  pools: z.array(z.string()),
});

/** `sourceIps`: the allowlist for a partner. */
export const sourceIpsSchema = z.looseObject({
  cluster: z.string(),
  resourceGroup: z.string(),
  partner: z.string(),
  asOf: z.string(),
  cidrs: z.array(z.string()),
  addresses: z.array(sourceAddressSchema),
  stable: z.boolean(),
});

/** `whois`: who owns a public IP. */
export const whoisSchema = z.looseObject({
  ip: z.string(),
  matches: z.array(
    z.looseObject({
      kind: z.string(),
      name: z.string(),
      resourceId: z.string(),
      prefix: z.string().optional(),
      attachedTo: z.object({ type: z.string(), id: z.string() }).nullish(),
      cluster: z
        .object({ name: z.string(), resourceGroup: z.string(), pools: z.array(z.string()).optional() })
        .nullish(),
      /** Every cluster whose egress uses the address; `certain: false` when its sources are unknown. */
      usedBy: z
        .array(
          z.looseObject({
            name: z.string(),
            resourceGroup: z.string(),
            subscriptionId: z.string(),
            pools: z.array(z.string()),
            traffic: z.string(),
            certain: z.boolean(),
            reason: z.string().nullable(),
          }),
        )
        .optional(),
    }),
  ),
  asOf: z.string().optional(),
  note: z.string().nullish(),
});

/** The result sections of a bundle, each parsed (null when absent), and what did not parse. */
export interface ResultSections {
  readonly denies: z.output<typeof deniesSchema> | null;
  readonly sourceIps: z.output<typeof sourceIpsSchema> | null;
  readonly whois: z.output<typeof whoisSchema> | null;
  readonly fleet: FleetReport | null;
  readonly partners: z.output<typeof partnersSchema> | null;
  readonly partner: z.output<typeof partnerSchema> | null;
  readonly drift: DriftReport | null;
  readonly driftHistory: DriftHistory | null;
  readonly whatif: WhatIfReport | null;
  readonly problems: readonly string[];
}

/** Reads `denies`, `sourceIps`, `whois` and `fleet` through their schemas. */
export function readResultSections(bundle: EvidenceBundle): ResultSections {
  const problems: string[] = [];
  return {
    denies: readSection("denies", deniesSchema, bundle.denies, problems),
    sourceIps: readSection("sourceIps", sourceIpsSchema, bundle.sourceIps, problems),
    whois: readSection("whois", whoisSchema, bundle.whois, problems),
    fleet: readSection("fleet", fleetSchema, bundle.fleet, problems),
    partners: readSection("partners", partnersSchema, bundle.partners, problems),
    partner: readSection("partner", partnerSchema, bundle.partner, problems),
    drift: readSection("drift", driftSchema, bundle.drift, problems),
    driftHistory: readSection("driftHistory", driftHistorySchema, bundle.driftHistory, problems),
    whatif: readSection("whatif", whatIfSchema, bundle.whatif, problems),
    problems,
  };
}
