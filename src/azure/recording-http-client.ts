import type { HttpClient, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";

/** One successful GET: the path read and the JSON body Azure answered. */
export interface RecordedRead {
  readonly path: string;
  readonly body: Record<string, unknown>;
}

/** An HTTP client that passes requests through and keeps every successful GET's JSON body. */
export interface RecordingHttpClient extends HttpClient {
  readonly reads: readonly RecordedRead[];
}

/** Wraps a transport to record what is read (for `egress capture`). Request headers, tokens included, are never kept. */
export function createRecordingHttpClient(inner: HttpClient): RecordingHttpClient {
  const reads: RecordedRead[] = [];
  return {
    reads,
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const response = await inner.sendRequest(request);
      if (request.method === "GET" && response.status === 200 && response.bodyAsText) {
        try {
          const body = JSON.parse(response.bodyAsText) as unknown;
          if (body !== null && typeof body === "object" && !Array.isArray(body)) {
            reads.push({
              path: decodeURIComponent(new URL(request.url).pathname).replace(/\/{2,}/g, "/"),
              body: body as Record<string, unknown>,
            });
          }
        } catch {
          // Not JSON: nothing a world file could hold.
        }
      }
      return response;
    },
  };
}

/** The transport type, re-exported so layers outside src/azure need not import the SDK. */
export type { HttpClient } from "@azure/core-rest-pipeline";
