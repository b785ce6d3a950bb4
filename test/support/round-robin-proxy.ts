import { createServer, request, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the proxy did with one request: the replica that answered, or a 502 when the one holding it died. */
export interface ProxiedRequest {
  readonly path: string;
  readonly status: number;
  readonly backend: number | null;
}

/**
 * A small round-robin proxy on loopback in front of several replicas, as a Kubernetes Service with an
 * ingress would be: each request goes to the next replica; a replica that refuses the connection
 * (it is gone) is skipped and the next one tried, as ingress controllers retry connect failures. A
 * request a replica took and then died holding is answered 502, never re-sent by the proxy (the
 * caller decides, as Slack does).
 */
export class RoundRobinProxy {
  private readonly server: Server;
  private next = 0;
  readonly log: ProxiedRequest[] = [];

  constructor(private readonly backends: readonly number[]) {
    this.server = createServer((incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("end", () => {
        const body = Buffer.concat(chunks);
        const start = this.next++ % this.backends.length;
        const attempt = (tried: number): void => {
          if (tried >= this.backends.length) {
            this.answer(outgoing, 502, incoming.url ?? "", null);
            return;
          }
          const index = (start + tried) % this.backends.length;
          const forwarded = request(
            {
              host: "127.0.0.1",
              port: this.backends[index],
              method: incoming.method,
              path: incoming.url,
              headers: { ...withoutHopHeaders(incoming.headers), "content-length": String(body.length) },
            },
            (response) => {
              const parts: Buffer[] = [];
              response.on("data", (part: Buffer) => parts.push(part));
              response.on("error", () => this.answer(outgoing, 502, incoming.url ?? "", index));
              response.on("end", () => {
                this.log.push({ path: incoming.url ?? "", status: response.statusCode ?? 0, backend: index });
                outgoing.writeHead(response.statusCode ?? 502, withoutHopHeaders(response.headers));
                outgoing.end(Buffer.concat(parts));
              });
            },
          );
          forwarded.on("error", (error: NodeJS.ErrnoException) => {
            // Refused: the replica is not there, so the request never reached it; try the next one.
            if (error.code === "ECONNREFUSED") attempt(tried + 1);
            else this.answer(outgoing, 502, incoming.url ?? "", index);
          });
          forwarded.end(body);
        };
        attempt(0);
      });
    });
  }

  private answer(outgoing: ServerResponse, status: number, path: string, backend: number | null) {
    if (outgoing.headersSent) return;
    this.log.push({ path, status, backend });
    outgoing.writeHead(status, { "content-type": "text/plain" });
    outgoing.end("bad gateway");
  }

  /** Listens on 127.0.0.1; resolves with the base URL. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Headers that belong to one connection, not to the request. */
function withoutHopHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const { connection: _connection, "keep-alive": _keepAlive, "transfer-encoding": _encoding, ...rest } = headers;
  return rest;
}
