import { createHmac } from "node:crypto";

/** Signs a body the way Slack does (v0 HMAC-SHA256 over `v0:timestamp:body`), so tests exercise Bolt's real verification. */
export function slackHeaders(
  secret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return { "x-slack-request-timestamp": String(timestamp), "x-slack-signature": signature };
}

/**
 * A signed slash command `text` from `user` in `channel` under `trigger`, its `response_url` at the
 * fake Slack: one command of a burst, each in a place of its own.
 */
export function postCommandIn(
  base: string,
  secret: string,
  slack: { responseUrl(id: string): string },
  command: { readonly text: string; readonly channel: string; readonly user: string; readonly trigger: string },
): Promise<Response> {
  return postSlashCommand(base, secret, {
    text: command.text,
    channel_id: command.channel,
    user_id: command.user,
    trigger_id: command.trigger,
    response_url: slack.responseUrl(command.trigger),
  });
}

/** POSTs a signed slash command (form-encoded, as Slack sends it). */
export async function postSlashCommand(
  base: string,
  secret: string,
  fields: Record<string, string>,
  extraHeaders: Record<string, string> = {},
): Promise<Response> {
  const body = new URLSearchParams({
    command: "/egress",
    team_id: "T1",
    channel_id: "C1",
    user_id: "U1",
    ...fields,
  }).toString();
  return fetch(`${base}/slack/events`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...slackHeaders(secret, body), ...extraHeaders },
    body,
  });
}

/** POSTs a signed Events API callback (JSON). */
export async function postSlackEvent(
  base: string,
  secret: string,
  payload: Record<string, unknown>,
  extraHeaders: Record<string, string> = {},
): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`${base}/slack/events`, {
    method: "POST",
    headers: { "content-type": "application/json", ...slackHeaders(secret, body), ...extraHeaders },
    body,
  });
}

/** POSTs a signed interactivity payload (`payload=` form field). */
export async function postSlackInteraction(
  base: string,
  secret: string,
  payload: Record<string, unknown>,
): Promise<Response> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return fetch(`${base}/slack/events`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...slackHeaders(secret, body) },
    body,
  });
}
