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
export type TeamsSettingsResult = { readonly enabled: true; readonly settings: TeamsSettings } | { readonly enabled: false; readonly reason: string };

/**
 * Teams is on when the Agents SDK has a client ID, or, outside production, in anonymous local mode
 * (for the Agents Playground and tests). In production without a client ID it stays off.
 */
export function readTeamsSettings(env: Readonly<Record<string, string | undefined>>, allowlists: { tenants: readonly string[]; allowGuests: readonly string[] }): TeamsSettingsResult {
  const clientId = env.clientId?.trim() || null;
  if (!clientId && env.NODE_ENV === "production") return { enabled: false, reason: "no clientId (anonymous mode is refused when NODE_ENV=production)" };
  return { enabled: true, settings: { clientId, publicUrl: env.EGRESS_PUBLIC_URL?.trim().replace(/\/+$/, "") || null, ...allowlists } };
}
