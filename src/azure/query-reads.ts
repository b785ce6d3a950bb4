import type { QueryTable } from "../core/azure/model.js";
import { withAbortSignal } from "./abort-scope.js";
import { renderQuery } from "../core/queries/query-registry.js";
import { EgressError, ErrorCode } from "../core/errors.js";
import type { QueryRequest } from "../core/ports/azure-read-port.js";
import type { AzureClients } from "./azure-clients.js";

/** Turns Resource Graph's object rows into a table (columns in first-seen order). */
export function objectsToTable(rows: readonly Record<string, unknown>[]): QueryTable {
  const names = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return {
    columns: names.map((name) => ({ name, type: "dynamic" })),
    rows: rows.map((row) => names.map((name) => row[name] ?? null)),
  };
}

/** Runs a registered Resource Graph query over the subscriptions, following `$skipToken` pages. */
export async function runResourceGraphQuery(
  clients: AzureClients,
  request: QueryRequest,
  subscriptions: readonly string[],
  abortSignal?: AbortSignal,
): Promise<{ table: QueryTable; text: string; pages: number }> {
  const { service, text } = renderQuery(request.name, request.parameters);
  if (service !== "resourceGraph")
    throw new EgressError(ErrorCode.Internal, `Query ${request.name} is not a Resource Graph query.`);
  const rows: Record<string, unknown>[] = [];
  let skipToken: string | undefined;
  let pages = 0;
  for (let page = 0; page < 50; page++) {
    pages++;
    const response = await (
      await clients.resourceGraph()
    ).resources(
      { query: text, subscriptions: [...subscriptions], options: { top: 1000, ...(skipToken ? { skipToken } : {}) } },
      abortSignal ? { abortSignal } : {},
    );
    rows.push(...((response.data as Record<string, unknown>[] | undefined) ?? []));
    skipToken = response.skipToken;
    if (!skipToken) break;
  }
  return { table: objectsToTable(rows), text, pages };
}

/** An ISO-8601 timespan (`PT1H`, `start/end`) as the logs client's time interval. */
function toTimeInterval(timespan: string): { duration: string } | { startTime: Date; endTime: Date } {
  const [start, end] = timespan.split("/");
  if (start && end) return { startTime: new Date(start), endTime: new Date(end) };
  return { duration: timespan };
}

/** Runs a registered Log Analytics query on a workspace (customer ID) or, for an ARM ID, in its resource context. */
export async function runLogsQuery(
  clients: AzureClients,
  workspace: string,
  request: QueryRequest,
  timespan: string,
  abortSignal?: AbortSignal,
): Promise<{ table: QueryTable; text: string }> {
  const { service, text } = renderQuery(request.name, request.parameters);
  if (service !== "logAnalytics")
    throw new EgressError(ErrorCode.Internal, `Query ${request.name} is not a Log Analytics query.`);
  const interval = toTimeInterval(timespan);
  const options = abortSignal ? { abortSignal } : {};
  // The SDK joins the resource ID after "/v1/", so a leading slash would give "//subscriptions".
  const logs = await clients.logs();
  // The SDK does not pass the signal on to its request; the abort scope does.
  const result = await withAbortSignal(abortSignal, () =>
    workspace.startsWith("/")
      ? logs.queryResource(workspace.replace(/^\/+/, ""), text, interval, options)
      : logs.queryWorkspace(workspace, text, interval, options),
  );
  const tables = "tables" in result ? result.tables : result.partialTables;
  const first = tables[0];
  const table: QueryTable = {
    columns: (first?.columnDescriptors ?? []).map((column) => ({
      name: column.name ?? "",
      type: column.type ?? "string",
    })),
    rows: (first?.rows ?? []).map((row) => row.map((value) => (value instanceof Date ? value.toISOString() : value))),
  };
  if ("partialError" in result) return { table: { ...table, partialError: result.partialError.message }, text };
  return { table, text };
}
