/** How long a chat platform's retried or replayed delivery is recognised and ignored. */
export const chatDedupeTtlInMs = 60 * 60 * 1000;

/**
 * The refusal for people outside the bot's organisation (Slack Connect users, other tenants, guests),
 * naming the configuration key that lets an admin allow them in.
 */
export function outsiderRefusal(allowKey: "slack.allowExternalUsers" | "teams.allowGuests"): string {
  return `egress-bot answers members of this organisation only (evidence shows network layout). An admin can allow you in the bot's configuration (${allowKey}).`;
}
