import { createAzureReadPort, type AzureAccess } from "../azure/create-azure-read-port.js";
import { azureClouds, findCloud } from "../azure/clouds.js";
import { createDefaultCredential } from "../azure/default-credential.js";
import type { ThrottledRetryOptions } from "../azure/throttled-retry-policy.js";
import { EgressError, ErrorCode } from "../core/errors.js";
import { simulatedCredential, worldSubscriptions } from "../simulated/simulated-credential.js";
import { createWorldHttpClient, type WorldHttpClient } from "../simulated/world-http-client.js";
import type { HttpClient } from "../azure/recording-http-client.js";
import { readWorld } from "./read-world.js";

/** How to reach Azure: a world (simulated) or the real thing. */
export interface AzureSettings {
  /** A world file, or `demo`. Without it, Azure itself is read. */
  readonly world?: string;
  /** Subscriptions searched for clusters (live); a world's own subscriptions when simulated. */
  readonly subscriptions?: readonly string[];
  /** `AzureCloud` (default), `AzureUSGovernment` or `AzureChinaCloud`. */
  readonly cloud?: string;
  readonly aliases?: Readonly<Record<string, string>>;
  readonly cacheTtlInMs?: number;
  /** Requests in flight per subscription (`azure.maxConcurrentPerSubscription`). @default 8 */
  readonly maxConcurrentPerSubscription?: number;
  readonly retry?: ThrottledRetryOptions;
  /** The time relative world times count from. */
  readonly now?: () => number;
  /** Wraps the transport (capture records through it). */
  readonly wrapHttpClient?: (inner: HttpClient) => HttpClient;
  /** Told of every HTTP request to Azure (ARM, Resource Graph, Log Analytics) and its status, for metrics. */
  readonly onRequest?: (method: string, status: number) => void;
}

/** Wraps a transport so every request's method and status (0 when it failed to send) reach `onRequest`. */
function countingHttpClient(inner: HttpClient, onRequest: (method: string, status: number) => void): HttpClient {
  return {
    sendRequest: async (request) => {
      try {
        const response = await inner.sendRequest(request);
        onRequest(request.method, response.status);
        return response;
      } catch (error) {
        onRequest(request.method, 0);
        throw error;
      }
    },
  };
}

/** The read port, and the simulator's HTTP client when simulated (for tests and capture). */
export interface AzureAccessHandle {
  readonly port: AzureAccess;
  readonly worldHttpClient?: WorldHttpClient;
}

/** Builds Azure access. Simulated only when a world is named: never a silent fallback. */
export function createAzureAccess(settings: AzureSettings): AzureAccessHandle {
  const { onRequest, wrapHttpClient } = settings;
  const wrap = onRequest
    ? (inner: HttpClient) => countingHttpClient(wrapHttpClient ? wrapHttpClient(inner) : inner, onRequest)
    : wrapHttpClient;
  const common = {
    ...(wrap ? { wrapHttpClient: wrap } : {}),
    ...(settings.aliases ? { aliases: settings.aliases } : {}),
    ...(settings.cacheTtlInMs !== undefined ? { cacheTtlInMs: settings.cacheTtlInMs } : {}),
    ...(settings.maxConcurrentPerSubscription !== undefined
      ? { maxConcurrentPerSubscription: settings.maxConcurrentPerSubscription }
      : {}),
    ...(settings.retry ? { retry: settings.retry } : {}),
    ...(settings.now ? { now: settings.now } : {}),
  };
  if (settings.world) {
    const world = readWorld(settings.world);
    const worldHttpClient = createWorldHttpClient(world, settings.now ? { now: settings.now } : {});
    const port = createAzureReadPort({
      credential: simulatedCredential,
      cloud: azureClouds.AzureCloud,
      // A world's own subscriptions, and any configured beside them (a world can simulate a refusal
      // in a subscription it holds nothing of).
      subscriptions: [...worldSubscriptions(Object.keys(world.resources)), ...(settings.subscriptions ?? [])],
      httpClient: worldHttpClient,
      simulated: true,
      ...common,
    });
    return { port, worldHttpClient };
  }
  const cloud = findCloud(settings.cloud);
  if (!cloud)
    throw new EgressError(
      ErrorCode.InputInvalid,
      `AZURE_CLOUD "${settings.cloud ?? ""}" is not a cloud egress-bot knows (AzureCloud, AzureUSGovernment, AzureChinaCloud).`,
    );
  return {
    port: createAzureReadPort({
      credential: createDefaultCredential(cloud),
      cloud,
      subscriptions: settings.subscriptions ?? [],
      ...common,
    }),
  };
}
