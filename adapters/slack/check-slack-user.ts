import type { webApi } from "@slack/bolt";
import { outsiderRefusal } from "../../src/index.js";

/** Why a Slack user may not use the bot, or null when they may. */
export type SlackUserCheck = (user: string, team: string) => Promise<string | null>;

const cacheTtlInMs = 10 * 60 * 1000;

/**
 * Refuses users from other organisations (Slack Connect) unless allowed by name, and workspaces not on
 * the allowlist. Evidence shows network layout, so strangers are refused by default. `users.info` says
 * whether a user is a stranger and which team they belong to; answers are cached for ten minutes.
 */
export function createSlackUserCheck(
  client: webApi.WebClient,
  settings: { workspaces: readonly string[]; allowExternalUsers: readonly string[] },
  now: () => number,
): SlackUserCheck {
  const cache = new Map<string, { at: number; refusal: string | null }>();
  return async (user, team) => {
    if (settings.workspaces.length > 0 && !settings.workspaces.includes(team))
      return "this Slack workspace is not allowed to use egress-bot.";
    if (settings.allowExternalUsers.includes(user)) return null;
    const cached = cache.get(`${team}:${user}`);
    if (cached && now() - cached.at < cacheTtlInMs) return cached.refusal;
    const info = await client.users.info({ user });
    const home = info.user?.team_id ?? null;
    const allowedTeams = settings.workspaces.length > 0 ? settings.workspaces : [team];
    const external = info.user?.is_stranger === true || (home !== null && !allowedTeams.includes(home));
    const refusal = external ? outsiderRefusal("slack.allowExternalUsers") : null;
    cache.set(`${team}:${user}`, { at: now(), refusal });
    return refusal;
  };
}
