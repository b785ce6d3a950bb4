import { checkChatSettings } from "../../src/index.js";
import { loopbackPeers } from "./teams-doors.js";

/** Teams settings: the Agents SDK's own (`clientId`, `tenantId`, … read by the SDK) plus allowlists. */
export interface TeamsSettings {
  /** The bot's app ID, or null in anonymous local mode. */
  readonly clientId: string | null;
  readonly tenants: readonly string[];
  readonly allowGuests: readonly string[];
  /** Base URL for signed bundle links (`EGRESS_PUBLIC_URL`). */
  readonly publicUrl: string | null;
  /** The Azure cloud (`AZURE_CLOUD`), which decides the Bot Connector hosts replies may go to. */
  readonly cloud: string;
  /** Peers (CIDRs) anonymous local mode answers (`teams.anonymousPeers`, loopback by default). */
  readonly anonymousPeers: readonly string[];
  /** Bot Connector hosts allowed beside the documented ones (`teams.serviceUrlHosts`). */
  readonly serviceUrlHosts: readonly string[];
}

/** The configuration's Teams part, as {@link readTeamsSettings} takes it. */
export interface TeamsConfig {
  readonly tenants: readonly string[];
  readonly allowGuests: readonly string[];
  readonly anonymousPeers?: readonly string[];
  readonly serviceUrlHosts?: readonly string[];
  readonly cloud?: string;
}

/** Why Teams is off, or its settings. */
export type TeamsSettingsResult =
  { readonly enabled: true; readonly settings: TeamsSettings } | { readonly enabled: false; readonly reason: string };

/**
 * Teams is on when the Agents SDK settings are complete (`clientId` and `tenantId`) or, outside
 * production, when none is set (anonymous local mode, for the Agents Playground and tests). The
 * decision is `egress doctor`'s own, so the server and the doctor never disagree: half a
 * configuration (say a `clientId` without its `tenantId`) keeps Teams off, with the doctor's reason.
 */
export function readTeamsSettings(
  env: Readonly<Record<string, string | undefined>>,
  teams: TeamsConfig,
): TeamsSettingsResult {
  const check = checkChatSettings(env).find((candidate) => candidate.platform === "teams");
  if (check?.status !== "configured" && check?.status !== "anonymous")
    return { enabled: false, reason: check?.detail ?? "no Teams settings" };
  const clientId = check.status === "configured" ? (env.clientId?.trim() ?? null) : null;
  return {
    enabled: true,
    settings: {
      clientId,
      publicUrl: env.EGRESS_PUBLIC_URL?.trim().replace(/\/+$/, "") || null,
      tenants: teams.tenants,
      allowGuests: teams.allowGuests,
      cloud: teams.cloud ?? "AzureCloud",
      anonymousPeers: teams.anonymousPeers ?? loopbackPeers,
      serviceUrlHosts: teams.serviceUrlHosts ?? [],
    },
  };
}
