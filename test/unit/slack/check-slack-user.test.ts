import { describe, expect, it } from "@jest/globals";
import type { webApi } from "@slack/bolt";
import { createSlackUserCheck } from "../../../adapters/slack/check-slack-user.js";

// A fake of the one Web API method the check uses, counting calls.
function fakeClient(users: Record<string, { team_id: string; is_stranger?: boolean }>) {
  const calls: string[] = [];
  const client = {
    users: {
      info: ({ user }: { user: string }) => {
        calls.push(user);
        return Promise.resolve({ ok: true, user: { id: user, ...users[user] } });
      },
    },
  } as unknown as webApi.WebClient;
  return { client, calls };
}

describe("Slack user check", () => {
  it("refuses other workspaces when an allowlist is set, and strangers unless allowed by name", async () => {
    const { client, calls } = fakeClient({
      U1: { team_id: "T1" },
      UX: { team_id: "TX", is_stranger: true },
      UOK: { team_id: "TX", is_stranger: true },
    });
    const check = createSlackUserCheck(client, { workspaces: ["T1"], allowExternalUsers: ["UOK"] }, () => 0);
    expect(await check("U1", "T9")).toBe("this Slack workspace is not allowed to use egress-bot.");
    expect(await check("U1", "T1")).toBeNull();
    expect(await check("UX", "T1")).toMatch(/members of this organisation only/);
    expect(await check("UOK", "T1")).toBeNull();
    expect(await check("U1", "T1")).toBeNull();
    expect(calls).toEqual(["U1", "UX"]); // cached; allowed-by-name users need no lookup
  });

  it("without an allowlist, treats a user from another team than the request's as external", async () => {
    const { client } = fakeClient({ U2: { team_id: "T2" } });
    const check = createSlackUserCheck(client, { workspaces: [], allowExternalUsers: [] }, () => 0);
    expect(await check("U2", "T1")).toMatch(/members of this organisation only/);
  });

  it("on Enterprise Grid, a member of the request's enterprise is not external, whatever their home workspace", async () => {
    const calls: string[] = [];
    const client = {
      users: {
        info: ({ user }: { user: string }) => {
          calls.push(user);
          return Promise.resolve({
            ok: true,
            user: { id: user, team_id: "THOME", enterprise_user: { enterprise_id: "E1", teams: ["THOME", "T1"] } },
          });
        },
      },
    } as unknown as webApi.WebClient;
    const check = createSlackUserCheck(client, { workspaces: [], allowExternalUsers: [] }, () => 0);
    expect(await check("UG", "T1", "E1")).toBeNull();
    expect(await check("UG", "T1", "E2")).toMatch(/members of this organisation only/);
    expect(await check("UG", "T1")).toMatch(/members of this organisation only/);
  });
});
