import type { AzureAccess } from "../azure/create-azure-read-port.js";
import type { IdentityCheck, ReadCheck } from "../azure/diagnose-access.js";

/** How one chat platform is set up. */
export interface ChatCheck {
  readonly platform: "slack" | "teams";
  readonly status: "configured" | "incomplete" | "off" | "anonymous";
  readonly detail: string;
}

/** What `egress doctor` found. */
export interface DoctorReport {
  readonly azure: {
    readonly mode: "simulated" | "live";
    readonly cloud: string;
    readonly resourceManager: string;
    readonly world: string | null;
  };
  readonly identity: IdentityCheck;
  readonly subscriptions: readonly { readonly subscriptionId: string; readonly checks: readonly ReadCheck[] }[];
  readonly chat: readonly ChatCheck[];
  /** Human sentences for everything that needs fixing; empty when all is well. */
  readonly problems: readonly string[];
}

const present = (env: Readonly<Record<string, string | undefined>>, name: string): boolean =>
  (env[name] ?? "").trim().length > 0;

/** Which chat platforms the environment enables, and what is missing for the others. */
export function checkChatSettings(env: Readonly<Record<string, string | undefined>>): ChatCheck[] {
  const slackHttp = ["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN"];
  const slackSocket = ["SLACK_APP_TOKEN", "SLACK_BOT_TOKEN"];
  const slackAny = [...new Set([...slackHttp, ...slackSocket])].filter((name) => present(env, name));
  let slack: ChatCheck;
  if (slackSocket.every((name) => present(env, name)))
    slack = {
      platform: "slack",
      status: "configured",
      detail: "Socket Mode (SLACK_APP_TOKEN): no inbound endpoint needed",
    };
  else if (slackHttp.every((name) => present(env, name)))
    slack = { platform: "slack", status: "configured", detail: "HTTP at POST /slack/events" };
  else if (slackAny.length > 0)
    slack = {
      platform: "slack",
      status: "incomplete",
      detail: `missing ${slackHttp.filter((name) => !present(env, name)).join(" and ")} (or SLACK_APP_TOKEN with SLACK_BOT_TOKEN for Socket Mode)`,
    };
  else slack = { platform: "slack", status: "off", detail: "no SLACK_* settings" };
  const teamsNeeded = ["clientId", "tenantId"];
  const teamsGiven = [...teamsNeeded, "clientSecret"].filter((name) => present(env, name));
  let teams: ChatCheck;
  if (teamsNeeded.every((name) => present(env, name)))
    teams = {
      platform: "teams",
      status: "configured",
      detail: `Azure Bot ${env.clientId ?? ""} in tenant ${env.tenantId ?? ""}${present(env, "clientSecret") ? "" : " (no clientSecret: certificate or managed identity expected)"}`,
    };
  else if (teamsGiven.length > 0)
    teams = {
      platform: "teams",
      status: "incomplete",
      detail: `missing ${teamsNeeded.filter((name) => !present(env, name)).join(" and ")}`,
    };
  else if (env.NODE_ENV !== "production")
    teams = {
      platform: "teams",
      status: "anonymous",
      detail: "no Agents SDK settings: anonymous local mode (refused under NODE_ENV=production)",
    };
  else
    teams = {
      platform: "teams",
      status: "off",
      detail:
        "no Agents SDK settings (clientId, tenantId, clientSecret); anonymous local mode is refused under NODE_ENV=production",
    };
  return [slack, teams];
}

/** Checks identity, cloud, subscriptions and permissions, and chat settings. Only reads. */
export async function runDoctor(
  access: AzureAccess,
  world: string | null,
  env: Readonly<Record<string, string | undefined>>,
): Promise<DoctorReport> {
  const identity: IdentityCheck = access.simulated
    ? { ok: true, name: "simulated (no identity is used)" }
    : await access.checkIdentity();
  const subscriptions = identity.ok
    ? await Promise.all(
        access.subscriptions.map(async (subscriptionId) => ({
          subscriptionId,
          checks: await access.checkSubscription(subscriptionId),
        })),
      )
    : [];
  const chat = checkChatSettings(env);
  const problems: string[] = [];
  if (!identity.ok)
    problems.push(`No Azure identity: ${identity.problem ?? "unknown"}. ${identity.remediation ?? ""}`.trim());
  if (!access.simulated && access.subscriptions.length === 0)
    problems.push("EGRESS_SUBSCRIPTIONS is empty: cluster names cannot be resolved (full ARM IDs still work).");
  for (const { checks } of subscriptions)
    for (const check of checks)
      if (!check.ok)
        problems.push(`${check.subscriptionId}: ${check.action} refused. ${check.remediation ?? ""}`.trim());
  for (const check of chat) if (check.status === "incomplete") problems.push(`${check.platform}: ${check.detail}.`);
  return {
    azure: {
      mode: access.simulated ? "simulated" : "live",
      cloud: access.cloud.name,
      resourceManager: access.cloud.resourceManager,
      world,
    },
    identity,
    subscriptions,
    chat,
    problems,
  };
}
