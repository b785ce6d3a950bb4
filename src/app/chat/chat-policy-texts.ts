/** How long a chat platform's retried or replayed delivery is recognised and ignored. */
export const chatDedupeTtlInMs = 60 * 60 * 1000;

/**
 * The refusal for people outside the bot's organisation (Slack Connect users, other tenants, guests),
 * naming the configuration key that lets an admin allow them in.
 */
export function outsiderRefusal(allowKey: "slack.allowExternalUsers" | "teams.allowGuests"): string {
  return `egress-bot answers members of this organisation only (evidence shows network layout). An admin can allow you in the bot's configuration (${allowKey}).`;
}

/**
 * The short introduction a bot posts once when it is added to a team or channel: what it does, how
 * to ask, and that it only reads. `mention` is how to address it on the platform.
 */
export function introduction(mention: string): string {
  return [
    "Hi, I'm egress-bot. I show how traffic really leaves your AKS clusters and which public IPs the world sees, and I only read Azure.",
    `Try \`${mention} show cluster <name>\`, \`${mention} triage <name> --dest <host:port>\`, \`${mention} source-ips <name>\` or \`${mention} denies <name>\`; \`${mention} help\` lists everything.`,
  ].join("\n");
}
