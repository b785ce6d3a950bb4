import type { webApi } from "@slack/bolt";

/** The IDs of the Slack user groups (S…) a user belongs to. */
export type UserGroupsOf = (user: string) => Promise<readonly string[]>;

const cacheTtlInMs = 10 * 60 * 1000;

/**
 * Slack has no "groups of a user" method: `usergroups.list` with `include_users` lists every group
 * with its members. One call serves every user for ten minutes.
 */
export function createUserGroupLookup(client: webApi.WebClient, now: () => number): UserGroupsOf {
  let cached: { at: number; groups: Promise<{ id: string; users: string[] }[]> } | null = null;
  const load = async (): Promise<{ id: string; users: string[] }[]> => {
    const response = await client.usergroups.list({ include_users: true });
    return (response.usergroups ?? []).map((group) => ({ id: group.id ?? "", users: group.users ?? [] }));
  };
  return async (user) => {
    if (!cached || now() - cached.at > cacheTtlInMs) {
      const groups = load();
      cached = { at: now(), groups };
      // A failed lookup is not kept: the next command tries again.
      groups.catch(() => {
        if (cached?.groups === groups) cached = null;
      });
    }
    return (await cached.groups).filter((group) => group.users.includes(user)).map((group) => group.id);
  };
}
