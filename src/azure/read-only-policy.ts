import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { EgressError, ErrorCode } from "../core/errors.js";

/**
 * The only POSTs that may leave, each a read that ARM models as a POST: Resource Graph and Log
 * Analytics queries, and a network interface's effective route table, which Azure computes from the
 * routes that apply to the NIC and returns, changing nothing (Learn: "Network Interfaces - Get
 * Effective Route Table"; its polling is a GET).
 */
const allowedPosts = [
  /\/providers\/Microsoft\.ResourceGraph\/resources$/i,
  /\/v1\/.*\/query$/i,
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/networkInterfaces\/[^/]+\/effectiveRouteTable$/i,
];

/** True when a request is a read egress-bot may send. */
export function isReadRequest(method: string, url: string): boolean {
  if (method === "GET") return true;
  if (method !== "POST") return false;
  const path = new URL(url).pathname.replace(/\/{2,}/g, "/");
  return allowedPosts.some((pattern) => pattern.test(path));
}

/**
 * Refuses, before it is sent, any request that is not a read: egress-bot is read-only by construction,
 * whatever an SDK method would do.
 */
export const readOnlyPolicy: PipelinePolicy = {
  name: "egressReadOnlyPolicy",
  sendRequest(request, next) {
    if (!isReadRequest(request.method, request.url)) {
      return Promise.reject(
        new EgressError(ErrorCode.Internal, `Refused a ${request.method} request: egress-bot only reads Azure.`, {
          details: { method: request.method },
        }),
      );
    }
    return next(request);
  },
};
