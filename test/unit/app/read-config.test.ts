import { describe, expect, it } from "@jest/globals";
import { readConfig } from "../../../src/app/config/read-config.js";

const files: Record<string, string> = {
  "good.yaml": `
aliases:
  plant: /subscriptions/7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b/resourceGroups/rg-plant-prod/providers/Microsoft.ContainerService/managedClusters/aks-plant-prod
azure: { subscriptions: [7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b], cacheTtl: 1m }
authorization:
  contact: "#platform-help"
  rules:
    - { slackUserGroups: [S0PLATFORM], runbooks: ["*"] }
    - { entraObjectIds: [5d1e8a3c-9b27-4f60-8c4d-3e7a1b9f2c05], runbooks: [show-cluster, triage], clusters: [plant] }
rateLimits: { perUser: { count: 5, per: 1m } }
`,
  "bad.yaml": `
aliases: { "bad alias": /subscriptions/x, plant: /not/an/id }
azure: { subscriptions: [not-a-guid], cacheTtl: soon, extra: 1 }
authorization: { rules: [{ runbooks: [] }] }
console: { enabled: maybe }
`,
};
const read = (env: Record<string, string>) =>
  readConfig(env, (file) => {
    const text = files[file];
    if (text === undefined) throw Object.assign(new Error("no such file"), { code: "ENOENT" });
    return text;
  });

describe("readConfig", () => {
  it("defaults everything without a file", () => {
    const result = read({});
    expect(result).toMatchObject({
      ok: true,
      config: {
        file: null,
        subscriptions: [],
        cloud: "AzureCloud",
        aliases: {},
        cacheTtlInMs: 30_000,
        authorization: null,
        stateDirectory: ".egress",
        console: { enabled: true, allowRemote: false, runbooksFolder: null },
        adminPort: null,
        rateLimits: { perUser: { count: 20, perInMs: 60_000 } },
      },
    });
  });
  it("reads the file, and lets the environment win where both speak", () => {
    const result = read({
      EGRESS_CONFIG: "good.yaml",
      AZURE_CLOUD: "AzureUSGovernment",
      NODE_ENV: "production",
      EGRESS_WORLD: "demo",
    });
    if (!result.ok) throw new Error(result.issues.join("\n"));
    expect(result.config).toMatchObject({
      world: "demo",
      cloud: "AzureUSGovernment",
      subscriptions: ["7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b"],
      cacheTtlInMs: 60_000,
      console: { enabled: false },
    });
    expect(result.config.aliases.plant).toMatch(/aks-plant-prod$/);
    expect(result.config.authorization?.rules).toHaveLength(2);
    expect(result.config.rateLimits.perUser).toEqual({ count: 5, perInMs: 60_000 });
    expect(
      read({ EGRESS_CONFIG: "good.yaml", EGRESS_SUBSCRIPTIONS: "5b7e2c1d-9a34-4f08-b6e1-0c2d3e4f5a6b" }).ok &&
        read({ EGRESS_CONFIG: "good.yaml", EGRESS_SUBSCRIPTIONS: "5b7e2c1d-9a34-4f08-b6e1-0c2d3e4f5a6b" }),
    ).toMatchObject({ config: { subscriptions: ["5b7e2c1d-9a34-4f08-b6e1-0c2d3e4f5a6b"] } });
  });
  it("reports every problem of the file and the environment at once, each with its path", () => {
    const result = read({ EGRESS_CONFIG: "bad.yaml", EGRESS_SUBSCRIPTIONS: "nope", AZURE_CLOUD: "Mars" });
    expect(result.ok ? [] : result.issues).toEqual([
      "bad.yaml: aliases.bad alias: an alias is a short name (letters, digits, - and _)",
      "bad.yaml: aliases.bad alias: an alias points at a cluster's ARM resource ID",
      "bad.yaml: aliases.plant: an alias points at a cluster's ARM resource ID",
      "bad.yaml: azure.subscriptions[0]: a subscription ID is a GUID",
      "bad.yaml: azure.cacheTtl: a duration looks like 30s, 5m or 1h",
      'bad.yaml: azure: unknown key "extra"',
      "bad.yaml: authorization.rules[0].runbooks: Too small: expected array to have >=1 items",
      "bad.yaml: authorization.rules[0]: a rule names at least one Slack user, Slack user group or Entra object ID",
      "bad.yaml: console.enabled: expected boolean, received string",
      'EGRESS_SUBSCRIPTIONS: "nope" is not a subscription ID',
      'AZURE_CLOUD: "Mars" is not AzureCloud, AzureUSGovernment or AzureChinaCloud',
    ]);
  });
  it("reads EGRESS_ADMIN_PORT, refusing what is not a port or is the bot's own port", () => {
    expect(read({ EGRESS_ADMIN_PORT: "9100" })).toMatchObject({ ok: true, config: { adminPort: 9100 } });
    expect(read({ EGRESS_ADMIN_PORT: "http" })).toEqual({
      ok: false,
      issues: ['EGRESS_ADMIN_PORT: "http" is not a port number (1-65535)'],
    });
    expect(read({ EGRESS_ADMIN_PORT: "70000" })).toEqual({
      ok: false,
      issues: ['EGRESS_ADMIN_PORT: "70000" is not a port number (1-65535)'],
    });
    expect(read({ EGRESS_ADMIN_PORT: "3978" })).toEqual({
      ok: false,
      issues: ["EGRESS_ADMIN_PORT: 3978 is also the bot's PORT; the admin listener needs a port of its own"],
    });
    expect(read({ EGRESS_ADMIN_PORT: "8080", PORT: "8080" }).ok).toBe(false);
  });
  it("selects PostgreSQL with EGRESS_DATABASE_URL (and Entra sign-in with EGRESS_DATABASE_AUTH), the embedded store without", () => {
    const url = "postgres://egress@pg.example.postgres.database.azure.com:5432/egress?sslmode=require";
    const embedded = read({});
    expect(embedded.ok && embedded.config).toMatchObject({ database: null, stateDirectory: ".egress" });
    const withUrl = read({ EGRESS_DATABASE_URL: url });
    expect(withUrl.ok && withUrl.config.database).toEqual({ url, auth: "password", jobSchema: "egress_jobs" });
    const entra = read({ EGRESS_DATABASE_URL: url, EGRESS_DATABASE_AUTH: "entra", EGRESS_JOB_SCHEMA: "bot_jobs" });
    expect(entra.ok && entra.config.database).toEqual({ url, auth: "entra", jobSchema: "bot_jobs" });
    expect(read({ EGRESS_DATABASE_URL: url, EGRESS_JOB_SCHEMA: "jobs; drop table x" })).toEqual({
      ok: false,
      issues: ['EGRESS_JOB_SCHEMA: "jobs; drop table x" is not a lower-case PostgreSQL schema name'],
    });
    expect(read({ EGRESS_DATABASE_URL: "mysql://x" })).toEqual({
      ok: false,
      issues: ["EGRESS_DATABASE_URL: not a PostgreSQL URL (postgres://user@host:5432/database?sslmode=require)"],
    });
    expect(read({ EGRESS_DATABASE_URL: url, EGRESS_DATABASE_AUTH: "kerberos" })).toEqual({
      ok: false,
      issues: ['EGRESS_DATABASE_AUTH: "kerberos" is not password or entra'],
    });
    expect(read({ EGRESS_DATABASE_AUTH: "entra" })).toEqual({
      ok: false,
      issues: ["EGRESS_DATABASE_AUTH: entra needs EGRESS_DATABASE_URL"],
    });
  });
  it("names a missing file", () => {
    expect(read({ EGRESS_CONFIG: "gone.yaml" })).toEqual({
      ok: false,
      issues: ["EGRESS_CONFIG gone.yaml: no such file"],
    });
  });
});
