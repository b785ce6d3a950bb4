import { describe, expect, it } from "@jest/globals";
import { checkChatSettings } from "../../../src/index.js";
import { readTeamsSettings } from "../../../adapters/teams/teams-settings.js";

const allowlists = { tenants: [], allowGuests: [] };

describe("Teams settings", () => {
  it("turns Teams on with a complete Agents SDK configuration, or anonymously outside production", () => {
    expect(
      readTeamsSettings(
        {
          clientId: "app-1",
          tenantId: "tenant-1",
          clientSecret: "s",
          EGRESS_PUBLIC_URL: "https://egress.example.com/",
        },
        allowlists,
      ),
    ).toEqual({
      enabled: true,
      settings: {
        clientId: "app-1",
        publicUrl: "https://egress.example.com",
        tenants: [],
        allowGuests: [],
        cloud: "AzureCloud",
        anonymousPeers: ["127.0.0.0/8", "::1/128"],
        serviceUrlHosts: [],
      },
    });
    expect(readTeamsSettings({ NODE_ENV: "development" }, allowlists)).toMatchObject({
      enabled: true,
      settings: { clientId: null },
    });
  });

  it("keeps Teams off in production without settings, and with half a configuration anywhere", () => {
    expect(readTeamsSettings({ NODE_ENV: "production" }, allowlists)).toMatchObject({
      enabled: false,
      reason: expect.stringContaining("no Agents SDK settings") as unknown,
    });
    expect(readTeamsSettings({ clientId: "app-1" }, allowlists)).toEqual({
      enabled: false,
      reason: "missing tenantId",
    });
    expect(readTeamsSettings({ clientSecret: "s" }, allowlists)).toEqual({
      enabled: false,
      reason: "missing clientId and tenantId",
    });
  });

  it("agrees with egress doctor on every combination of the three settings", () => {
    for (const clientId of [undefined, "app"])
      for (const tenantId of [undefined, "tenant"])
        for (const clientSecret of [undefined, "secret"])
          for (const NODE_ENV of ["production", "development"]) {
            const env = { clientId, tenantId, clientSecret, NODE_ENV };
            const doctor = checkChatSettings(env).find((check) => check.platform === "teams");
            expect(readTeamsSettings(env, allowlists).enabled).toBe(
              doctor?.status === "configured" || doctor?.status === "anonymous",
            );
          }
  });
});
