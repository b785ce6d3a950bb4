import type { TokenCredential } from "@azure/core-auth";
import { createPipelineRequest, RestError, type HttpClient } from "@azure/core-rest-pipeline";
import type { ClusterRef } from "../core/commands/value-syntax.js";
import { aliasTarget } from "../core/azure/cluster-reference.js";
import { EgressError, ErrorCode, isEgressError } from "../core/errors.js";
import { formatResourceId, parseResourceId, sameResourceId, type ResourceIdParts } from "../core/azure/resource-id.js";
import { tableObjects } from "../core/azure/model.js";
import type { AzureFirewall as SdkAzureFirewall, NetworkManagementClient } from "@azure/arm-network";
import type { ManagedCluster as SdkManagedCluster } from "@azure/arm-containerservice";
import type { AzureReadPort, ClusterMatch, Read } from "../core/ports/azure-read-port.js";
import type { OperationOptions } from "../core/ports/clock.js";
import { apiVersionForProvider, apiVersions } from "./api-versions.js";
import { createAzureClients } from "./azure-clients.js";
import { checkIdentity, checkSubscription, type IdentityCheck, type ReadCheck } from "./diagnose-access.js";
import type { AzureCloudEndpoints } from "./clouds.js";
import { flattenArmProperties } from "./map/flatten-arm-properties.js";
import { toManagedCluster, toOutboundDependencies } from "./map/map-cluster.js";
import { toAzureFirewall, toFirewallPolicy, toRuleCollectionGroup } from "./map/map-firewall.js";
import { toDiagnosticSetting, toMetricSeries } from "./map/map-monitor.js";
import {
  toEffectiveRouteTable,
  toLoadBalancer,
  toPrivateEndpoint,
  toNatGateway,
  toPublicIpAddress,
  toPublicIpPrefix,
  toRouteTable,
  toSubnet,
  toVirtualNetwork,
  toHubRouteTable,
  toHubVirtualNetworkConnection,
  toRoutingIntent,
} from "./map/map-network.js";
import { toEgressInventory } from "./map/map-inventory.js";
import { runLogsQuery, runResourceGraphQuery } from "./query-reads.js";
import { ReadCache } from "./read-cache.js";
import { collect, createReader, requireResourceId } from "./read-helpers.js";
import type { ThrottledRetryOptions } from "./throttled-retry-policy.js";

/** Options of {@link createAzureReadPort}. */
export interface AzureReadPortOptions {
  readonly credential: TokenCredential;
  readonly cloud: AzureCloudEndpoints;
  /** Subscriptions searched for clusters and queried by Resource Graph. */
  readonly subscriptions: readonly string[];
  /** Configured aliases: a short name → a cluster's ARM ID. */
  readonly aliases?: Readonly<Record<string, string>>;
  /** The transport. @default the SDK's own */
  readonly httpClient?: HttpClient;
  /** Wraps the transport, e.g. to record reads for capture. */
  readonly wrapHttpClient?: (inner: HttpClient) => HttpClient;
  /** True when the transport is a simulated world: everything read through it is labelled simulated. */
  readonly simulated?: boolean;
  /** @default 30000 */
  readonly cacheTtlInMs?: number;
  /**
   * How often the effective-route poller asks when Azure sends no Retry-After. @default 2000
   * (Azure computes an effective route table in seconds.)
   */
  readonly effectiveRoutePollIntervalInMs?: number;
  readonly maxConcurrentPerSubscription?: number;
  readonly retry?: ThrottledRetryOptions;
  readonly now?: () => number;
}

/** The Azure read port with its cache statistics and the checks `egress doctor` runs. */
export type AzureAccess = AzureReadPort & {
  readonly cache: ReadCache;
  readonly cloud: AzureCloudEndpoints;
  readonly subscriptions: readonly string[];
  checkIdentity(): Promise<IdentityCheck>;
  checkSubscription(subscriptionId: string): Promise<ReadCheck[]>;
};

const arm = (operation: string, resourceId: string | null, apiVersion: string) => ({
  operation,
  resourceId,
  apiVersion,
  query: null,
});

/**
 * Azure through the official SDK clients, in the domain's terms: every answer is mapped once, cached
 * briefly with its "as of" time, coalesced with identical reads in flight, and every vendor error is
 * translated once. With a simulated HTTP client the very same code runs against a world.
 */
export function createAzureReadPort(options: AzureReadPortOptions): AzureAccess {
  const clients = createAzureClients({
    credential: options.credential,
    cloud: options.cloud,
    ...(options.httpClient ? { httpClient: options.httpClient } : {}),
    ...(options.wrapHttpClient ? { wrapHttpClient: options.wrapHttpClient } : {}),
    ...(options.maxConcurrentPerSubscription
      ? { maxConcurrentPerSubscription: options.maxConcurrentPerSubscription }
      : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    subscriptions: options.subscriptions,
  });
  const cache = new ReadCache({
    ttlInMs: options.cacheTtlInMs ?? 30_000,
    ...(options.now ? { now: options.now } : {}),
  });
  const read = createReader(cache);
  const network = (id: string, types: string[]) => {
    const parts = requireResourceId(id, "Microsoft.Network", types);
    return { parts, client: clients.network(parts.subscriptionId) };
  };
  const signal = (abortSignal?: AbortSignal) => (abortSignal ? { abortSignal } : {});
  /** A typed GET of one Microsoft.Network resource: parse the ID, call the SDK, map the model. */
  const networkRead =
    <Sdk, Domain>(
      types: string[],
      get: (
        client: NetworkManagementClient,
        parts: ResourceIdParts,
        request: { abortSignal?: AbortSignal },
      ) => Promise<Sdk>,
      map: (model: Sdk, id: string) => Domain,
    ) =>
    async (id: string, operationOptions: OperationOptions = {}): Promise<Read<Domain>> => {
      const { parts, client } = network(id, types);
      return await read(
        arm(`Microsoft.Network/${types.join("/")}/read`, id, apiVersions.network),
        id,
        async (shared) => map(await get(await client, parts, signal(shared)), id),
        operationOptions,
      );
    };

  /** A paged list of a Microsoft.Network resource's children: parse the parent ID, collect the pages, map each. */
  const networkList =
    <Sdk, Domain>(
      types: string[],
      child: string,
      list: (
        client: NetworkManagementClient,
        parts: ResourceIdParts,
        request: { abortSignal?: AbortSignal },
      ) => AsyncIterable<Sdk>,
      map: (model: Sdk, parentId: string) => Domain,
    ) =>
    async (id: string, operationOptions: OperationOptions = {}): Promise<Read<Domain[]>> => {
      const { parts, client } = network(id, types);
      return await read(
        arm(`Microsoft.Network/${types.join("/")}/${child}/read`, id, apiVersions.network),
        id,
        async (shared) => (await collect(list(await client, parts, signal(shared)))).map((model) => map(model, id)),
        operationOptions,
      );
    };

  const getCluster: AzureReadPort["getCluster"] = async (clusterId, operationOptions = {}) => {
    const parts = requireResourceId(clusterId, "Microsoft.ContainerService", ["managedClusters"]);
    return await read(
      arm("Microsoft.ContainerService/managedClusters/read", clusterId, apiVersions.containerService),
      clusterId,
      async (shared) =>
        toManagedCluster(
          await (
            await clients.containerService(parts.subscriptionId)
          ).managedClusters.get(parts.resourceGroup, parts.name, signal(shared)),
          clusterId,
        ),
      operationOptions,
    );
  };

  const findClusters: AzureReadPort["findClusters"] = async (reference: ClusterRef, operationOptions = {}) => {
    // The same alias reading as authorization's (core/azure/cluster-reference), case-insensitive.
    const alias =
      reference.kind === "name" ? (aliasTarget(reference.name, options.aliases ?? {}) ?? undefined) : undefined;
    const directId =
      alias ??
      (reference.kind === "id"
        ? reference.text
        : reference.kind === "path" && reference.subscriptionId
          ? `/subscriptions/${reference.subscriptionId}/resourceGroups/${reference.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${reference.name}`
          : undefined);
    if (directId) {
      const cluster = await getCluster(directId, operationOptions);
      const match: ClusterMatch = {
        id: cluster.value.id,
        name: cluster.value.name,
        resourceGroup: cluster.value.resourceGroup,
        subscriptionId: cluster.value.subscriptionId,
        location: cluster.value.location,
      };
      return { value: [match], asOf: cluster.asOf, source: cluster.source };
    }
    const parameters = {
      name: reference.name,
      ...(reference.kind === "path" ? { resourceGroup: reference.resourceGroup } : {}),
    };
    try {
      const found = await queryResourceGraph({ name: "clustersByName", parameters }, operationOptions);
      const matches = tableObjects(found.value).map((row) => ({
        id: String(row.id),
        name: String(row.name),
        resourceGroup: String(row.resourceGroup),
        subscriptionId: String(row.subscriptionId),
        location: String(row.location),
        // The row is the cluster's ARM JSON: the same mapper as a GET's reads it.
        ...(row.properties && typeof row.properties === "object"
          ? { cluster: toManagedCluster(flattenArmProperties(row) as SdkManagedCluster, String(row.id)) }
          : {}),
      }));
      return { value: matches, asOf: found.asOf, source: found.source };
    } catch (error) {
      // Resource Graph first; when it is refused or unavailable, list the clusters of each subscription.
      if (
        !isEgressError(error) ||
        !["AZURE_FORBIDDEN", "AZURE_BAD_REQUEST", "AZURE_UNAVAILABLE", "AZURE_THROTTLED"].includes(error.code)
      )
        throw error;
      return listClustersByName(
        parameters.name,
        "resourceGroup" in parameters ? parameters.resourceGroup : undefined,
        operationOptions,
      );
    }
  };

  const listClustersByName = async (
    name: string,
    resourceGroup: string | undefined,
    operationOptions: OperationOptions,
  ): Promise<Read<readonly ClusterMatch[]>> => {
    const listed = await Promise.all(
      options.subscriptions.map((subscriptionId) =>
        read(
          arm(
            "Microsoft.ContainerService/managedClusters/read",
            `/subscriptions/${subscriptionId}`,
            apiVersions.containerService,
          ),
          `/subscriptions/${subscriptionId}`,
          async (shared) =>
            (await collect((await clients.containerService(subscriptionId)).managedClusters.list(signal(shared)))).map(
              (cluster) => toManagedCluster(cluster, cluster.id ?? ""),
            ),
          operationOptions,
        ),
      ),
    );
    const matches = listed
      .flatMap((result) => result.value)
      .filter(
        (cluster) =>
          cluster.name.toLowerCase() === name.toLowerCase() &&
          (resourceGroup === undefined || cluster.resourceGroup.toLowerCase() === resourceGroup.toLowerCase()),
      );
    const first = listed[0];
    return {
      value: matches.map(({ id, name: clusterName, resourceGroup: group, subscriptionId, location }) => ({
        id,
        name: clusterName,
        resourceGroup: group,
        subscriptionId,
        location,
      })),
      asOf: first?.asOf ?? new Date((options.now ?? Date.now)()).toISOString(),
      source: arm("Microsoft.ContainerService/managedClusters/read", null, apiVersions.containerService),
    };
  };

  const queryResourceGraph: AzureReadPort["queryResourceGraph"] = async (request, operationOptions = {}) => {
    const key = JSON.stringify([request, options.subscriptions]);
    const result = await read(
      arm("Microsoft.ResourceGraph/resources/action", null, apiVersions.resourceGraph),
      key,
      (shared) => runResourceGraphQuery(clients, request, options.subscriptions, shared),
      operationOptions,
    );
    return { value: result.value.table, asOf: result.asOf, source: { ...result.source, query: result.value.text } };
  };

  const port: AzureReadPort = {
    simulated: options.simulated ?? false,
    async getResource(resourceId, operationOptions = {}) {
      const parts = parseResourceId(resourceId);
      const apiVersion = parts ? apiVersionForProvider(parts.provider) : undefined;
      if (!parts || !apiVersion)
        throw new EgressError(
          ErrorCode.InputInvalid,
          `egress-bot cannot read "${resourceId.slice(0, 200)}": only Microsoft.ContainerService, Microsoft.Network and Microsoft.OperationalInsights resources are read generically.`,
        );
      const result = await read(
        arm(`${parts.provider}/${parts.types.join("/")}/read`, resourceId, apiVersion),
        resourceId,
        async (shared) => {
          const pipeline = (await clients.network(parts.subscriptionId)).pipeline;
          const request = createPipelineRequest({
            // Written back from the parsed parts: no text of the given ID reaches the URL unchecked,
            // and the api-version is the bot's.
            url: `${options.cloud.resourceManager}${formatResourceId(parts)}?api-version=${apiVersion}`,
            method: "GET",
            ...(shared ? { abortSignal: shared } : {}),
          });
          const response = await pipeline.sendRequest(clients.httpClient, request);
          if (response.status >= 400)
            throw new RestError(`GET ${resourceId} answered ${response.status}`, {
              statusCode: response.status,
              response,
            });
          return JSON.parse(response.bodyAsText ?? "{}") as Record<string, unknown>;
        },
        operationOptions,
      );
      return { body: structuredClone(result.value), resourceId, apiVersion, asOf: result.asOf };
    },
    findClusters,
    getCluster,
    listOutboundDependencies: async (clusterId, operationOptions = {}) => {
      const parts = requireResourceId(clusterId, "Microsoft.ContainerService", ["managedClusters"]);
      return await read(
        arm(
          "Microsoft.ContainerService/managedClusters/outboundNetworkDependenciesEndpoints/read",
          clusterId,
          apiVersions.containerService,
        ),
        clusterId,
        async (shared) =>
          toOutboundDependencies(
            await collect(
              (
                await clients.containerService(parts.subscriptionId)
              ).managedClusters.listOutboundNetworkDependenciesEndpoints(
                parts.resourceGroup,
                parts.name,
                signal(shared),
              ),
            ),
          ),
        operationOptions,
      );
    },
    getSubnet: networkRead(
      ["virtualNetworks", "subnets"],
      (client, parts, request) => client.subnets.get(parts.resourceGroup, parts.names[0] ?? "", parts.name, request),
      toSubnet,
    ),
    getVirtualNetwork: networkRead(
      ["virtualNetworks"],
      (client, parts, request) => client.virtualNetworks.get(parts.resourceGroup, parts.name, request),
      toVirtualNetwork,
    ),
    getRouteTable: networkRead(
      ["routeTables"],
      (client, parts, request) => client.routeTables.get(parts.resourceGroup, parts.name, request),
      toRouteTable,
    ),
    getNatGateway: networkRead(
      ["natGateways"],
      (client, parts, request) => client.natGateways.get(parts.resourceGroup, parts.name, request),
      toNatGateway,
    ),
    getPublicIpAddress: networkRead(
      ["publicIPAddresses"],
      (client, parts, request) => client.publicIPAddresses.get(parts.resourceGroup, parts.name, request),
      toPublicIpAddress,
    ),
    getPublicIpPrefix: networkRead(
      ["publicIPPrefixes"],
      (client, parts, request) => client.publicIPPrefixes.get(parts.resourceGroup, parts.name, request),
      toPublicIpPrefix,
    ),
    getLoadBalancer: networkRead(
      ["loadBalancers"],
      (client, parts, request) => client.loadBalancers.get(parts.resourceGroup, parts.name, request),
      toLoadBalancer,
    ),
    listAzureFirewalls: async (operationOptions = {}) => {
      const found = await queryResourceGraph({ name: "azureFirewalls", parameters: {} }, operationOptions);
      return {
        ...found,
        value: tableObjects(found.value).map((row) =>
          toAzureFirewall(flattenArmProperties(row) as SdkAzureFirewall, String(row.id)),
        ),
      };
    },
    getAzureFirewall: networkRead(
      ["azureFirewalls"],
      (client, parts, request) => client.azureFirewalls.get(parts.resourceGroup, parts.name, request),
      toAzureFirewall,
    ),
    getPrivateEndpoint: networkRead(
      ["privateEndpoints"],
      (client, parts, request) => client.privateEndpoints.get(parts.resourceGroup, parts.name, request),
      toPrivateEndpoint,
    ),
    getFirewallPolicy: networkRead(
      ["firewallPolicies"],
      (client, parts, request) => client.firewallPolicies.get(parts.resourceGroup, parts.name, request),
      toFirewallPolicy,
    ),
    listRuleCollectionGroups: networkList(
      ["firewallPolicies"],
      "ruleCollectionGroups",
      (client, parts, request) =>
        client.firewallPolicyRuleCollectionGroups.list(parts.resourceGroup, parts.name, request),
      toRuleCollectionGroup,
    ),
    getEffectiveRouteTable: async (networkInterfaceId, operationOptions = {}) => {
      const { parts, client } = network(networkInterfaceId, ["networkInterfaces"]);
      return await read(
        arm("Microsoft.Network/networkInterfaces/effectiveRouteTable/action", networkInterfaceId, apiVersions.network),
        networkInterfaceId,
        async (shared) =>
          toEffectiveRouteTable(
            // A long-running POST: Azure answers 202 and a Location the poller reads (GETs) until done.
            await (
              await client
            ).networkInterfaces.getEffectiveRouteTable(parts.resourceGroup, parts.name, {
              ...signal(shared),
              updateIntervalInMs: options.effectiveRoutePollIntervalInMs ?? 2_000,
            }),
            networkInterfaceId,
          ),
        operationOptions,
      );
    },
    listHubVirtualNetworkConnections: networkList(
      ["virtualHubs"],
      "hubVirtualNetworkConnections",
      (client, parts, request) => client.hubVirtualNetworkConnections.list(parts.resourceGroup, parts.name, request),
      toHubVirtualNetworkConnection,
    ),
    listHubRouteTables: networkList(
      ["virtualHubs"],
      "hubRouteTables",
      (client, parts, request) => client.hubRouteTables.list(parts.resourceGroup, parts.name, request),
      toHubRouteTable,
    ),
    listRoutingIntents: networkList(
      ["virtualHubs"],
      "routingIntent",
      (client, parts, request) => client.routingIntentOperations.list(parts.resourceGroup, parts.name, request),
      toRoutingIntent,
    ),
    listPrivateDnsZoneLinks: async (virtualNetworkId, operationOptions = {}) => {
      const found = await queryResourceGraph(
        { name: "privateDnsZoneLinks", parameters: { virtualNetworkId } },
        operationOptions,
      );
      const links = tableObjects(found.value).map((row) => ({
        id: String(row.id),
        zoneName: String(row.id).split("/")[8] ?? "",
        virtualNetworkId: String(row.virtualNetworkId),
        registrationEnabled: row.registrationEnabled === true,
      }));
      return { ...found, value: links.filter((link) => sameResourceId(link.virtualNetworkId, virtualNetworkId)) };
    },
    listDiagnosticSettings: async (resourceId, operationOptions = {}) => {
      const parts = parseResourceId(resourceId);
      if (!parts)
        throw new EgressError(ErrorCode.InputInvalid, `"${resourceId.slice(0, 200)}" is not an ARM resource ID.`);
      // The monitor client joins the URI after the host with a slash: give it no leading slash.
      return await read(
        arm("Microsoft.Insights/diagnosticSettings/read", resourceId, apiVersions.diagnosticSettings),
        resourceId,
        async (shared) =>
          (
            await collect(
              (await clients.monitor(parts.subscriptionId)).diagnosticSettings.list(
                resourceId.replace(/^\/+/, ""),
                signal(shared),
              ),
            )
          ).map(toDiagnosticSetting),
        operationOptions,
      );
    },
    getMetrics: async (request, operationOptions = {}) => {
      const parts = parseResourceId(request.resourceId);
      if (!parts)
        throw new EgressError(
          ErrorCode.InputInvalid,
          `"${request.resourceId.slice(0, 200)}" is not an ARM resource ID.`,
        );
      const source = {
        ...arm("Microsoft.Insights/metrics/read", request.resourceId, apiVersions.metrics),
        timespan: request.timespan,
      };
      return await read(
        source,
        JSON.stringify(request),
        async (shared) => {
          const response = await (
            await clients.monitor(parts.subscriptionId)
          ).metrics.list(request.resourceId.replace(/^\/+/, ""), {
            metricnames: request.metricNames.join(","),
            aggregation: request.aggregation,
            timespan: request.timespan,
            interval: request.interval ?? "PT1M",
            ...(request.filter ? { filter: request.filter } : {}),
            ...signal(shared),
          });
          return toMetricSeries(response.value);
        },
        operationOptions,
      );
    },
    queryResourceGraph,
    readEgressInventory: async (operationOptions = {}) => {
      const request = { name: "egressInventory", parameters: {} } as const;
      // Cached mapped, not as rows: the fleet, whois and the drift watch share one inventory per TTL.
      const result = await read(
        arm("Microsoft.ResourceGraph/resources/action", null, apiVersions.resourceGraph),
        JSON.stringify(["egress-inventory", options.subscriptions]),
        async (shared) => {
          const found = await runResourceGraphQuery(clients, request, options.subscriptions, shared);
          return { inventory: toEgressInventory(tableObjects(found.table), found.pages), text: found.text };
        },
        operationOptions,
      );
      return {
        value: result.value.inventory,
        asOf: result.asOf,
        source: { ...result.source, query: result.value.text },
      };
    },
    queryLogs: async (workspace, request, timespan, operationOptions = {}) => {
      const source = {
        operation: "Microsoft.OperationalInsights/workspaces/query/read",
        resourceId: workspace.startsWith("/") ? workspace : null,
        apiVersion: null,
        query: null,
        timespan,
      };
      const result = await read(
        source,
        JSON.stringify([workspace, request, timespan]),
        (shared) => runLogsQuery(clients, workspace, request, timespan, shared),
        operationOptions,
      );
      return { value: result.value.table, asOf: result.asOf, source: { ...result.source, query: result.value.text } };
    },
  };
  return Object.assign(port, {
    cache,
    cloud: options.cloud,
    subscriptions: options.subscriptions,
    checkIdentity: () => checkIdentity(options.credential, options.cloud),
    checkSubscription: (subscriptionId: string) => checkSubscription(clients, subscriptionId),
  });
}
