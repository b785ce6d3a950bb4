import { request } from "node:http";
import { connect, type Socket } from "node:net";

/** A response read in full: status, headers and body text. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * One HTTP request from a chosen loopback source address (fetch cannot pick one), so tests can be
 * "another machine" (127.0.0.2) to a server that trusts only 127.0.0.1.
 */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const sent = request(
      url,
      {
        method: options.method ?? "POST",
        headers: options.headers ?? {},
        localAddress: options.localAddress ?? "127.0.0.1",
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        response.on("error", reject);
      },
    );
    sent.on("error", reject);
    sent.end(options.body);
  });
}

/** A socket that sent `head` (request line and headers, maybe part of a body) and is held open. */
export function openHeldRequest(port: number, head: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1" }, () => {
      socket.write(head);
      resolve(socket);
    });
    socket.on("error", reject);
  });
}

/** Resolves when the server closes the socket (or it errors), with what the server wrote before. */
export function whenClosed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    const done = (): void => resolve(Buffer.concat(chunks).toString("utf8"));
    if (socket.destroyed) done();
    socket.once("close", done);
  });
}
