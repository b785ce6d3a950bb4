/** The parts of an ARM resource ID. Names keep their casing; compare with {@link sameResourceId}. */
export interface ResourceIdParts {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  /** e.g. `Microsoft.Network` */
  readonly provider: string;
  /** Resource types from the provider down, e.g. `["virtualNetworks", "subnets"]`. */
  readonly types: readonly string[];
  /** Names matching `types`, e.g. `["vnet-hub", "AzureFirewallSubnet"]`. */
  readonly names: readonly string[];
  /** The last name. */
  readonly name: string;
}

const pattern = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/([^/]+)\/(.+)$/i;

/**
 * What one segment of a resource ID may be: ARM names allow letters, digits and a little
 * punctuation, never a separator, an escape, a query or a dot segment. Everything else is refused
 * rather than cleaned, so an ID that reaches a URL is exactly the resource it names.
 */
const safeSegment = /^[\w.()~+=@,;:!$'-]{1,260}$/;
const isSafeSegment = (segment: string): boolean => safeSegment.test(segment) && segment !== "." && segment !== "..";

/**
 * Parses an ARM resource ID; undefined when it is not one, or when a segment is unsafe (`..`, `%`,
 * `?`, `#`, `\`, white space, empty): such an ID could name another resource once in a URL.
 */
export function parseResourceId(id: string): ResourceIdParts | undefined {
  const match = pattern.exec(id.trim());
  if (!match) return undefined;
  const [, subscriptionId = "", resourceGroup = "", provider = "", rest = ""] = match;
  const segments = rest.split("/");
  if (segments.length % 2 !== 0 || ![subscriptionId, resourceGroup, provider, ...segments].every(isSafeSegment))
    return undefined;
  const types = segments.filter((_segment, index) => index % 2 === 0);
  const names = segments.filter((_segment, index) => index % 2 === 1);
  return { subscriptionId, resourceGroup, provider, types, names, name: names[names.length - 1] ?? "" };
}

/**
 * The resource ID written back from its parts, each segment percent-encoded: the only form that goes
 * into a URL, so nothing in the text a user or a runbook gave survives except the resource's name.
 */
export function formatResourceId(parts: ResourceIdParts): string {
  const pairs = parts.types.flatMap((type, index) => [type, parts.names[index] ?? ""]);
  return [
    "",
    "subscriptions",
    parts.subscriptionId,
    "resourceGroups",
    parts.resourceGroup,
    "providers",
    parts.provider,
    ...pairs,
  ]
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}

/** The last segment of a resource ID (the resource's name), or "" for none. */
export function nameOfId(id: string | null | undefined): string {
  return id?.split("/").pop() ?? "";
}

/** ARM IDs compare case-insensitively; references often differ in casing from the resource's own id. */
export function sameResourceId(a: string | null | undefined, b: string | null | undefined): boolean {
  return typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();
}

/** The lower-cased ID, for map keys. */
export function resourceKey(id: string): string {
  return id.toLowerCase();
}

/** The ARM type of an ID, e.g. `microsoft.network/virtualnetworks/subnets` (lower case). */
export function resourceTypeOf(id: string): string | undefined {
  const parts = parseResourceId(id);
  return parts ? `${parts.provider}/${parts.types.join("/")}`.toLowerCase() : undefined;
}
