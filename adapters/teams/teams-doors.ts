import ipaddr from "ipaddr.js";

/**
 * The Bot Connector hosts Microsoft documents for each cloud (the Agents SDK's `TeamsServiceEndpoints`:
 * public global, GCC, GCC High, DoD). Teams in GCC runs on the commercial Azure cloud; GCC High and
 * DoD on Azure US Government. Azure China has no documented Teams host: name it in
 * `teams.serviceUrlHosts`.
 */
export const botConnectorHosts: Readonly<Record<string, readonly string[]>> = {
  AzureCloud: ["smba.trafficmanager.net", "smba.infra.gcc.teams.microsoft.com"],
  AzureUSGovernment: ["smba.infra.gov.teams.microsoft.us", "smba.infra.dod.teams.microsoft.us"],
  AzureChinaCloud: [],
};

/** Loopback in both families: the only peers anonymous local mode answers unless configured otherwise. */
export const loopbackPeers: readonly string[] = ["127.0.0.0/8", "::1/128"];

/** Where replies may go: loopback only (anonymous local mode), or the cloud's Bot Connector hosts over HTTPS. */
export interface ServiceUrlPolicy {
  readonly anonymous: boolean;
  readonly cloud: string;
  /** Extra hosts allowed beside the documented ones (`teams.serviceUrlHosts`). */
  readonly extraHosts: readonly string[];
}

const loopbackNames = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** True when an IPv4 or IPv6 literal (or `localhost`) names this machine. */
function isLoopbackHost(hostname: string): boolean {
  if (loopbackNames.has(hostname)) return true;
  const bare = hostname.replace(/^\[|\]$/g, "");
  return ipaddr.isValid(bare) && ipaddr.process(bare).range() === "loopback";
}

/**
 * Why a reply may not be sent to `serviceUrl`, or null when it may. The bot posts its answer to the
 * activity's `serviceUrl`, so an unchecked one would let a caller point the bot's answers (evidence of
 * the network estate) and, with credentials, its Bot Connector token at any host.
 */
export function serviceUrlRefusal(serviceUrl: string | undefined, policy: ServiceUrlPolicy): string | null {
  let url: URL;
  try {
    url = new URL(serviceUrl ?? "");
  } catch {
    return "the activity has no valid serviceUrl";
  }
  if (url.username || url.password) return "a serviceUrl may not carry credentials";
  const host = url.hostname.toLowerCase();
  if (policy.anonymous) {
    return isLoopbackHost(host) ? null : "anonymous local mode replies only to a serviceUrl on this machine";
  }
  const allowed = [...(botConnectorHosts[policy.cloud] ?? []), ...policy.extraHosts].map((entry) =>
    entry.toLowerCase(),
  );
  if (url.protocol !== "https:") return "replies go to the Bot Connector over HTTPS only";
  if (url.search || url.hash) return "a Bot Connector serviceUrl has no query or fragment";
  return allowed.includes(host) ? null : `${host} is not a Bot Connector host of ${policy.cloud}`;
}

/** Whether a socket's peer address is inside one of `ranges` (CIDRs or single addresses, both families). */
export function peerAllowed(address: string | undefined, ranges: readonly string[]): boolean {
  if (!address || !ipaddr.isValid(address)) return false;
  const peer = ipaddr.process(address);
  return ranges.some((range) => {
    try {
      const [network, bits] = range.includes("/")
        ? ipaddr.parseCIDR(range)
        : ([ipaddr.process(range), ipaddr.process(range).kind() === "ipv4" ? 32 : 128] as const);
      return peer.kind() === network.kind() && peer.match(network, bits);
    } catch {
      return false;
    }
  });
}
