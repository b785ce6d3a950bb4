import { stringify } from "yaml";
import {
  createRecordingHttpClient,
  type RecordedRead,
  type RecordingHttpClient,
} from "../azure/recording-http-client.js";
import type { ClusterGraph } from "../core/azure/cluster-graph.js";
import { readClusterGraph } from "../core/azure/read-cluster-graph.js";
import { tableObjects } from "../core/azure/model.js";
import { sameResourceId } from "../core/azure/resource-id.js";
import { distinctCidrs } from "../core/egress/source-cidrs.js";
import type { AzureAccess } from "../azure/create-azure-read-port.js";
import { redactSecrets } from "../core/evidence/redact-secrets.js";
import { worldSchemaId, type WorldFile } from "../simulated/world.js";
import { createAzureAccess, type AzureSettings } from "./create-azure-access.js";

/** A captured world and what went into it. */
export interface CaptureResult {
  readonly world: WorldFile;
  /** The world as YAML, with a header saying where and when it was captured. */
  readonly text: string;
  readonly resourceCount: number;
  readonly problems: ClusterGraph["problems"];
}

type Body = Record<string, unknown>;

/** Turns recorded GETs into world resources: resources by their id, lists of resources item by item, other lists by path. */
export function worldResourcesFromReads(reads: readonly RecordedRead[]): Record<string, Body> {
  const resources: Record<string, Body> = {};
  for (const read of reads) {
    // A long-running operation's result belongs to the resource it was asked for, not to its
    // polling address: effective routes are added from the graph (effectiveRouteResources).
    if (/\/operationResults\//i.test(read.path)) continue;
    const body = redactSecrets(read.body);
    if (typeof body.id === "string") {
      resources[body.id] = body;
      continue;
    }
    const items = Array.isArray(body.value) ? (body.value as Body[]) : [];
    if (items.length > 0 && items.every((item) => typeof item.id === "string")) {
      for (const item of items) resources[String(item.id)] = item;
    } else if (Array.isArray(body.value)) {
      const existing = resources[read.path]?.value;
      resources[read.path] = { value: [...(Array.isArray(existing) ? (existing as unknown[]) : []), ...items] };
    }
  }
  return resources;
}

/** Each effective route table read, where a world holds it: `{nic}/effectiveRouteTable`, in ARM's shape. */
export function effectiveRouteResources(graph: ClusterGraph): Record<string, Body> {
  return Object.fromEntries(
    [...graph.effectiveRoutes.values()].map((table) => [
      `${table.networkInterfaceId}/effectiveRouteTable`,
      {
        value: table.routes.map((route) => ({
          ...(route.name ? { name: route.name } : {}),
          source: route.source,
          state: route.state,
          addressPrefix: [...route.addressPrefixes],
          nextHopIpAddress: [...route.nextHopIps],
          nextHopType: route.nextHopType,
        })),
      },
    ]),
  );
}

/** How many days of firewall log rows a capture copies. */
export const captureLogDays = 7;

/**
 * The egress firewall's log rows whose source is one of the cluster's subnets, keyed as a world holds
 * them (workspace customer ID → table → rows), so triage and denies replay from the capture. The
 * workspace resource is read too, for its customer ID.
 */
async function captureFirewallLogs(port: AzureAccess, graph: ClusterGraph): Promise<NonNullable<WorldFile["logs"]>> {
  const logs: NonNullable<WorldFile["logs"]> = {};
  const sources = distinctCidrs(
    [...graph.subnets.values()]
      .filter((subnet) =>
        graph.cluster.agentPools.some(
          (pool) => sameResourceId(pool.vnetSubnetId, subnet.id) || sameResourceId(pool.podSubnetId, subnet.id),
        ),
      )
      .flatMap((subnet) => subnet.addressPrefixes),
  );
  const workspaces = [...graph.diagnosticSettings.values()]
    .flat()
    .filter((setting) => setting.workspaceId && (setting.destinationType ?? "").toLowerCase() === "dedicated")
    .map((setting) => setting.workspaceId as string);
  if (sources.length === 0) return logs;
  for (const workspace of [...new Set(workspaces)]) {
    const resource = await port.getResource(workspace);
    const customerId = (resource.body.properties as { customerId?: unknown } | undefined)?.customerId;
    const key = typeof customerId === "string" ? customerId : workspace;
    for (const table of ["AZFWNetworkRule", "AZFWApplicationRule", "AZFWDnsQuery"]) {
      const read = await port.queryLogs(
        workspace,
        { name: "firewallLogRows", parameters: { table, sourceCidrs: sources } },
        `P${captureLogDays}D`,
      );
      // Log rows can carry URLs with signatures or tokens: they are redacted like resources.
      const rows = tableObjects(read.value).map((row) => redactSecrets(row));
      if (rows.length > 0) logs[key] = { ...logs[key], [table]: rows };
    }
  }
  return logs;
}

/**
 * Records what reading a cluster's egress graph reads (through the same Azure layer as a run) into a
 * world file, secrets stripped, so an incident can be replayed or shared without access. Firewall log
 * rows from the cluster's own subnets are copied; metrics are not.
 */
export async function captureCluster(
  settings: AzureSettings,
  clusterText: string,
  nowIso: string,
): Promise<CaptureResult> {
  let recorder: RecordingHttpClient | undefined;
  const { port } = createAzureAccess({
    ...settings,
    cacheTtlInMs: 600_000,
    wrapHttpClient: (inner) => (recorder = createRecordingHttpClient(inner)),
  });
  const graph = await readClusterGraph(port, clusterText);
  // The graph reader takes the cluster and its firewalls from Resource Graph, which a world answers
  // from its resources: they are read from ARM here so the capture holds them as resources.
  await Promise.all(
    [graph.cluster.id, ...[...graph.firewalls.values()].map((firewall) => firewall.id)].map((id) =>
      port.getResource(id),
    ),
  );
  const logs = await captureFirewallLogs(port, graph);
  const resources = { ...worldResourcesFromReads(recorder?.reads ?? []), ...effectiveRouteResources(graph) };
  const source = settings.world ? `the simulated world ${settings.world}` : `Azure (${settings.cloud ?? "AzureCloud"})`;
  const world: WorldFile = {
    schema: worldSchemaId,
    description: `Captured from ${source} at ${nowIso} for cluster ${graph.cluster.id}. Secrets stripped.`,
    resources,
    ...(Object.keys(logs).length > 0 ? { logs } : {}),
  };
  const header = `# Captured by \`egress capture cluster\` from ${source} at ${nowIso}.\n# Secrets and tokens are stripped; firewall log rows from the cluster's subnets (last ${captureLogDays} days) are included, metrics are not.\n`;
  return {
    world,
    text: header + stringify(world, { lineWidth: 0, aliasDuplicateObjects: false }),
    resourceCount: Object.keys(resources).length,
    problems: graph.problems,
  };
}
