import { CronExpressionParser } from "cron-parser";
import ipaddr from "ipaddr.js";
import { z } from "zod";

/** An IPv4 or IPv6 address, or a CIDR range of either family. */
const isAddressOrCidr = (value: string): boolean => {
  try {
    if (value.includes("/")) ipaddr.parseCIDR(value);
    else ipaddr.parse(value);
    return true;
  } catch {
    return false;
  }
};

const duration = z.string().regex(/^\d{1,9}(ms|s|m|h|d)$/, "a duration looks like 30s, 5m or 1h");
const clusterId = z
  .string()
  .regex(
    /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ContainerService\/managedClusters\/[^/]+$/i,
    "an alias points at a cluster's ARM resource ID",
  );
const strings = z.array(z.string().min(1)).default([]);

const rule = z
  .strictObject({
    slackUsers: strings.describe("Slack user IDs (U…)"),
    slackUserGroups: strings.describe("Slack user group IDs (S…)"),
    entraObjectIds: strings.describe("Microsoft Entra object IDs (Teams users)"),
    channels: strings.describe("Channel or conversation IDs; empty means any channel"),
    runbooks: z.array(z.string().min(1)).min(1).describe("Runbook names, or *"),
    clusters: strings.describe("Cluster names, rg/name, ARM IDs or aliases, or *"),
    subscriptions: strings.describe("Subscription IDs whose clusters the rule covers"),
  })
  .refine(
    (value) => value.slackUsers.length + value.slackUserGroups.length + value.entraObjectIds.length > 0,
    "a rule names at least one Slack user, Slack user group or Entra object ID",
  );

/** The configuration file (`EGRESS_CONFIG`), as written. Secrets never go here: they stay in the environment. */
/** True for a cron expression of five fields that cron-parser reads (the format pg-boss schedules take). */
function isCronExpression(text: string): boolean {
  if (text.trim().split(/\s+/).length !== 5) return false;
  try {
    CronExpressionParser.parse(text, { tz: "UTC" });
    return true;
  } catch {
    return false;
  }
}

export const configFileSchema = z.strictObject({
  // Alias names are checked by readConfig, which can name both a bad name and a bad target.
  aliases: z.record(z.string(), clusterId).default({}),
  azure: z
    .strictObject({
      subscriptions: z
        .array(
          z
            .string()
            .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "a subscription ID is a GUID"),
        )
        .optional(),
      cloud: z.enum(["AzureCloud", "AzureUSGovernment", "AzureChinaCloud"]).optional(),
      cacheTtl: duration.default("30s"),
      maxConcurrentPerSubscription: z.number().int().min(1).max(64).default(8),
    })
    .default({ cacheTtl: "30s", maxConcurrentPerSubscription: 8 }),
  slack: z
    .strictObject({
      workspaces: strings.describe("Team IDs allowed to use the bot; empty means the one it is installed in"),
      allowExternalUsers: strings.describe("Slack Connect user IDs from other organisations allowed anyway"),
    })
    .default({ workspaces: [], allowExternalUsers: [] }),
  teams: z
    .strictObject({
      tenants: strings.describe("Tenant IDs allowed to use the bot; empty means the bot's own"),
      allowGuests: strings.describe("Entra object IDs of guests or other-tenant users allowed anyway"),
      anonymousPeers: z
        .array(z.string().refine(isAddressOrCidr, "an address or a CIDR range, e.g. 127.0.0.1 or 10.0.0.0/8"))
        .default(["127.0.0.0/8", "::1/128"])
        .describe("Peers anonymous local mode (no Teams credentials) answers; loopback by default"),
      serviceUrlHosts: z
        .array(z.string().regex(/^[a-z0-9.-]+$/i, "a host name, e.g. smba.example.net"))
        .default([])
        .describe("Bot Connector hosts replies may go to beside the documented ones of the cloud"),
    })
    .default({ tenants: [], allowGuests: [], anonymousPeers: ["127.0.0.0/8", "::1/128"], serviceUrlHosts: [] }),
  authorization: z.strictObject({ contact: z.string().optional(), rules: z.array(rule).min(1) }).optional(),
  rateLimits: z
    .strictObject({
      perUser: z.strictObject({ count: z.number().int().min(1), per: duration }).default({ count: 20, per: "1m" }),
      perChannel: z.strictObject({ count: z.number().int().min(1), per: duration }).default({ count: 60, per: "1m" }),
    })
    .default({ perUser: { count: 20, per: "1m" }, perChannel: { count: 60, per: "1m" } }),
  state: z.strictObject({ directory: z.string().min(1).default(".egress") }).default({ directory: ".egress" }),
  // The egress drift watch: off unless a schedule is given.
  drift: z
    .strictObject({
      schedule: z
        .string()
        .min(9)
        .max(100)
        .refine(isCronExpression, "a cron expression of five fields, e.g. */15 * * * * (every 15 minutes, UTC)"),
      slackChannel: z
        .string()
        .regex(/^[CG][A-Z0-9]{6,}$/, "a Slack channel ID, e.g. C0123ABCD")
        .optional(),
      teamsConversation: z.string().min(3).max(300).optional(),
    })
    .optional(),
  worldsFolder: z.string().min(1).optional(),
  console: z
    .strictObject({
      enabled: z.boolean().optional(),
      allowRemote: z.boolean().default(false),
      runbooksFolder: z
        .string()
        .min(1)
        .optional()
        .describe("Runbook files the console offers to try (default: the built-in examples)"),
    })
    .default({ allowRemote: false }),
});

/** What an alias name may be. */
export const aliasName = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/;

/** The configuration file after validation, defaults filled. */
export type ConfigFile = z.output<typeof configFileSchema>;
