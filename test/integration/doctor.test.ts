import { describe, expect, it } from "@jest/globals";
import { checkChatSettings, runDoctor } from "../../src/app/run-doctor.js";
import { azureClouds } from "../../src/azure/clouds.js";
import { checkIdentity } from "../../src/azure/diagnose-access.js";
import { azureOverWorld, loadWorldFixture } from "../support/world-azure.js";

const jwt = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;

describe("egress doctor", () => {
  it("says which reads each subscription refuses and which role fixes each", async () => {
    const world = loadWorldFixture("azure-layer.yaml");
    const { port } = azureOverWorld({
      ...world,
      faults: [
        { match: "routeTables$", status: 403 },
        { match: "ResourceGraph", status: 403 },
      ],
    });
    const report = await runDoctor(port, "azure-layer.yaml", {});
    const checks = report.subscriptions[0]?.checks ?? [];
    expect(checks.map((check) => [check.action, check.ok])).toEqual([
      ["Microsoft.ResourceGraph/resources/read", false],
      ["Microsoft.ContainerService/managedClusters/read", true],
      ["Microsoft.Network/routeTables/read", false],
      ["Microsoft.Network/azureFirewalls/read", true],
      ["Microsoft.Insights/diagnosticSettings/read", true],
      ["Microsoft.Insights/metrics/read", true],
      ["Microsoft.OperationalInsights/workspaces/query/AZFWNetworkRule/read", true],
      ["Microsoft.OperationalInsights/workspaces/query/AZFWApplicationRule/read", true],
      ["Microsoft.OperationalInsights/workspaces/query/AZFWDnsQuery/read", true],
    ]);
    expect(checks[2]?.remediation).toBe(
      "Grant the bot's identity the Reader role on /subscriptions/5b7e2c1d-9a34-4f08-b6e1-0c2d3e4f5a6b.",
    );
    expect(report.problems).toHaveLength(2);
    expect(report.azure).toEqual({
      mode: "simulated",
      cloud: "AzureCloud",
      resourceManager: "https://management.azure.com",
      world: "azure-layer.yaml",
    });
  });

  it("tries the metrics and each firewall log table the denies read, and names the role for a refused one", async () => {
    const world = loadWorldFixture("azure-layer.yaml");
    const { port } = azureOverWorld({
      ...world,
      faults: [
        { match: "/query$", status: 403 },
        { match: "microsoft.insights/metrics$", status: 403 },
      ],
    });
    const report = await runDoctor(port, "azure-layer.yaml", {});
    const refused = (report.subscriptions[0]?.checks ?? []).filter((check) => !check.ok);
    expect(refused.map((check) => check.action)).toEqual([
      "Microsoft.Insights/metrics/read",
      "Microsoft.OperationalInsights/workspaces/query/AZFWNetworkRule/read",
      "Microsoft.OperationalInsights/workspaces/query/AZFWApplicationRule/read",
      "Microsoft.OperationalInsights/workspaces/query/AZFWDnsQuery/read",
    ]);
    expect(refused[0]?.remediation).toMatch(/^Grant the bot's identity the Monitoring Reader role on /);
    expect(refused[1]?.remediation).toBe(
      "Grant the bot's identity the Log Analytics Reader role on /subscriptions/5b7e2c1d-9a34-4f08-b6e1-0c2d3e4f5a6b/resourceGroups/rg-ops.",
    );
    expect(report.problems).toHaveLength(4);
  });

  it("reads who the identity is from its token, and explains a missing one", async () => {
    const credential = {
      getToken: () =>
        Promise.resolve({
          token: jwt({
            tid: "9a4c7e21-3f6b-4d85-b2e9-0d1c8f5a7b36",
            oid: "5d1e8a3c-9b27-4f60-8c4d-3e7a1b9f2c05",
            appid: "2f7d9c41-6b8e-4a3d-9e5f-1c0b7a2d4e86",
          }),
          expiresOnTimestamp: 0,
        }),
    };
    expect(await checkIdentity(credential, azureClouds.AzureUSGovernment)).toEqual({
      ok: true,
      tenantId: "9a4c7e21-3f6b-4d85-b2e9-0d1c8f5a7b36",
      objectId: "5d1e8a3c-9b27-4f60-8c4d-3e7a1b9f2c05",
      name: "2f7d9c41-6b8e-4a3d-9e5f-1c0b7a2d4e86",
    });
    const failing = { getToken: () => Promise.reject(new Error("DefaultAzureCredential failed to retrieve a token")) };
    expect(await checkIdentity(failing, azureClouds.AzureCloud)).toMatchObject({
      ok: false,
      problem: "DefaultAzureCredential failed to retrieve a token",
      remediation: expect.stringContaining("az login"),
    });
  });

  it.each([
    [{}, "off", "anonymous"],
    [{ SLACK_SIGNING_SECRET: "s", SLACK_BOT_TOKEN: "xoxb" }, "configured", "anonymous"],
    [{ SLACK_APP_TOKEN: "xapp", SLACK_BOT_TOKEN: "xoxb" }, "configured", "anonymous"],
    [{ SLACK_BOT_TOKEN: "xoxb" }, "incomplete", "anonymous"],
    [{ clientId: "a", tenantId: "t", clientSecret: "s" }, "off", "configured"],
    [{ clientId: "a" }, "off", "incomplete"],
    [{ NODE_ENV: "production" }, "off", "off"],
  ])("chat settings %o → slack %s, teams %s", (env, slack, teams) => {
    expect(checkChatSettings(env).map((check) => check.status)).toEqual([slack, teams]);
  });
});
