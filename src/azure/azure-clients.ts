import { ContainerServiceClient } from "@azure/arm-containerservice";
import { MonitorClient } from "@azure/arm-monitor";
import { NetworkManagementClient } from "@azure/arm-network";
import { ResourceGraphClient } from "@azure/arm-resourcegraph";
import type { TokenCredential } from "@azure/core-auth";
import { createDefaultHttpClient, type HttpClient, type PipelinePolicy } from "@azure/core-rest-pipeline";
import { LogsQueryClient } from "@azure/monitor-query-logs";
import type { AzureCloudEndpoints } from "./clouds.js";
import { readOnlyPolicy } from "./read-only-policy.js";
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
}

/** The SDK clients egress-bot uses, per subscription where the SDK wants one. */
export interface AzureClients {
  containerService(subscriptionId: string): ContainerServiceClient;
  network(subscriptionId: string): NetworkManagementClient;
  monitor(subscriptionId: string): MonitorClient;
  readonly resourceGraph: ResourceGraphClient;
  readonly logs: LogsQueryClient;
  readonly httpClient: HttpClient;
}

const cloudSettings = { AzureCloud: "AZURE_PUBLIC_CLOUD", AzureUSGovernment: "AZURE_US_GOVERNMENT", AzureChinaCloud: "AZURE_CHINA_CLOUD" } as const;

/**
 * Builds the SDK clients with egress-bot's policies: the read-only guard, a per-subscription bound on
 * requests in flight, and retries of 429s that carry no Retry-After (the SDK retries only those with).
 */
export function createAzureClients(options: AzureClientOptions): AzureClients {
  const inner = options.httpClient ?? createDefaultHttpClient();
  const httpClient = options.wrapHttpClient ? options.wrapHttpClient(inner) : inner;
  const policies: { policy: PipelinePolicy; position: "perCall" | "perRetry" }[] = [
    { policy: readOnlyPolicy, position: "perCall" },
    { policy: throttledRetryPolicy(options.retry), position: "perCall" },
    { policy: subscriptionLimitPolicy(options.maxConcurrentPerSubscription ?? 8), position: "perRetry" },
  ];
  const retryOptions = { maxRetries: options.retry?.maxRetries ?? 3, retryDelayInMs: options.retry?.retryDelayInMs ?? 1000, maxRetryDelayInMs: options.retry?.maxRetryDelayInMs ?? 16_000 };
  const common = { httpClient, additionalPolicies: policies, retryOptions, cloudSetting: cloudSettings[options.cloud.name] };
  const perSubscription = <T>(create: (subscriptionId: string) => T): ((subscriptionId: string) => T) => {
    const clients = new Map<string, T>();
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
  return {
    httpClient,
    containerService: perSubscription((subscriptionId) => new ContainerServiceClient(options.credential, subscriptionId, common)),
    network: perSubscription((subscriptionId) => new NetworkManagementClient(options.credential, subscriptionId, common)),
    monitor: perSubscription((subscriptionId) => new MonitorClient(options.credential, subscriptionId, common)),
    resourceGraph: new ResourceGraphClient(options.credential, common),
    logs: new LogsQueryClient(options.credential, { httpClient, additionalPolicies: policies, retryOptions, endpoint: options.cloud.logAnalytics, audience: options.cloud.logAnalyticsAudience.replace(/\/\.default$/, "") }),
  };
}
