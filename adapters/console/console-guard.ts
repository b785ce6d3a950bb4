import type { NextFunction, Request, RequestHandler, Response } from "express";
import ipaddr from "ipaddr.js";

/** Whether a socket's peer address is this machine. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address || !ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === "loopback";
}

const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]"]);
const hostnameOf = (host: string): string =>
  (host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : (host.split(":")[0] ?? "")).toLowerCase();

/**
 * Keeps the console to the people it is meant for. Without `allowRemote`: only peers on loopback,
 * and only under a loopback host name (a web page elsewhere cannot rebind its own name to
 * 127.0.0.1 and read the console). Always: requests that change something must be JSON from the
 * console's own origin, so another site's form or script cannot start runs.
 */
export function consoleGuard(allowRemote: boolean): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const host = request.get("host") ?? "";
    if (!allowRemote && (!isLoopbackAddress(request.socket.remoteAddress) || !loopbackHosts.has(hostnameOf(host)))) {
      response
        .status(403)
        .type("text/plain")
        .send("The egress-bot console answers only on this machine (set console.allowRemote to serve it further).");
      return;
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      const origin = request.get("origin");
      if (!request.is("application/json") || (origin !== undefined && origin !== `${request.protocol}://${host}`)) {
        response.status(403).json({ error: "console requests must be JSON from the console's own page" });
        return;
      }
    }
    next();
  };
}
