import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineRequest,
  type HttpClient,
  type PipelineRequest,
} from "@azure/core-rest-pipeline";

/** An HttpClient that reaches Azure's stand-in over a real loopback socket, and the server behind it. */
export interface LoopbackAzure extends HttpClient {
  /** Every request the socket carried (method and path), in order. */
  readonly carried: readonly string[];
  close(): Promise<void>;
}

/**
 * Puts a real HTTP hop between the Azure SDK clients and an in-process Azure (a world's HttpClient):
 * the SDK's own Node HTTP client sends each request to a server on 127.0.0.1, which answers it from
 * `inner`. What `inner` throws as a reset connection becomes a destroyed socket; a request the client
 * gives up on (timeout, cancellation) closes the connection and aborts the answer in progress. The
 * pipeline's policies (the read scope, the retries) still see Azure's own hosts: only the transport
 * is redirected, after them.
 */
export function overLoopbackHttp(inner: HttpClient): LoopbackAzure {
  const carried: string[] = [];
  const server: Server = createServer((request, response) => void answer(request, response));
  const listening = new Promise<string>((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
  // Keeps idle sockets from holding the process open.
  server.unref();

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const original = request.headers["x-egress-original-host"];
    carried.push(`${request.method ?? "GET"} ${request.url ?? ""}`);
    const gone = new AbortController();
    response.on("close", () => gone.abort());
    const headers = createHttpHeaders();
    for (const [name, value] of Object.entries(request.headers))
      if (typeof value === "string" && name !== "host") headers.set(name, value);
    const forwarded: PipelineRequest = createPipelineRequest({
      url: `https://${typeof original === "string" ? original : "management.azure.com"}${request.url ?? "/"}`,
      method: (request.method ?? "GET") as PipelineRequest["method"],
      headers,
      abortSignal: gone.signal,
    });
    if (body.length > 0) forwarded.body = body;
    try {
      const answered = await inner.sendRequest(forwarded);
      const text = answered.bodyAsText ?? "";
      response.writeHead(answered.status, {
        ...Object.fromEntries([...answered.headers].map(([name, value]) => [name, value])),
        "content-length": Buffer.byteLength(text),
      });
      response.end(text);
    } catch {
      // A reset in the world (or the client gone): the peer sees the connection drop, as from Azure.
      request.socket.destroy();
    }
  }

  const transport = createDefaultHttpClient();
  return {
    carried,
    async sendRequest(request) {
      const base = await listening;
      const url = new URL(request.url);
      const { url: originalUrl, allowInsecureConnection } = request;
      // Redirected here, after every policy ran: a retry sends the original again through them.
      // Plain HTTP on loopback: the TLS Azure uses is not what these tests are about.
      request.url = `${base}${url.pathname}${url.search}`;
      request.allowInsecureConnection = true;
      request.headers.set("x-egress-original-host", url.host);
      try {
        const response = await transport.sendRequest(request);
        return { ...response, request };
      } finally {
        request.url = originalUrl;
        request.allowInsecureConnection = allowInsecureConnection;
        request.headers.delete("x-egress-original-host");
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
