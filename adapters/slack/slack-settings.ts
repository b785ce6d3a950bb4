import { checkChatSettings } from "../../src/index.js";

/** Slack settings from the environment (secrets) and the config file (allowlists). */
export interface SlackSettings {
  readonly signingSecret: string;
  readonly botToken: string;
  /** Socket Mode when set: no inbound endpoint needed. */
  readonly appToken: string | null;
  /** Web API base; a local fake in tests. */
  readonly apiUrl: string | null;
  /** Team IDs allowed; empty means the workspace the command came from. */
  readonly workspaces: readonly string[];
  /** Slack Connect users from other organisations allowed anyway. */
  readonly allowExternalUsers: readonly string[];
  /** Look up the asker's user groups (only when authorization rules name groups: it costs a Web API call). */
  readonly resolveUserGroups?: boolean;
}

/** Why Slack is off, or its settings. Slack is enabled only when its secrets exist. */
export type SlackSettingsResult =
  { readonly enabled: true; readonly settings: SlackSettings } | { readonly enabled: false; readonly reason: string };

/**
 * Reads Slack's settings; HTTP mode needs the signing secret and bot token, Socket Mode the app and bot
 * tokens. Whether Slack is on is decided by the same check `egress doctor` reports.
 */
export function readSlackSettings(
  env: Readonly<Record<string, string | undefined>>,
  allowlists: { workspaces: readonly string[]; allowExternalUsers: readonly string[]; resolveUserGroups?: boolean },
): SlackSettingsResult {
  const check = checkChatSettings(env).find((candidate) => candidate.platform === "slack");
  if (check?.status !== "configured") return { enabled: false, reason: check?.detail ?? "no SLACK_* settings" };
  return {
    enabled: true,
    settings: {
      signingSecret: env.SLACK_SIGNING_SECRET?.trim() ?? "",
      botToken: env.SLACK_BOT_TOKEN?.trim() ?? "",
      appToken: env.SLACK_APP_TOKEN?.trim() || null,
      apiUrl: env.SLACK_API_URL?.trim() || null,
      ...allowlists,
    },
  };
}
