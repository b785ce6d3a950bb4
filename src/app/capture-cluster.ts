import { stringify } from "yaml";
import { createRecordingHttpClient, type RecordedRead, type RecordingHttpClient } from "../azure/recording-http-client.js";
import type { ClusterGraph } from "../core/azure/cluster-graph.js";
import { readClusterGraph } from "../core/azure/read-cluster-graph.js";
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

/**
 * Records what reading a cluster's egress graph reads (through the same Azure layer as a run) into a
 * world file, secrets stripped, so an incident can be replayed or shared without access. Logs and
 * metrics are not copied: they can hold addresses and names the world file should not carry.
 */
export async function captureCluster(settings: AzureSettings, clusterText: string, nowIso: string): Promise<CaptureResult> {
  let recorder: RecordingHttpClient | undefined;
  const { port } = createAzureAccess({ ...settings, cacheTtlInMs: 600_000, wrapHttpClient: (inner) => (recorder = createRecordingHttpClient(inner)) });
  const graph = await readClusterGraph(port, clusterText);
  const resources = worldResourcesFromReads(recorder?.reads ?? []);
  const source = settings.world ? `the simulated world ${settings.world}` : `Azure (${settings.cloud ?? "AzureCloud"})`;
  const world: WorldFile = { schema: worldSchemaId, description: `Captured from ${source} at ${nowIso} for cluster ${graph.cluster.id}. Secrets stripped.`, resources };
  const header = `# Captured by \`egress capture cluster\` from ${source} at ${nowIso}.\n# Secrets and tokens are stripped; logs and metrics are not included.\n`;
  return { world, text: header + stringify(world, { lineWidth: 0, aliasDuplicateObjects: false }), resourceCount: Object.keys(resources).length, problems: graph.problems };
}
