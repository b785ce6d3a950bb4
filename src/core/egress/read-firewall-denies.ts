import { containsCidr } from "cidr-tools";
import { tableObjects, type QueryTable } from "../azure/model.js";
import type { AzureReadPort, Read } from "../ports/azure-read-port.js";
import type { OperationOptions } from "../ports/clock.js";
import type { Destination } from "../commands/value-syntax.js";
import { fqdnCovers, type RequiredEndpoint } from "./required-endpoints.js";

/** Denies to one destination, grouped. */
export interface DenyGroup {
  readonly kind: "network" | "application";
  /** `fqdn:port` or `ip:port`. */
  readonly destination: string;
  readonly protocol: string;
  readonly denies: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly sources: readonly string[];
  /** Why the firewall denied: `Default Action`, a rule, a reason sentence. */
  readonly reasons: readonly string[];
  /** The AKS-required endpoint this destination is, if any. */
  readonly requiredEndpoint: string | null;
}

/** The denies of a window, the reads behind them, and how many groups were left out by `top`. */
export interface FirewallDenies {
  readonly groups: readonly DenyGroup[];
  readonly more: number;
  readonly reads: readonly Read<QueryTable>[];
  /** Why the logs answered only in part (the service's partial-result error), or null when complete. */
  readonly partial: string | null;
}

/** What to read: where the logs are, from which sources, over which window, optionally for one destination. */
export interface DeniesRequest {
  readonly workspace: string;
  /** `Dedicated` reads the AZFW* tables; anything else the legacy AzureDiagnostics table. */
  readonly destinationType: string | null;
  readonly sourceCidrs: readonly string[];
  /** ISO-8601 duration, e.g. `PT1H`. */
  readonly timespan: string;
  readonly top: number;
  readonly destination?: Destination;
  readonly required: readonly RequiredEndpoint[];
}

const text = (value: unknown): string =>
  typeof value === "string" ? value : value === null || value === undefined ? "" : JSON.stringify(value);
const list = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.map(text).filter(Boolean)
    : typeof value === "string" && value.startsWith("[")
      ? (JSON.parse(value) as unknown[]).map(text).filter(Boolean)
      : [];
const requiredFor = (required: readonly RequiredEndpoint[], host: string, port: number): string | null =>
  required.find((endpoint) => endpoint.port === port && fqdnCovers(endpoint.fqdn, host))?.fqdn ?? null;
const inRanges = (ranges: readonly string[], ip: string): boolean => {
  try {
    return ranges.some((range) => containsCidr(range, ip));
  } catch {
    return false;
  }
};

/** Parses a legacy `msg_s` ("TCP request from 10.0.2.4:51990 to 13.69.65.17:443. Action: Deny. …"). */
export function parseLegacyMessage(
  message: string,
): { protocol: string; source: string; host: string; port: number; reason: string } | undefined {
  const match = /^(\w+) request from ([\d.:a-f]+?):(\d+) to ([^\s:]+):(\d+)\.?\s*(.*)$/i.exec(message.trim());
  if (!match) return undefined;
  const [, protocol = "", source = "", , host = "", port = "0", rest = ""] = match;
  const reason = /No rule matched/i.test(rest)
    ? "No rule matched. Proceeding with default action"
    : (/Reason: ([^.]+)/i.exec(rest)?.[1] ?? (/Action: Deny/i.test(rest) ? "Deny" : rest));
  return { protocol, source, host, port: Number(port), reason };
}

/**
 * Reads firewall denies from the cluster's source ranges over a window, grouped by destination, with
 * AKS-required endpoints marked: resource-specific tables when the firewall logs to them, the legacy
 * AzureDiagnostics table otherwise. Nothing is truncated silently: `more` counts what `top` left out.
 */
export async function readFirewallDenies(
  azure: AzureReadPort,
  request: DeniesRequest,
  options: OperationOptions = {},
): Promise<FirewallDenies> {
  const reads: Read<QueryTable>[] = [];
  const groups: DenyGroup[] = [];
  const destination = request.destination;
  if ((request.destinationType ?? "").toLowerCase() === "dedicated") {
    const wantNetwork = !destination || destination.kind === "ip";
    const wantApplication = !destination || destination.kind === "fqdn";
    const [network, application] = await Promise.all([
      wantNetwork
        ? azure.queryLogs(
            request.workspace,
            {
              name: "firewallNetworkDenies",
              parameters: {
                sourceCidrs: request.sourceCidrs,
                top: 1000,
                ...(destination ? { destinationIp: destination.host } : {}),
              },
            },
            request.timespan,
            options,
          )
        : undefined,
      wantApplication
        ? azure.queryLogs(
            request.workspace,
            {
              name: "firewallApplicationDenies",
              parameters: {
                sourceCidrs: request.sourceCidrs,
                top: 1000,
                ...(destination ? { fqdn: destination.host } : {}),
              },
            },
            request.timespan,
            options,
          )
        : undefined,
    ]);
    for (const [kind, read] of [
      ["network", network],
      ["application", application],
    ] as const) {
      if (!read) continue;
      reads.push(read);
      for (const row of tableObjects(read.value)) {
        const host = kind === "network" ? text(row.DestinationIp) : text(row.Fqdn);
        const port = Number(row.DestinationPort ?? 0);
        if (destination?.port && destination.port !== port) continue;
        groups.push({
          kind,
          destination: `${host}:${port}`,
          protocol: text(row.Protocol),
          denies: Number(row.Denies ?? 0),
          firstSeen: text(row.FirstSeen) || null,
          lastSeen: text(row.LastSeen) || null,
          sources: list(row.Sources),
          reasons: [...list(row.Reasons), ...list(row.Rules)],
          requiredEndpoint: requiredFor(request.required, host, port),
        });
      }
    }
  } else {
    const read = await azure.queryLogs(
      request.workspace,
      { name: "legacyFirewallDenies", parameters: { top: 1000 } },
      request.timespan,
      options,
    );
    reads.push(read);
    const byDestination = new Map<
      string,
      {
        kind: "network" | "application";
        protocol: string;
        host: string;
        port: number;
        times: string[];
        sources: Set<string>;
        reasons: Set<string>;
      }
    >();
    for (const row of tableObjects(read.value)) {
      const parsed = parseLegacyMessage(text(row.msg_s));
      if (!parsed || !inRanges(request.sourceCidrs, parsed.source)) continue;
      if (
        destination &&
        (parsed.host.toLowerCase() !== destination.host || (destination.port && destination.port !== parsed.port))
      )
        continue;
      const key = `${parsed.host}:${parsed.port}|${parsed.protocol}`;
      const entry = byDestination.get(key) ?? {
        kind: text(row.Category).includes("Application") ? "application" : "network",
        protocol: parsed.protocol,
        host: parsed.host,
        port: parsed.port,
        times: [],
        sources: new Set<string>(),
        reasons: new Set<string>(),
      };
      entry.times.push(text(row.TimeGenerated));
      entry.sources.add(parsed.source);
      entry.reasons.add(parsed.reason);
      byDestination.set(key, entry);
    }
    for (const entry of byDestination.values()) {
      const times = [...entry.times].sort();
      groups.push({
        kind: entry.kind,
        destination: `${entry.host}:${entry.port}`,
        protocol: entry.protocol,
        denies: entry.times.length,
        firstSeen: times[0] ?? null,
        lastSeen: times[times.length - 1] ?? null,
        sources: [...entry.sources],
        reasons: [...entry.reasons],
        requiredEndpoint: requiredFor(request.required, entry.host, entry.port),
      });
    }
  }
  groups.sort(
    (a, b) =>
      Number(b.requiredEndpoint !== null) - Number(a.requiredEndpoint !== null) ||
      b.denies - a.denies ||
      a.destination.localeCompare(b.destination),
  );
  return {
    groups: groups.slice(0, request.top),
    more: Math.max(0, groups.length - request.top),
    reads,
    partial: reads.find((read) => read.value.partialError)?.value.partialError ?? null,
  };
}
