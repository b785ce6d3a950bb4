import {
  RestError,
  createHttpHeaders,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
} from "@azure/core-rest-pipeline";
import { KqlUnsupportedError } from "./kql/kql-ast.js";
import { metricsResponse } from "./world-metrics.js";
import { WorldIndex } from "./world-index.js";
import { logsColumnType, queryLogs, queryResourceGraph, workspaceTables } from "./world-queries.js";
import type { WorldFile } from "./world.js";

/** A request the simulator answered, for tests and `capture`. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly body: string | null;
}

/** Options of {@link createWorldHttpClient}. */
export interface WorldHttpClientOptions {
  /** The time relative world times count from. @default Date.now */
  readonly now?: () => number;
  /** Items per page of a list before `nextLink`. @default 50 */
  readonly pageSize?: number;
}

/** An `HttpClient` for the Azure SDK clients that answers from a world, and what it answered. */
export interface WorldHttpClient extends HttpClient {
  readonly requests: readonly RecordedRequest[];
}

type Json = Record<string, unknown>;

const effectiveRoutesPath =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/microsoft\.network\/networkInterfaces\/[^/]+\/effectiveRouteTable$/i;
const operationResultPath =
  /^\/subscriptions\/[^/]+\/providers\/microsoft\.network\/locations\/[^/]+\/operationResults\/([A-Za-z0-9_-]+)$/i;

/** Real latency, as a slow Azure would add it; the request's abort signal cuts it short. */
const abortableDelay = (ms: number, signal: PipelineRequest["abortSignal"]): Promise<void> =>
  new Promise((resolve, reject) => {
    const aborted = (): Error => Object.assign(new Error("The operation was aborted."), { name: "AbortError" });
    if (signal?.aborted) return reject(aborted());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(aborted());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort);
  });

/**
 * Simulated Azure at the HTTP layer: handed to the real SDK clients as their `httpClient`, it answers
 * ARM GETs and lists (with `nextLink` paging), metrics, Resource Graph and Log Analytics queries from
 * the world, applying the world's faults. It answers reads only (and the one read ARM models as a
 * POST, a NIC's effective route table): any other request gets 405.
 */
export function createWorldHttpClient(world: WorldFile, options: WorldHttpClientOptions = {}): WorldHttpClient {
  const index = new WorldIndex(world);
  const now = options.now ?? Date.now;
  const pageSize = options.pageSize ?? 50;
  const faults = (world.faults ?? []).map((fault) => ({
    ...fault,
    pattern: new RegExp(fault.match, "i"),
    remaining: fault.times ?? Number.POSITIVE_INFINITY,
  }));
  const requests: RecordedRequest[] = [];

  const respond = (
    request: PipelineRequest,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): PipelineResponse => {
    requests.push({
      method: request.method,
      url: request.url,
      status,
      body: typeof request.body === "string" ? request.body : null,
    });
    return {
      request,
      status,
      headers: createHttpHeaders({
        "content-type": "application/json; charset=utf-8",
        "x-ms-request-id": `simulated-${requests.length}`,
        ...headers,
      }),
      bodyAsText: JSON.stringify(body),
    };
  };
  const error = (
    request: PipelineRequest,
    status: number,
    code: string,
    message: string,
    headers: Record<string, string> = {},
  ): PipelineResponse => respond(request, status, { error: { code, message } }, headers);

  const page = (request: PipelineRequest, url: URL, items: readonly unknown[]): PipelineResponse => {
    const skip = Number(url.searchParams.get("$skiptoken") ?? 0) || 0;
    const body: Json = { value: items.slice(skip, skip + pageSize) };
    if (skip + pageSize < items.length) {
      const next = new URL(url);
      next.searchParams.set("$skiptoken", String(skip + pageSize));
      body.nextLink = next.toString();
    }
    return respond(request, 200, body);
  };

  const armGet = (request: PipelineRequest, url: URL, path: string): PipelineResponse => {
    const metrics = /^(.*)\/providers\/microsoft\.insights\/metrics$/i.exec(path);
    if (metrics) return respond(request, 200, metricsResponse(world, metrics[1] ?? "", url.searchParams, now()));
    const found = index.get(path);
    if (found)
      return found.id === undefined || Array.isArray(found.value)
        ? page(request, url, (found.value as unknown[]) ?? [])
        : respond(request, 200, found);
    const bySubscription = /^\/subscriptions\/([^/]+)\/providers\/([^/]+)\/([^/]+)$/i.exec(path);
    if (bySubscription)
      return page(request, url, index.listByType(bySubscription[1] ?? "", `${bySubscription[2]}/${bySubscription[3]}`));
    const byGroup = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/([^/]+)\/([^/]+)$/i.exec(path);
    if (byGroup)
      return page(request, url, index.listByType(byGroup[1] ?? "", `${byGroup[3]}/${byGroup[4]}`, byGroup[2]));
    const parentPath = path.replace(/\/[^/]+$/, "").replace(/\/providers\/microsoft\.insights$/i, "");
    if (index.get(parentPath)) return page(request, url, index.listChildren(path));
    return error(request, 404, "ResourceNotFound", `The Resource '${path}' was not found.`);
  };

  /**
   * `POST …/networkInterfaces/{nic}/effectiveRouteTable` as Azure answers it: 202 and a Location the
   * SDK's poller GETs for the result. The world holds the table at `{nic}/effectiveRouteTable` as
   * `{ "value": [EffectiveRoute…] }`; a NIC without one answers as a NIC whose VM is not running.
   */
  const effectiveRoutesStarted = (request: PipelineRequest, url: URL, path: string): PipelineResponse => {
    const nicPath = path.replace(/\/effectiveRouteTable$/i, "");
    const nic = index.get(nicPath);
    const table = index.get(`${nicPath}/effectiveRouteTable`);
    if (!nic && !table) return error(request, 404, "ResourceNotFound", `The Resource '${nicPath}' was not found.`);
    if (!table)
      return error(
        request,
        400,
        "SimulatedNicNotRunning",
        `The simulated world holds no effective route table for '${nicPath}': Azure computes one only for a NIC attached to a running VM.`,
      );
    const subscription = /^\/subscriptions\/([^/]+)/i.exec(path)?.[1] ?? "";
    const location = typeof nic?.location === "string" ? nic.location : "westeurope";
    const token = Buffer.from(nicPath, "utf8").toString("base64url");
    const polling = `${url.origin}/subscriptions/${subscription}/providers/Microsoft.Network/locations/${location}/operationResults/${token}?api-version=${url.searchParams.get("api-version") ?? ""}`;
    return respond(request, 202, null, { location: polling, "retry-after": "0" });
  };
  const effectiveRoutesResult = (request: PipelineRequest, token: string): PipelineResponse => {
    const nicPath = Buffer.from(token, "base64url").toString("utf8");
    const table = index.get(`${nicPath}/effectiveRouteTable`);
    if (!table) return error(request, 404, "OperationNotFound", "No such operation.");
    return respond(request, 200, { value: Array.isArray(table.value) ? table.value : [] });
  };

  return {
    requests,
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const url = new URL(request.url);
      const path = decodeURIComponent(url.pathname)
        .replace(/\/{2,}/g, "/")
        .replace(/\/$/, "");
      let partial = false;
      for (const fault of faults) {
        if (!fault.pattern.test(path) || fault.remaining <= 0) continue;
        fault.remaining--;
        if (fault.partial) partial = true;
        if (fault.reset) {
          requests.push({ method: request.method, url: request.url, status: 0, body: null });
          // What the transport throws when the peer resets: the SDKs' retry policies treat it as transient.
          throw new RestError("read ECONNRESET", { code: "ECONNRESET", request });
        }
        if (fault.latencyMs) await abortableDelay(fault.latencyMs, request.abortSignal);
        if (fault.status !== undefined) {
          const headers: Record<string, string> =
            fault.retryAfterSeconds !== undefined ? { "retry-after": String(fault.retryAfterSeconds) } : {};
          return error(
            request,
            fault.status,
            fault.status === 429 ? "TooManyRequests" : fault.status === 403 ? "AuthorizationFailed" : "SimulatedFault",
            `Simulated fault ${fault.status} for ${path}.`,
            headers,
          );
        }
      }
      try {
        const body = typeof request.body === "string" ? (JSON.parse(request.body) as Json) : {};
        if (request.method === "POST" && /^\/v1\/.+\/query$/.test(path)) {
          const workspace = path
            .replace(/^\/v1\/(workspaces\/)?/, "")
            .replace(/\/query$/, "")
            .replace(/^(?=subscriptions\/)/, "/");
          const tables = workspaceTables(world, workspace);
          if (!tables)
            return error(request, 404, "WorkspaceNotFoundError", `The workspace '${workspace}' was not found.`);
          const result = await queryLogs(
            tables,
            typeof body.query === "string" ? body.query : "",
            typeof body.timespan === "string" ? body.timespan : undefined,
            now(),
          );
          const columns = result.columns.map((name) => ({
            name,
            type: logsColumnType(result.rows.map((row) => row[name])),
          }));
          const rows = result.rows.map((row) =>
            result.columns.map((name) =>
              typeof row[name] === "object" && row[name] !== null && !("ms" in (row[name] as Json))
                ? JSON.stringify(row[name])
                : (row[name] ?? null),
            ),
          );
          // A partial result, as the service sends one: some rows, and an error beside the tables.
          const kept = partial ? rows.filter((_row, index) => index % 2 === 0) : rows;
          return respond(
            request,
            200,
            JSON.parse(
              JSON.stringify({
                tables: [{ name: "PrimaryResult", columns, rows: kept }],
                ...(partial
                  ? {
                      error: {
                        code: "PartialError",
                        message: "Simulated partial result: the query hit a limit and returned some of its rows.",
                      },
                    }
                  : {}),
              }),
            ),
          );
        }
        if (request.method === "POST" && /^\/providers\/microsoft\.resourcegraph\/resources$/i.test(path)) {
          const subscriptions = Array.isArray(body.subscriptions) ? body.subscriptions.map(String) : [];
          const result = await queryResourceGraph(
            index,
            typeof body.query === "string" ? body.query : "",
            subscriptions,
            now(),
            // A resource the world refuses to read (a 403 fault) is one Resource Graph does not list.
            (id) => !faults.some((fault) => fault.status === 403 && fault.pattern.test(id)),
          );
          const optionsBody = (body.options ?? {}) as Json;
          const skip = Number(optionsBody.$skipToken ?? optionsBody.$skip ?? 0) || 0;
          const top = Number(optionsBody.$top ?? 1000) || 1000;
          const data = result.rows.slice(skip, skip + top);
          const more = skip + top < result.rows.length;
          return respond(
            request,
            200,
            JSON.parse(
              JSON.stringify({
                totalRecords: result.rows.length,
                count: data.length,
                resultTruncated: "false",
                data,
                facets: [],
                ...(more ? { $skipToken: String(skip + top) } : {}),
              }),
            ),
          );
        }
      } catch (caught) {
        if (caught instanceof KqlUnsupportedError) return error(request, 400, "BadRequest", caught.message);
        if (caught instanceof SyntaxError)
          return error(request, 400, "BadRequest", "The request body is not valid JSON.");
        throw caught;
      }
      if (request.method === "POST" && effectiveRoutesPath.test(path))
        return effectiveRoutesStarted(request, url, path);
      if (request.method !== "GET")
        return error(request, 405, "MethodNotAllowed", "The simulated Azure answers reads only.");
      const operation = operationResultPath.exec(path);
      if (operation) return effectiveRoutesResult(request, operation[1] ?? "");
      return armGet(request, url, path);
    },
  };
}
