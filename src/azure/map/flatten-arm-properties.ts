/**
 * ARM JSON as Resource Graph returns it (`properties` nested, as in the REST API) in the shape the SDK
 * clients' models have: every `properties` object's fields lifted into the object that holds it, at
 * every depth, as the SDKs' deserializers do (`{ id, name, ...properties }`). The mappers written for
 * SDK models then read Resource Graph rows too, so one mapper serves a GET and a query.
 */
export function flattenArmProperties(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(flattenArmProperties);
  if (value === null || typeof value !== "object") return value;
  const { properties, ...rest } = value as Record<string, unknown>;
  const flattened: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(rest)) flattened[key] = flattenArmProperties(field);
  if (properties !== null && typeof properties === "object" && !Array.isArray(properties))
    Object.assign(flattened, flattenArmProperties(properties));
  else if (properties !== undefined) flattened.properties = properties;
  return flattened;
}
