import ipaddr from "ipaddr.js";
import { parseDuration } from "../runbooks/duration.js";

/** Result of checking one value: the normalised value, or a one-line reason. */
export type ValueCheck<T> = { ok: true; value: T } | { ok: false; reason: string };

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const clusterName = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/;
const resourceGroupName = /^[-\w._()]{1,90}$/u;
const clusterIdPattern =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)$/i;

/** A cluster reference as written: a name or alias, `rg/name`, `subscription/rg/name`, or an ARM ID. */
export type ClusterRef =
  | { readonly kind: "name"; readonly text: string; readonly name: string }
  | {
      readonly kind: "path";
      readonly text: string;
      readonly name: string;
      readonly resourceGroup: string;
      readonly subscriptionId?: string;
    }
  | {
      readonly kind: "id";
      readonly text: string;
      readonly name: string;
      readonly resourceGroup: string;
      readonly subscriptionId: string;
    };

/** Checks a cluster reference's syntax; whether it exists is Azure's business. */
export function checkClusterRef(text: string): ValueCheck<ClusterRef> {
  const idMatch = clusterIdPattern.exec(text);
  if (idMatch) {
    const [, subscriptionId = "", resourceGroup = "", name = ""] = idMatch;
    if (!guid.test(subscriptionId)) return { ok: false, reason: "the subscription in the cluster ID is not a GUID" };
    if (!resourceGroupName.test(resourceGroup) || !clusterName.test(name)) {
      return { ok: false, reason: "the cluster ID has an invalid resource group or cluster name" };
    }
    return { ok: true, value: { kind: "id", text, name, resourceGroup, subscriptionId } };
  }
  if (text.startsWith("/"))
    return {
      ok: false,
      reason:
        "a cluster ID must look like /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.ContainerService/managedClusters/<name>",
    };
  const parts = text.split("/");
  const name = parts[parts.length - 1] ?? "";
  if (!clusterName.test(name)) {
    return {
      ok: false,
      reason: "a cluster name has 1-63 letters, digits, '-' or '_' and starts with a letter or digit",
    };
  }
  if (parts.length === 1) return { ok: true, value: { kind: "name", text, name } };
  const resourceGroup = parts[parts.length - 2] ?? "";
  if (!resourceGroupName.test(resourceGroup)) return { ok: false, reason: "the resource group name is not valid" };
  if (parts.length === 2) return { ok: true, value: { kind: "path", text, name, resourceGroup } };
  const subscriptionId = parts[0] ?? "";
  if (parts.length === 3 && guid.test(subscriptionId)) {
    return { ok: true, value: { kind: "path", text, name, resourceGroup, subscriptionId } };
  }
  return { ok: false, reason: "a cluster is a name, rg/name, subscription/rg/name or an ARM resource ID" };
}

/** Checks a duration such as `15m`, `1h` or `7d` and returns it in milliseconds. */
export function checkDuration(text: string, maxInMs?: number, maxText?: string): ValueCheck<number> {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) return { ok: false, reason: "a duration looks like 15m, 1h or 7d" };
  if (maxInMs !== undefined && ms > maxInMs) return { ok: false, reason: `at most ${maxText ?? `${maxInMs}ms`}` };
  return { ok: true, value: ms };
}

/** Checks a single IPv4 or IPv6 address (no CIDR, no port) and returns its canonical text. */
export function checkIp(text: string): ValueCheck<string> {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return { ok: true, value: ipaddr.IPv4.parse(text).toString() };
  if (text.includes(":") && ipaddr.IPv6.isValid(text)) return { ok: true, value: ipaddr.IPv6.parse(text).toString() };
  return { ok: false, reason: "an IP address looks like 203.0.113.7 or 2001:db8::7" };
}

/** A destination: a host name or IP address with an optional port. */
export interface Destination {
  readonly kind: "fqdn" | "ip";
  readonly host: string;
  readonly port: number | null;
  /** Canonical text: `host`, `host:port`, or `[v6]:port`. */
  readonly text: string;
}

const fqdnLabel = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function checkPort(text: string): ValueCheck<number> {
  if (!/^\d{1,5}$/.test(text)) return { ok: false, reason: "a port is a number from 1 to 65535" };
  const port = Number(text);
  return port >= 1 && port <= 65535
    ? { ok: true, value: port }
    : { ok: false, reason: "a port is a number from 1 to 65535" };
}

function destination(kind: "fqdn" | "ip", host: string, port: number | null): Destination {
  const shownHost = kind === "ip" && host.includes(":") && port !== null ? `[${host}]` : host;
  return { kind, host, port, text: port === null ? host : `${shownHost}:${port}` };
}

/** Checks `fqdn|ip[:port]`; an IPv6 address with a port is written `[2001:db8::1]:443`. */
export function checkDestination(text: string): ValueCheck<Destination> {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    const ip = checkIp(bracketed[1] ?? "");
    if (!ip.ok || !ip.value.includes(":"))
      return { ok: false, reason: "brackets hold an IPv6 address: [2001:db8::1]:443" };
    if (bracketed[2] === undefined) return { ok: true, value: destination("ip", ip.value, null) };
    const port = checkPort(bracketed[2]);
    return port.ok ? { ok: true, value: destination("ip", ip.value, port.value) } : port;
  }
  const wholeIp = checkIp(text);
  if (wholeIp.ok) return { ok: true, value: destination("ip", wholeIp.value, null) };
  const colon = text.lastIndexOf(":");
  const host = colon === -1 ? text : text.slice(0, colon);
  let port: number | null = null;
  if (colon !== -1) {
    const checked = checkPort(text.slice(colon + 1));
    if (!checked.ok) return checked;
    port = checked.value;
  }
  const ip = checkIp(host);
  if (ip.ok) return { ok: true, value: destination("ip", ip.value, port) };
  const lower = host.toLowerCase().replace(/\.$/, "");
  const labels = lower.split(".");
  if (
    lower.length > 253 ||
    labels.length < 2 ||
    !labels.every((label) => fqdnLabel.test(label)) ||
    /^\d+$/.test(labels[labels.length - 1] ?? "")
  ) {
    return {
      ok: false,
      reason: "a destination is a host name or IP address with an optional port, e.g. api.vendor.example:443",
    };
  }
  return { ok: true, value: destination("fqdn", lower, port) };
}

/** Checks a whole number within bounds. */
export function checkInteger(text: string, min: number, max: number): ValueCheck<number> {
  if (!/^-?\d{1,15}$/.test(text)) return { ok: false, reason: "expected a whole number" };
  const value = Number(text);
  if (value < min || value > max) return { ok: false, reason: `expected a number from ${min} to ${max}` };
  return { ok: true, value };
}

/** Checks a cluster reference and keeps its text. */
export function checkClusterText(text: string): ValueCheck<string> {
  const checked = checkClusterRef(text);
  return checked.ok ? { ok: true, value: checked.value.text } : checked;
}

/** Checks a duration (at most `maxInMs` when given) and keeps its canonical, lower-case text. */
export function checkDurationText(text: string, maxInMs?: number, maxText?: string): ValueCheck<string> {
  const lower = text.toLowerCase();
  const checked = checkDuration(lower, maxInMs, maxText);
  return checked.ok ? { ok: true, value: lower } : checked;
}

/** Checks a destination and keeps its canonical text. */
export function checkDestinationText(text: string): ValueCheck<string> {
  const checked = checkDestination(text);
  return checked.ok ? { ok: true, value: checked.value.text } : checked;
}
