import { isRestError } from "@azure/core-rest-pipeline";
import { EgressError, ErrorCode, isEgressError } from "../core/errors.js";
import { resourceTypeOf } from "../core/azure/resource-id.js";

/** The built-in role that grants each read, by resource provider. */
const readRoles: readonly [RegExp, string][] = [
  [/^microsoft\.containerservice\//, "Azure Kubernetes Service Cluster User Role or Reader"],
  [/^microsoft\.network\//, "Reader"],
  [/^microsoft\.insights\//, "Monitoring Reader"],
  [/^microsoft\.operationalinsights\//, "Log Analytics Reader"],
];

function roleFor(resourceId: string | undefined, operation = ""): string {
  // Monitoring and log reads need their own roles, whatever resource they are about.
  const byOperation = readRoles.find(
    ([pattern]) => /insights|operationalinsights/.test(pattern.source) && pattern.test(operation.toLowerCase()),
  );
  if (byOperation) return byOperation[1];
  const type = resourceId ? resourceTypeOf(resourceId) : undefined;
  const found = type ? readRoles.find(([pattern]) => pattern.test(type)) : undefined;
  return found?.[1] ?? "Reader";
}

function scopeOf(resourceId: string | undefined): string {
  const match = resourceId ? /^\/subscriptions\/[^/]+(\/resourceGroups\/[^/]+)?/i.exec(resourceId) : null;
  return match?.[0] ?? "the subscription";
}

/**
 * Translates anything an Azure SDK call throws into an {@link EgressError} with a stable code and a
 * sentence saying what to do: 403 names the role and scope, 404 the resource, 429 when to retry.
 * The one place vendor errors are interpreted.
 */
export function translateAzureError(error: unknown, operation: string, resourceId?: string): EgressError {
  if (isEgressError(error)) return error;
  const details = { operation, ...(resourceId ? { resourceId } : {}) };
  if (error instanceof Error && error.name === "AbortError")
    return new EgressError(ErrorCode.RunCancelled, `${operation} was cancelled.`, { cause: error, details });
  if (!isRestError(error))
    return new EgressError(
      ErrorCode.AzureUnavailable,
      `${operation} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error, details },
    );
  const status = error.statusCode ?? 0;
  const requestId = error.response?.headers.get("x-ms-request-id");
  const what = resourceId ?? operation;
  const withStatus = { ...details, statusCode: status, ...(requestId ? { requestId } : {}) };
  if (status === 401 || status === 403) {
    // An action (the effective route table) is in no built-in read role: name the permission itself.
    const action = operation.endsWith("/action");
    const role = action
      ? "egress-bot reader (manifests/azure/egress-reader-role.json)"
      : roleFor(resourceId, operation);
    return new EgressError(ErrorCode.AzureForbidden, `Reading ${what} was forbidden (HTTP ${status}).`, {
      cause: error,
      details: { ...withStatus, role, scope: scopeOf(resourceId) },
      remediation: action
        ? `Grant the bot's identity ${operation} on ${scopeOf(resourceId)}: the ${role} role has it; Reader does not.`
        : `Grant the bot's identity the ${role} role on ${scopeOf(resourceId)}.`,
    });
  }
  if (status === 404)
    return new EgressError(ErrorCode.AzureNotFound, `${what} does not exist, or the bot's identity cannot see it.`, {
      cause: error,
      details: withStatus,
      remediation: "Check the resource ID and the subscription the bot searches (EGRESS_SUBSCRIPTIONS).",
    });
  if (status === 429) {
    const seconds = Number(error.response?.headers.get("retry-after") ?? NaN);
    const retryAfterInMs = Number.isFinite(seconds) ? seconds * 1000 : undefined;
    return new EgressError(ErrorCode.AzureThrottled, `Azure throttled ${operation}.`, {
      cause: error,
      details: withStatus,
      ...(retryAfterInMs !== undefined ? { retryAfterInMs } : {}),
      remediation: `Retry ${retryAfterInMs !== undefined ? `after ${Math.ceil(retryAfterInMs / 1000)} s` : "in a minute"}; reads are throttled per subscription and principal.`,
    });
  }
  if (status === 400)
    return new EgressError(ErrorCode.AzureBadRequest, `Azure refused ${operation}: ${error.message}`, {
      cause: error,
      details: withStatus,
    });
  return new EgressError(
    ErrorCode.AzureUnavailable,
    `Azure could not answer ${operation} (HTTP ${status || "no response"}).`,
    { cause: error, details: withStatus, remediation: "Retry; if it persists, check Azure status for the region." },
  );
}
