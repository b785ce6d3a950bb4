import type { webApi } from "@slack/bolt";
import { outsiderRefusal } from "../../src/index.js";

/** Why a Slack user may not use the bot, or null when they may. */
export type SlackUserCheck = (user: string, team: string, enterprise?: string | null) => Promise<string | null>;

const cacheTtlInMs = 10 * 60 * 1000;

/**
 * Refuses users from other organisations (Slack Connect) unless allowed by name, and workspaces not on
 * the allowlist; a member of the request's Enterprise Grid org is not an outsider, whichever of its
 * workspaces is their home. Evidence shows network layout, so strangers are refused by default. `users.info` says
 * whether a user is a stranger and which team they belong to; answers are cached for ten minutes.
 */
export function createSlackUserCheck(
  client: webApi.WebClient,
  settings: { workspaces: readonly string[]; allowExternalUsers: readonly string[] },
  now: () => number,
): SlackUserCheck {
  const cache = new Map<string, { at: number; refusal: string | null }>();
  return async (user, team, enterprise = null) => {
    if (settings.workspaces.length > 0 && !settings.workspaces.includes(team))
      return "this Slack workspace is not allowed to use egress-bot.";
    if (settings.allowExternalUsers.includes(user)) return null;
    const cached = cache.get(`${enterprise ?? ""}:${team}:${user}`);
    if (cached && now() - cached.at < cacheTtlInMs) return cached.refusal;
    const info = await client.users.info({ user });
    const home = info.user?.team_id ?? null;
    const allowedTeams = settings.workspaces.length > 0 ? settings.workspaces : [team];
    // On Enterprise Grid a member's home workspace may be another workspace of the same enterprise.
    const sameEnterprise =
      enterprise !== null && enterprise.length > 0 && info.user?.enterprise_user?.enterprise_id === enterprise;
    const external =
      info.user?.is_stranger === true || (home !== null && !allowedTeams.includes(home) && !sameEnterprise);
    const refusal = external ? outsiderRefusal("slack.allowExternalUsers") : null;
    cache.set(`${enterprise ?? ""}:${team}:${user}`, { at: now(), refusal });
    return refusal;
  };
}
