import type { Logger } from "../core/ports/logger.js";
import type { TickSchedule } from "../core/ports/tick-schedule.js";
import { inProcessSchedule } from "./drift/in-process-schedule.js";
import type { RunQueue } from "../core/ports/run-queue.js";
import type { StateStore } from "../core/ports/state-store.js";
import { findCloud } from "../azure/clouds.js";
import { createDefaultCredential } from "../azure/default-credential.js";
import { openSqliteStateStore } from "../store/sqlite-state-store.js";
import type { DatabaseSettings } from "./config/read-config.js";

/** The token audience of Azure Database for PostgreSQL for Microsoft Entra sign-in, per cloud. */
const postgresAudience: Record<string, string> = {
  AzureCloud: "https://ossrdbms-aad.database.windows.net/.default",
  AzureUSGovernment: "https://ossrdbms-aad.database.usgovcloudapi.net/.default",
  AzureChinaCloud: "https://ossrdbms-aad.database.chinacloudapi.cn/.default",
};

/**
 * The state store the bot runs with: PostgreSQL when a database is configured (shared by replicas),
 * else the embedded node:sqlite store in `directory` (or `:memory:`), so `npm start` needs nothing.
 */
export async function openStateStore(
  directory: string,
  database: DatabaseSettings | null = null,
  cloudName = "AzureCloud",
): Promise<StateStore> {
  if (!database) return openSqliteStateStore(directory);
  const { openPostgresStateStore } = await import("../store/postgres-state-store.js");
  return openPostgresStateStore(postgresConnection(database, cloudName));
}

/**
 * The durable run queue replicas share (pg-boss, in the same PostgreSQL as the state store), or null
 * with the embedded store: runs then stay in the process that accepted them.
 */
export async function openRunQueue(
  database: DatabaseSettings | null,
  log: Logger,
  cloudName = "AzureCloud",
): Promise<RunQueue | null> {
  if (!database) return null;
  const { openPgBossRunQueue } = await import("../store/pg-boss-run-queue.js");
  return openPgBossRunQueue({
    ...postgresConnection(database, cloudName),
    ...(database.jobSchema ? { schema: database.jobSchema } : {}),
    log,
  });
}

/**
 * The drift watch's schedule: pg-boss on PostgreSQL (exactly one replica runs each tick), or a timer in
 * this process with the embedded store (one replica).
 */
export async function openDriftSchedule(
  cron: string,
  database: DatabaseSettings | null,
  log: Logger,
  cloudName = "AzureCloud",
): Promise<TickSchedule> {
  if (!database) return inProcessSchedule(cron);
  const { openPgBossTickSchedule } = await import("../store/pg-boss-tick-schedule.js");
  return openPgBossTickSchedule({
    ...postgresConnection(database, cloudName),
    ...(database.jobSchema ? { schema: database.jobSchema } : {}),
    queue: "egress-drift-watch",
    cron,
    log,
  });
}

/** The URL, and with Microsoft Entra sign-in a fresh token per new connection (pg asks whenever it opens one). */
function postgresConnection(
  database: DatabaseSettings,
  cloudName: string,
): { connectionString: string; password?: () => Promise<string> } {
  const cloud = findCloud(cloudName);
  const credential = database.auth === "entra" && cloud ? createDefaultCredential(cloud) : null;
  const audience = postgresAudience[cloudName] ?? postgresAudience.AzureCloud ?? "";
  if (!credential) return { connectionString: database.url };
  return {
    connectionString: database.url,
    password: async () => {
      const token = await credential.getToken(audience);
      if (!token) throw new Error("Microsoft Entra gave no token for Azure Database for PostgreSQL");
      return token.token;
    },
  };
}
