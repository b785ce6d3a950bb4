import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { azureClouds } from "../../src/azure/clouds.js";
import { createAzureReadPort, type AzureAccess } from "../../src/azure/create-azure-read-port.js";
import { simulatedCredential, worldSubscriptions } from "../../src/simulated/simulated-credential.js";
import { validateWorld, type WorldFile } from "../../src/simulated/world.js";
import { createWorldHttpClient, type WorldHttpClient } from "../../src/simulated/world-http-client.js";

/** "Now" for world tests: relative world times count from here. */
export const worldNow = Date.parse("2026-11-24T10:00:00.000Z");

/** Loads a world fixture, failing the test with its problems if it is invalid. */
export function loadWorldFixture(name: string): WorldFile {
  const result = validateWorld(parse(readFileSync(`test/fixtures/worlds/${name}`, "utf8")));
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.world;
}

/** The real Azure read port (SDK clients and all) over a world, with fast retries and the HTTP log. */
export function azureOverWorld(
  world: WorldFile,
  options: { cacheTtlInMs?: number; now?: () => number; aliases?: Record<string, string>; pageSize?: number } = {},
): { port: AzureAccess; http: WorldHttpClient } {
  const now = options.now ?? (() => worldNow);
  const http = createWorldHttpClient(world, { now, ...(options.pageSize ? { pageSize: options.pageSize } : {}) });
  const port = createAzureReadPort({
    credential: simulatedCredential,
    cloud: azureClouds.AzureCloud,
    subscriptions: worldSubscriptions(Object.keys(world.resources)),
    httpClient: http,
    simulated: true,
    retry: { maxRetries: 3, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
    now,
    ...(options.cacheTtlInMs !== undefined ? { cacheTtlInMs: options.cacheTtlInMs } : {}),
    ...(options.aliases ? { aliases: options.aliases } : {}),
  });
  return { port, http };
}
