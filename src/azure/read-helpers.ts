import { EgressError, ErrorCode } from "../core/errors.js";
import { parseResourceId, type ResourceIdParts } from "../core/azure/resource-id.js";
import type { Read, ReadSource } from "../core/ports/azure-read-port.js";
import type { OperationOptions } from "../core/ports/clock.js";
import type { ReadCache } from "./read-cache.js";
import { translateAzureError } from "./translate-azure-error.js";

/** Parses an ARM ID of the expected type (`virtualNetworks/subnets`, …), or refuses it. */
export function requireResourceId(id: string, provider: string, types: readonly string[]): ResourceIdParts {
  const parts = parseResourceId(id);
  const matches =
    parts &&
    parts.provider.toLowerCase() === provider.toLowerCase() &&
    parts.types.length === types.length &&
    parts.types.every((type, index) => type.toLowerCase() === types[index]?.toLowerCase());
  if (!parts || !matches)
    throw new EgressError(
      ErrorCode.InputInvalid,
      `"${id.slice(0, 200)}" is not a ${provider}/${types.join("/")} resource ID.`,
    );
  return parts;
}

/** Reads through the cache (coalesced, TTL), translating vendor errors once and stamping the source. */
export function createReader(cache: ReadCache) {
  return async function read<T>(
    source: ReadSource,
    key: string,
    fetch: (abortSignal: AbortSignal) => Promise<T>,
    options: OperationOptions = {},
  ): Promise<Read<T>> {
    // The request gets the shared read's signal, never this caller's: other callers may still wait.
    // "Does not exist" is an answer, cached like one (twenty commands must not ask twenty times);
    // every other failure is not.
    const { value: outcome, asOf } = await cache.get(
      `${source.operation}|${key.toLowerCase()}`,
      (shared) =>
        fetch(shared).then(
          (value): { found: true; value: T } | { found: false; error: EgressError } => ({ found: true, value }),
          (error: unknown) => {
            const translated = translateAzureError(error, source.operation, source.resourceId ?? undefined);
            if (translated.code === ErrorCode.AzureNotFound) return { found: false as const, error: translated };
            throw translated;
          },
        ),
      options.abortSignal,
      () => new EgressError(ErrorCode.RunCancelled, `${source.operation} was cancelled.`),
    );
    if (!outcome.found) throw outcome.error;
    return { value: outcome.value, asOf, source };
  };
}

/** Collects an SDK async iterator (paged list) into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
