import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { EgressError, ErrorCode } from "../core/errors.js";
import type { AzureCloudEndpoints } from "./clouds.js";

/**
 * The resource providers egress-bot reads: networking, AKS, Azure Monitor (metrics, diagnostic
 * settings), Log Analytics workspaces and Resource Graph. Nothing else (Key Vault, role
 * assignments, storage) is ever asked for, whatever a runbook or a user types.
 */
export const readableProviders: readonly string[] = [
  "microsoft.network",
  "microsoft.containerservice",
  "microsoft.insights",
  "microsoft.operationalinsights",
  "microsoft.resourcegraph",
];

/** Where reads may go: the cloud's ARM and Log Analytics hosts, inside these subscriptions. */
export interface ReadScope {
  readonly cloud: AzureCloudEndpoints;
  readonly subscriptions: readonly string[];
}

// Encoded dots, slashes, backslashes and percent signs are how a path escapes its parent once decoded.
const encodedTrick = /%(2e|2f|5c|25|00)/i;
const dotSegment = /(^|\/)\.{1,2}(\/|$)/;

/** Why an ARM path (no host, no query) is outside the scope, or null. */
function armPathRefusal(path: string, subscriptions: ReadonlySet<string>): string | null {
  const lower = path.toLowerCase();
  if (lower === "/providers/microsoft.resourcegraph/resources") return null;
  const subscription = /^\/subscriptions\/([^/]+)(\/|$)/.exec(lower)?.[1];
  if (!subscription) return "it is not under /subscriptions/";
  if (!subscriptions.has(subscription))
    return `subscription ${subscription} is not one the bot is configured to read (EGRESS_SUBSCRIPTIONS)`;
  const segments = lower.split("/");
  for (let index = 0; index < segments.length - 1; index++) {
    if (segments[index] !== "providers") continue;
    const namespace = segments[index + 1] ?? "";
    if (!readableProviders.includes(namespace)) return `egress-bot does not read the ${namespace} provider`;
  }
  return null;
}

/**
 * Why a request is outside what egress-bot may read, or null when it is inside: only the cloud's
 * ARM and Log Analytics hosts; no dot segments, encoded separators, backslashes or empty segments in
 * the path; only the configured subscriptions and the providers in {@link readableProviders}; and
 * one `api-version`, which the bot chose.
 */
export function readScopeRefusal(rawUrl: string, scope: ReadScope): string | null {
  const afterHost = rawUrl.replace(/^[a-z]+:\/\/[^/?#]*/i, "");
  const rawPath = afterHost.split(/[?#]/)[0] ?? "";
  if (encodedTrick.test(rawPath) || rawPath.includes("\\") || dotSegment.test(rawPath) || rawPath.includes("//"))
    return "its path has dot segments, encoded separators or empty segments";
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return "it is not a URL";
  }
  const subscriptions = new Set(scope.subscriptions.map((id) => id.toLowerCase()));
  const arm = new URL(scope.cloud.resourceManager);
  const logs = new URL(scope.cloud.logAnalytics);
  if (url.origin === arm.origin) {
    if (url.searchParams.getAll("api-version").length !== 1) return "it must carry exactly one api-version";
    return armPathRefusal(url.pathname, subscriptions);
  }
  if (url.origin === logs.origin) {
    const path = url.pathname;
    if (/^\/v1\/workspaces\/[0-9a-f-]{36}\/query$/i.test(path)) return null;
    const resource = /^\/v1(\/subscriptions\/.+)\/query$/i.exec(path)?.[1];
    if (!resource) return "it is not a Log Analytics query";
    return armPathRefusal(resource, subscriptions);
  }
  return `${url.host} is not an Azure endpoint of ${scope.cloud.name}`;
}

/**
 * Refuses, before it is sent, any request outside {@link readScopeRefusal}'s scope. This is the last
 * guard: resource IDs are also parsed strictly where they enter, so users get a precise message first.
 */
export function readScopePolicy(scope: ReadScope): PipelinePolicy {
  return {
    name: "egressReadScopePolicy",
    sendRequest(request, next) {
      const refusal = readScopeRefusal(request.url, scope);
      if (refusal) {
        return Promise.reject(
          new EgressError(
            ErrorCode.AzureOutOfScope,
            `egress-bot does not read ${shortPath(request.url)}: ${refusal}.`,
            {
              retryable: false,
              remediation:
                "egress-bot reads only networking, AKS, monitoring and Log Analytics resources of the subscriptions in EGRESS_SUBSCRIPTIONS (azure.subscriptions).",
            },
          ),
        );
      }
      return next(request);
    },
  };
}

/** The request's path without its query, cut short, for messages. */
function shortPath(url: string): string {
  return (url.replace(/^[a-z]+:\/\/[^/?#]*/i, "").split("?")[0] ?? "").slice(0, 160);
}
