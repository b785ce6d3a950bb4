import type { AzureReadPort } from "../core/ports/azure-read-port.js";
import type { Clock, OperationOptions } from "../core/ports/clock.js";
import { EgressError, ErrorCode } from "../core/errors.js";
import type { WorldFile } from "./world.js";

/** What the world read port answers with instead of an ARM api-version. */
export const worldApiVersion = "simulated";

function faultError(status: number, resourceId: string, retryAfterSeconds: number | undefined): EgressError {
  const details = { statusCode: status, resourceId };
  if (status === 429) return new EgressError(ErrorCode.AzureThrottled, `Azure throttled the read of ${resourceId}.`, { details, ...(retryAfterSeconds !== undefined ? { retryAfterInMs: retryAfterSeconds * 1000 } : {}), remediation: "Wait and retry; reads are retried automatically." });
  if (status === 404) return new EgressError(ErrorCode.AzureNotFound, `${resourceId} does not exist.`, { details });
  if (status === 401 || status === 403) return new EgressError(ErrorCode.AzureForbidden, `Reading ${resourceId} was forbidden.`, { details, remediation: "Grant the bot's identity the Reader role on the resource's scope." });
  if (status >= 500) return new EgressError(ErrorCode.AzureUnavailable, `Azure answered ${status} for ${resourceId}.`, { details });
  return new EgressError(ErrorCode.AzureBadRequest, `Azure answered ${status} for ${resourceId}.`, { details });
}

/**
 * A read port answering from a world file's resources, case-insensitively by ID, applying the
 * world's faults (status, latency, times). Everything it returns is simulated.
 */
export function createWorldReadPort(world: WorldFile, clock: Clock): AzureReadPort {
  const resources = new Map(Object.entries(world.resources).map(([id, body]) => [id.toLowerCase(), { id, body }]));
  const faults = (world.faults ?? []).map((fault) => ({ ...fault, pattern: new RegExp(fault.match, "i"), remaining: fault.times ?? Number.POSITIVE_INFINITY }));

  return {
    simulated: true,
    async getResource(resourceId: string, options: OperationOptions = {}) {
      for (const fault of faults) {
        if (!fault.pattern.test(resourceId) || fault.remaining <= 0) continue;
        fault.remaining--;
        if (fault.latencyMs) await clock.sleep(fault.latencyMs, options);
        if (fault.status !== undefined) throw faultError(fault.status, resourceId, fault.retryAfterSeconds);
      }
      options.abortSignal?.throwIfAborted();
      const found = resources.get(resourceId.toLowerCase());
      if (!found) throw new EgressError(ErrorCode.AzureNotFound, `${resourceId} does not exist in the world.`, { remediation: "Check the resource ID, or add the resource to the world file." });
      return { body: structuredClone(found.body), resourceId, apiVersion: worldApiVersion, asOf: new Date(clock.now()).toISOString() };
    },
  };
}
