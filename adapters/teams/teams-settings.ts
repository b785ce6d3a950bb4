import { checkChatSettings } from "../../src/index.js";

/** Teams settings: the Agents SDK's own (`clientId`, `tenantId`, … read by the SDK) plus allowlists. */
export interface TeamsSettings {
  /** The bot's app ID, or null in anonymous local mode. */
  readonly clientId: string | null;
  readonly tenants: readonly string[];
  readonly allowGuests: readonly string[];
  /** Base URL for signed bundle links (`EGRESS_PUBLIC_URL`). */
  readonly publicUrl: string | null;
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
  allowlists: { tenants: readonly string[]; allowGuests: readonly string[] },
): TeamsSettingsResult {
  const check = checkChatSettings(env).find((candidate) => candidate.platform === "teams");
  if (check?.status !== "configured" && check?.status !== "anonymous")
    return { enabled: false, reason: check?.detail ?? "no Teams settings" };
  const clientId = check.status === "configured" ? (env.clientId?.trim() ?? null) : null;
  return {
    enabled: true,
    settings: { clientId, publicUrl: env.EGRESS_PUBLIC_URL?.trim().replace(/\/+$/, "") || null, ...allowlists },
  };
}
