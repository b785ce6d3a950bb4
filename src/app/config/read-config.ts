import { readFileSync } from "node:fs";
import { describeYamlProblem } from "../../core/yaml-problem.js";
import { parse } from "yaml";
import type { AuthorizationPolicy } from "../../core/auth/policy.js";
import { parseDuration } from "../../core/runbooks/duration.js";
import { schemaMessage } from "../../core/runbooks/schema-message.js";
import { aliasName, configFileSchema, type ConfigFile } from "./config-schema.js";

/** Settings from the environment and the configuration file, validated and defaulted. */
export interface Config {
  readonly file: string | null;
  readonly world: string | null;
  readonly subscriptions: readonly string[];
  readonly cloud: string;
  readonly aliases: Readonly<Record<string, string>>;
  readonly cacheTtlInMs: number;
  readonly maxConcurrentPerSubscription: number;
  readonly authorization: AuthorizationPolicy | null;
  readonly slack: ConfigFile["slack"];
  readonly teams: ConfigFile["teams"];
  readonly rateLimits: {
    readonly perUser: { count: number; perInMs: number };
    readonly perChannel: { count: number; perInMs: number };
  };
  readonly stateDirectory: string;
  /**
   * `EGRESS_DATABASE_URL` (a PostgreSQL URL) selects PostgreSQL for the state, shared by replicas;
   * `EGRESS_DATABASE_AUTH=entra` signs in with a Microsoft Entra token instead of the URL's password.
   * Null: the embedded store under `stateDirectory`.
   */
  readonly database: DatabaseSettings | null;
  readonly worldsFolder: string | null;
  readonly console: {
    readonly enabled: boolean;
    readonly allowRemote: boolean;
    readonly runbooksFolder: string | null;
  };
  /** `EGRESS_ADMIN_PORT`: `/metrics` and the console move to a listener of their own on 127.0.0.1. */
  readonly adminPort: number | null;
  /** `EGRESS_METRICS_PORT`: `/metrics` on a listener of its own, at `metricsHost` (`EGRESS_METRICS_HOST`, default 127.0.0.1). */
  readonly metricsPort: number | null;
  readonly metricsHost: string;
  /** `NODE_ENV=production`. */
  readonly production: boolean;
  /** The drift watch: its cron schedule (UTC) and where it posts; null when off. */
  readonly drift: {
    readonly schedule: string;
    readonly slackChannel: string | null;
    readonly teamsConversation: string | null;
  } | null;
}

/** Where the shared state lives when it is not embedded. */
export interface DatabaseSettings {
  readonly url: string;
  readonly auth: "password" | "entra";
  /** `EGRESS_JOB_SCHEMA`: the schema the durable run queue (pg-boss) keeps its tables in. @default "egress_jobs" */
  readonly jobSchema?: string;
}

/** Every problem of the environment and the file, each with where it is. */
export type ConfigResult = { ok: true; config: Config } | { ok: false; issues: readonly string[] };

/**
 * Reads the configuration: `EGRESS_CONFIG` (a YAML file) for what is not a secret, the environment
 * for the rest; the environment wins where both say something (`EGRESS_SUBSCRIPTIONS`, `AZURE_CLOUD`).
 * Every problem is reported at once. `env` is passed in; nothing else reads `process.env`.
 */
export function readConfig(
  env: Readonly<Record<string, string | undefined>>,
  readText: (file: string) => string = (file) => readFileSync(file, "utf8"),
): ConfigResult {
  const file = env.EGRESS_CONFIG?.trim() || null;
  let document: unknown = {};
  if (file) {
    try {
      document = parse(readText(file), { maxAliasCount: 100 }) ?? {};
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : describeYamlProblem(error);
      return { ok: false, issues: [`EGRESS_CONFIG ${file}: ${reason}`] };
    }
  }
  const parsed = configFileSchema.safeParse(document);
  const issues: string[] = [];
  const aliases = (document as { aliases?: unknown }).aliases;
  if (aliases !== null && typeof aliases === "object") {
    for (const name of Object.keys(aliases))
      if (!aliasName.test(name))
        issues.push(`${file ?? "EGRESS_CONFIG"}: aliases.${name}: an alias is a short name (letters, digits, - and _)`);
  }
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path
        .map((segment) => (typeof segment === "number" ? `[${segment}]` : `.${String(segment)}`))
        .join("")
        .replace(/^\./, "");
      issues.push(`${file ?? "EGRESS_CONFIG"}: ${path || "(top)"}: ${schemaMessage(issue)}`);
    }
  }
  const subscriptions = (env.EGRESS_SUBSCRIPTIONS ?? "")
    .split(",")
    .map((value) => value.trim())
    .filter(Boolean);
  for (const subscription of subscriptions)
    if (!/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(subscription))
      issues.push(`EGRESS_SUBSCRIPTIONS: "${subscription.slice(0, 60)}" is not a subscription ID`);
  const cloud = env.AZURE_CLOUD?.trim();
  if (cloud && !["AzureCloud", "AzureUSGovernment", "AzureChinaCloud"].includes(cloud))
    issues.push(`AZURE_CLOUD: "${cloud}" is not AzureCloud, AzureUSGovernment or AzureChinaCloud`);
  const adminPortText = env.EGRESS_ADMIN_PORT?.trim();
  const adminPort = adminPortText ? Number(adminPortText) : null;
  if (adminPort !== null && !(Number.isInteger(adminPort) && adminPort >= 1 && adminPort <= 65535))
    issues.push(`EGRESS_ADMIN_PORT: "${adminPortText?.slice(0, 20) ?? ""}" is not a port number (1-65535)`);
  else if (adminPort !== null && adminPort === Number(env.PORT?.trim() || 3978))
    issues.push(`EGRESS_ADMIN_PORT: ${adminPort} is also the bot's PORT; the admin listener needs a port of its own`);
  const metricsPortText = env.EGRESS_METRICS_PORT?.trim();
  const metricsPort = metricsPortText ? Number(metricsPortText) : null;
  if (metricsPort !== null && !(Number.isInteger(metricsPort) && metricsPort >= 1 && metricsPort <= 65535))
    issues.push(`EGRESS_METRICS_PORT: "${metricsPortText?.slice(0, 20) ?? ""}" is not a port number (1-65535)`);
  else if (metricsPort !== null && (metricsPort === Number(env.PORT?.trim() || 3978) || metricsPort === adminPort))
    issues.push(
      `EGRESS_METRICS_PORT: ${metricsPort} is already the bot's PORT or EGRESS_ADMIN_PORT; it needs a port of its own`,
    );
  const metricsHost = env.EGRESS_METRICS_HOST?.trim() || "127.0.0.1";
  if (!/^[\w.:-]{1,253}$/.test(metricsHost))
    issues.push(`EGRESS_METRICS_HOST: "${metricsHost.slice(0, 40)}" is not a host or address`);
  const databaseUrl = env.EGRESS_DATABASE_URL?.trim() || null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\/[^\s]+$/i.test(databaseUrl))
    issues.push("EGRESS_DATABASE_URL: not a PostgreSQL URL (postgres://user@host:5432/database?sslmode=require)");
  const databaseAuth = env.EGRESS_DATABASE_AUTH?.trim() || "password";
  if (databaseAuth !== "password" && databaseAuth !== "entra")
    issues.push(`EGRESS_DATABASE_AUTH: "${databaseAuth.slice(0, 20)}" is not password or entra`);
  else if (databaseAuth === "entra" && databaseUrl === null)
    issues.push("EGRESS_DATABASE_AUTH: entra needs EGRESS_DATABASE_URL");
  const jobSchema = env.EGRESS_JOB_SCHEMA?.trim() || "egress_jobs";
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(jobSchema))
    issues.push(`EGRESS_JOB_SCHEMA: "${jobSchema.slice(0, 40)}" is not a lower-case PostgreSQL schema name`);
  if (issues.length > 0 || !parsed.success) return { ok: false, issues: [...new Set(issues)] };

  const value = parsed.data;
  const ms = (text: string): number => parseDuration(text) ?? 0;
  return {
    ok: true,
    config: {
      file,
      world: env.EGRESS_WORLD?.trim() || null,
      subscriptions: subscriptions.length > 0 ? subscriptions : (value.azure.subscriptions ?? []),
      cloud: cloud || value.azure.cloud || "AzureCloud",
      aliases: value.aliases,
      cacheTtlInMs: ms(value.azure.cacheTtl),
      maxConcurrentPerSubscription: value.azure.maxConcurrentPerSubscription,
      authorization: value.authorization
        ? { contact: value.authorization.contact ?? null, rules: value.authorization.rules }
        : null,
      slack: value.slack,
      teams: value.teams,
      rateLimits: {
        perUser: { count: value.rateLimits.perUser.count, perInMs: ms(value.rateLimits.perUser.per) },
        perChannel: { count: value.rateLimits.perChannel.count, perInMs: ms(value.rateLimits.perChannel.per) },
      },
      stateDirectory: value.state.directory,
      database: databaseUrl
        ? { url: databaseUrl, auth: databaseAuth === "entra" ? "entra" : "password", jobSchema }
        : null,
      worldsFolder: value.worldsFolder ?? null,
      drift: value.drift
        ? {
            schedule: value.drift.schedule,
            slackChannel: value.drift.slackChannel ?? null,
            teamsConversation: value.drift.teamsConversation ?? null,
          }
        : null,
      console: {
        enabled: value.console.enabled ?? env.NODE_ENV !== "production",
        allowRemote: value.console.allowRemote,
        runbooksFolder: value.console.runbooksFolder ?? null,
      },
      adminPort,
      metricsPort,
      metricsHost,
      production: env.NODE_ENV === "production",
    },
  };
}
