import type { ContainerServiceClient } from "@azure/arm-containerservice";
import type { MonitorClient } from "@azure/arm-monitor";
import type { NetworkManagementClient } from "@azure/arm-network";
import type { ResourceGraphClient } from "@azure/arm-resourcegraph";
import type { TokenCredential } from "@azure/core-auth";
import { createDefaultHttpClient, type HttpClient, type PipelinePolicy } from "@azure/core-rest-pipeline";
import type { LogsQueryClient } from "@azure/monitor-query-logs";
import type { AzureCloudEndpoints } from "./clouds.js";
import { abortScopePolicy } from "./abort-scope.js";
import { readOnlyPolicy } from "./read-only-policy.js";
import { readScopePolicy } from "./read-scope-policy.js";
import { subscriptionLimitPolicy } from "./subscription-limit-policy.js";
import { throttledRetryPolicy, type ThrottledRetryOptions } from "./throttled-retry-policy.js";

/** How the SDK clients are built. */
export interface AzureClientOptions {
  readonly credential: TokenCredential;
  readonly cloud: AzureCloudEndpoints;
  /** The transport; a world's simulated client in simulated mode. @default the SDK's own */
  readonly httpClient?: HttpClient;
  /** Wraps the transport, e.g. to record reads for capture. */
  readonly wrapHttpClient?: (inner: HttpClient) => HttpClient;
  /** Requests in flight per subscription. @default 8 */
  readonly maxConcurrentPerSubscription?: number;
  /** Retry tuning for both the SDK's policy and ours (small values in tests). */
  readonly retry?: ThrottledRetryOptions;
  /** Subscriptions reads may touch; every request outside them is refused before it is sent. */
  readonly subscriptions: readonly string[];
}

/**
 * The SDK clients egress-bot uses, per subscription where the SDK wants one. Each SDK package is
 * imported on first use: together they weigh tens of megabytes, and an idle bot needs none of them.
 */
export interface AzureClients {
  containerService(subscriptionId: string): Promise<ContainerServiceClient>;
  network(subscriptionId: string): Promise<NetworkManagementClient>;
  monitor(subscriptionId: string): Promise<MonitorClient>;
  resourceGraph(): Promise<ResourceGraphClient>;
  logs(): Promise<LogsQueryClient>;
  readonly httpClient: HttpClient;
}

const cloudSettings = {
  AzureCloud: "AZURE_PUBLIC_CLOUD",
  AzureUSGovernment: "AZURE_US_GOVERNMENT",
  AzureChinaCloud: "AZURE_CHINA_CLOUD",
} as const;

/**
 * Builds the SDK clients with egress-bot's policies: the read-only guard, a per-subscription bound on
 * requests in flight, and retries of 429s that carry no Retry-After (the SDK retries only those with).
 */
export function createAzureClients(options: AzureClientOptions): AzureClients {
  const inner = options.httpClient ?? createDefaultHttpClient();
  const httpClient = options.wrapHttpClient ? options.wrapHttpClient(inner) : inner;
  const policies: { policy: PipelinePolicy; position: "perCall" | "perRetry" }[] = [
    { policy: readOnlyPolicy, position: "perCall" },
    { policy: readScopePolicy({ cloud: options.cloud, subscriptions: options.subscriptions }), position: "perCall" },
    { policy: throttledRetryPolicy(options.retry), position: "perCall" },
    { policy: subscriptionLimitPolicy(options.maxConcurrentPerSubscription ?? 8), position: "perRetry" },
  ];
  const retryOptions = {
    maxRetries: options.retry?.maxRetries ?? 3,
    retryDelayInMs: options.retry?.retryDelayInMs ?? 1000,
    maxRetryDelayInMs: options.retry?.maxRetryDelayInMs ?? 16_000,
  };
  const common = {
    httpClient,
    additionalPolicies: policies,
    retryOptions,
    cloudSetting: cloudSettings[options.cloud.name],
  };
  const perSubscription = <T>(
    create: (subscriptionId: string) => Promise<T>,
  ): ((subscriptionId: string) => Promise<T>) => {
    const clients = new Map<string, Promise<T>>();
    return (subscriptionId) => {
      const key = subscriptionId.toLowerCase();
      let client = clients.get(key);
      if (!client) {
        client = create(subscriptionId);
        clients.set(key, client);
      }
      return client;
    };
  };
  const once = <T>(create: () => Promise<T>): (() => Promise<T>) => {
    let client: Promise<T> | undefined;
    return () => (client ??= create());
  };
  return {
    httpClient,
    containerService: perSubscription(
      async (subscriptionId) =>
        new (await import("@azure/arm-containerservice")).ContainerServiceClient(
          options.credential,
          subscriptionId,
          common,
        ),
    ),
    network: perSubscription(
      async (subscriptionId) =>
        new (await import("@azure/arm-network")).NetworkManagementClient(options.credential, subscriptionId, common),
    ),
    monitor: perSubscription(
      async (subscriptionId) =>
        new (await import("@azure/arm-monitor")).MonitorClient(options.credential, subscriptionId, common),
    ),
    resourceGraph: once(
      async () => new (await import("@azure/arm-resourcegraph")).ResourceGraphClient(options.credential, common),
    ),
    logs: once(
      async () =>
        new (await import("@azure/monitor-query-logs")).LogsQueryClient(options.credential, {
          httpClient,
          additionalPolicies: [...policies, { policy: abortScopePolicy, position: "perCall" }],
          retryOptions,
          endpoint: options.cloud.logAnalytics,
          audience: options.cloud.logAnalyticsAudience.replace(/\/\.default$/, ""),
        }),
    ),
  };
}
