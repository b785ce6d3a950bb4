import { resourceTypeOf } from "../core/azure/resource-id.js";
import { evaluateKql, type KqlResult } from "./kql/evaluate-kql.js";
import { KqlDate } from "./kql/kql-ast.js";
import { createKqlAstCache } from "./kql/kql-ast-cache.js";
import { OffThreadKqlParser } from "./kql/off-thread-kql-parser.js";

// One per process: the simulator's queries repeat, within a process and from one process to the next,
// and a query seen for the first time is parsed on a worker thread, never on the event loop.
const parsedQueries = createKqlAstCache();
const kqlParser = new OffThreadKqlParser();
const parsed = (query: string) => parsedQueries.parseAsync(query, (text) => kqlParser.parse(text));

import type { WorldIndex } from "./world-index.js";
import type { WorldFile } from "./world.js";
import { parseTimespan, resolveWorldTime } from "./world-time.js";

// Resource types that Resource Graph's `resources` table does not list as rows of their own.
const notInResourceGraph =
  /\/(subnets|routes|agentpools|outboundnetworkdependenciesendpoints|diagnosticsettings|rulecollectiongroups)$/;

/**
 * Resource Graph's `resources` rows for the given subscriptions, shaped as ARG returns them (raw ARM JSON,
 * lower-cased type). `readable` leaves out what the caller may not read: Resource Graph lists only the
 * resources the identity has read access to, without an error for the rest.
 */
export function resourceGraphRows(
  index: WorldIndex,
  subscriptions: readonly string[],
  readable: (id: string) => boolean = () => true,
): Record<string, unknown>[] {
  const wanted = new Set(subscriptions.map((subscription) => subscription.toLowerCase()));
  return index.all().flatMap((body) => {
    const id = String(body.id);
    const type = resourceTypeOf(id);
    const match = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\//i.exec(id);
    if (!type || !match || notInResourceGraph.test(type) || !readable(id)) return [];
    if (wanted.size > 0 && !wanted.has((match[1] ?? "").toLowerCase())) return [];
    return [
      {
        id,
        name: body.name ?? id.split("/").pop(),
        type,
        tenantId: "",
        kind: body.kind ?? "",
        location: body.location ?? "",
        resourceGroup: (match[2] ?? "").toLowerCase(),
        subscriptionId: match[1],
        managedBy: body.managedBy ?? "",
        sku: body.sku ?? null,
        properties: body.properties ?? {},
        tags: body.tags ?? {},
        identity: body.identity ?? null,
        zones: body.zones ?? null,
      },
    ];
  });
}

/** Runs a Resource Graph query over the world. */
export async function queryResourceGraph(
  index: WorldIndex,
  query: string,
  subscriptions: readonly string[],
  nowMs: number,
  readable?: (id: string) => boolean,
): Promise<KqlResult> {
  const ast = await parsed(query);
  const rows = resourceGraphRows(index, subscriptions, readable);
  return evaluateKql(ast, {
    table: (name) => (name.toLowerCase() === "resources" ? rows : undefined),
    nowMs,
  });
}

/**
 * The log tables of a workspace, found by the key they are given under (customer ID or ARM ID), or,
 * for an ARM ID, through the workspace resource's `properties.customerId`, as the service resolves it.
 */
export function workspaceTables(
  world: WorldFile,
  workspace: string,
): Record<string, Record<string, unknown>[]> | undefined {
  const byKey = (key: string): Record<string, Record<string, unknown>[]> | undefined =>
    Object.entries(world.logs ?? {}).find(([candidate]) => candidate.toLowerCase() === key.toLowerCase())?.[1];
  const direct = byKey(workspace);
  if (direct) return direct;
  const resource = Object.entries(world.resources).find(([id]) => id.toLowerCase() === workspace.toLowerCase())?.[1];
  const customerId = (resource?.properties as { customerId?: unknown } | undefined)?.customerId;
  return typeof customerId === "string" ? byKey(customerId) : undefined;
}

/** Runs a Log Analytics query over a workspace's rows, within the request's timespan as the service does. */
export async function queryLogs(
  tables: Record<string, Record<string, unknown>[]>,
  query: string,
  timespan: string | undefined,
  nowMs: number,
): Promise<KqlResult> {
  const ast = await parsed(query);
  const window = parseTimespan(timespan, nowMs);
  const table = (name: string): Record<string, unknown>[] | undefined => {
    const rows = Object.entries(tables).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
    if (!rows) return undefined;
    return rows
      .map((row) =>
        typeof row.TimeGenerated === "string"
          ? { ...row, TimeGenerated: new KqlDate(resolveWorldTime(row.TimeGenerated, nowMs)) }
          : row,
      )
      .filter(
        (row) =>
          !window ||
          !(row.TimeGenerated instanceof KqlDate) ||
          (row.TimeGenerated.ms >= window[0] && row.TimeGenerated.ms <= window[1]),
      );
  };
  return evaluateKql(ast, { table, nowMs });
}

/** The Log Analytics column type of a value. */
export function logsColumnType(values: readonly unknown[]): string {
  const sample = values.find((value) => value !== null && value !== undefined);
  if (sample instanceof KqlDate) return "datetime";
  if (typeof sample === "number") return Number.isInteger(sample) ? "long" : "real";
  if (typeof sample === "boolean") return "bool";
  if (typeof sample === "object") return "dynamic";
  return "string";
}
