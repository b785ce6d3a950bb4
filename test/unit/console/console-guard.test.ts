import { describe, expect, it } from "@jest/globals";
import type { Request, Response } from "express";
import { consoleGuard, isLoopbackAddress } from "../../../adapters/console/console-guard.js";

// A request as express hands it to middleware: only what the guard reads.
const request = (parts: { address: string; host: string; method?: string; json?: boolean; origin?: string }) =>
  ({
    method: parts.method ?? "GET",
    protocol: "http",
    socket: { remoteAddress: parts.address },
    get: (name: string) => (name === "host" ? parts.host : name === "origin" ? parts.origin : undefined),
    is: () => (parts.json ? "application/json" : false),
  }) as unknown as Request;

function decide(allowRemote: boolean, parts: Parameters<typeof request>[0]): number {
  let status = 0;
  const response = {
    status: (code: number) => ((status = code), response),
    type: () => response,
    send: () => response,
    json: () => response,
  } as unknown as Response;
  consoleGuard(allowRemote)(request(parts), response, () => (status = 200));
  return status;
}

describe("console guard", () => {
  it("knows loopback peers in IPv4, IPv6 and IPv4-mapped form, and nothing else", () => {
    expect(["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"].map(isLoopbackAddress)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(["10.0.0.5", "::ffff:10.0.0.5", "fe80::1", "", undefined, "not-an-ip"].map(isLoopbackAddress)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it("serves loopback peers under loopback host names only, unless remote access is configured", () => {
    expect(decide(false, { address: "127.0.0.1", host: "localhost:3978" })).toBe(200);
    expect(decide(false, { address: "::1", host: "[::1]:3978" })).toBe(200);
    expect(decide(false, { address: "10.1.2.3", host: "localhost:3978" })).toBe(403);
    expect(decide(false, { address: "127.0.0.1", host: "rebound.example:3978" })).toBe(403);
    expect(decide(true, { address: "10.1.2.3", host: "egress.internal:3978" })).toBe(200);
  });

  it("accepts changes only as JSON from the console's own origin, remote or not", () => {
    expect(
      decide(false, {
        address: "127.0.0.1",
        host: "localhost:3978",
        method: "POST",
        json: true,
        origin: "http://localhost:3978",
      }),
    ).toBe(200);
    expect(decide(false, { address: "127.0.0.1", host: "localhost:3978", method: "POST", json: true })).toBe(200);
    expect(decide(false, { address: "127.0.0.1", host: "localhost:3978", method: "POST", json: false })).toBe(403);
    expect(
      decide(true, {
        address: "10.1.2.3",
        host: "egress.internal",
        method: "POST",
        json: true,
        origin: "https://evil.example",
      }),
    ).toBe(403);
  });
});
