import { clusterEntryCovers, type ClusterAliases, type ClusterIdentity } from "../azure/cluster-reference.js";

/** Who may run what, from the configuration file. Absent means everyone in the allowed workspaces and tenants. */
export interface AuthorizationPolicy {
  readonly rules: readonly AuthorizationRule[];
  /** Who to ask for access, shown in every denial (a channel, an alias, a URL). */
  readonly contact: string | null;
}

/** One grant: these people, in these channels, may run these runbooks on these clusters. */
export interface AuthorizationRule {
  readonly slackUsers: readonly string[];
  readonly slackUserGroups: readonly string[];
  readonly entraObjectIds: readonly string[];
  /** Channel IDs (Slack) or conversation IDs (Teams); empty means any channel. */
  readonly channels: readonly string[];
  /** Runbook names, or `*`. */
  readonly runbooks: readonly string[];
  /** Cluster names, `rg/name`, ARM IDs or aliases, or `*`. Empty with no subscriptions means any. */
  readonly clusters: readonly string[];
  readonly subscriptions: readonly string[];
}

/** The person asking, as the chat platform vouches for them. */
export interface Requester {
  readonly platform: "slack" | "teams" | "cli" | "console";
  readonly user: string | null;
  readonly userGroups: readonly string[];
  readonly entraObjectId: string | null;
  readonly channel: string | null;
}

/**
 * What is asked: a runbook, on a cluster as written (for messages) and as identified (resolved by
 * Azure when it could be, else what the text alone says).
 */
export interface AuthorizationRequest {
  readonly runbook: string;
  readonly clusterText: string | null;
  readonly cluster: ClusterIdentity | null;
}

/** The decision, with the reason and who can grant access when denied. */
export type AuthorizationDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly reason: string; readonly contact: string | null };

const matchesCluster = (rule: AuthorizationRule, request: AuthorizationRequest, aliases: ClusterAliases): boolean => {
  if (rule.clusters.length === 0 && rule.subscriptions.length === 0) return true;
  if (rule.clusters.includes("*")) return true;
  const cluster = request.cluster;
  if (!cluster) return false;
  const subscription = cluster.subscriptionId?.toLowerCase() ?? null;
  return (
    rule.clusters.some((entry) => clusterEntryCovers(entry, cluster, aliases)) ||
    rule.subscriptions.some((entry) => entry.toLowerCase() === subscription)
  );
};

const matchesPerson = (rule: AuthorizationRule, requester: Requester): boolean =>
  (requester.user !== null && rule.slackUsers.includes(requester.user)) ||
  requester.userGroups.some((group) => rule.slackUserGroups.includes(group)) ||
  (requester.entraObjectId !== null &&
    rule.entraObjectIds.some((id) => id.toLowerCase() === requester.entraObjectId?.toLowerCase()));

/**
 * Decides whether a requester may run a runbook on a cluster. With no policy everyone may; with a
 * policy, nothing is allowed unless a rule grants it (deny by default). Pure.
 */
export function authorize(
  policy: AuthorizationPolicy | null,
  requester: Requester,
  request: AuthorizationRequest,
  aliases: ClusterAliases = {},
): AuthorizationDecision {
  if (!policy) return { allowed: true };
  const granted = policy.rules.some(
    (rule) =>
      matchesPerson(rule, requester) &&
      (rule.channels.length === 0 || (requester.channel !== null && rule.channels.includes(requester.channel))) &&
      (rule.runbooks.includes("*") || rule.runbooks.includes(request.runbook)) &&
      matchesCluster(rule, request, aliases),
  );
  if (granted) return { allowed: true };
  const target = request.clusterText ? ` on ${request.clusterText}` : "";
  return {
    allowed: false,
    reason: `No rule of the authorization policy lets you run ${request.runbook}${target}${requester.channel ? " in this channel" : ""}.`,
    contact: policy.contact,
  };
}
