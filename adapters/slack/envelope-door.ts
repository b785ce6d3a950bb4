import { isValidSlackRequest } from "@slack/bolt";
import type { RequestHandler } from "express";
import getRawBody from "raw-body";

/** Events API envelope types Bolt dispatches itself; any other JSON envelope is acknowledged here. */
const boltEnvelopes = new Set(["event_callback", "url_verification"]);

/** What the door needs. */
export interface EnvelopeDoorOptions {
  readonly signingSecret: string;
  readonly bodyLimitBytes: number;
  /** Told of each envelope acknowledged here (its type), for the log. */
  readonly onAcknowledged: (type: string) => void;
}

/**
 * Acknowledges, within Slack's 3 seconds, signed Events API envelopes that carry no event for Bolt to
 * dispatch: `app_rate_limited` (Slack disables subscriptions whose deliveries keep failing) and
 * envelope types Slack adds later. Bolt cannot determine their type, calls no listener and, never
 * acknowledged, answers 404 after 3 s. Everything else goes on to Bolt with the body already read
 * (`req.rawBody`, which Bolt's receiver takes instead of reading the stream again); unsigned or
 * stale requests too, so that Bolt refuses them as it always does.
 */
export function slackEnvelopeDoor(options: EnvelopeDoorOptions): RequestHandler {
  return (request, response, next) => {
    if (!(request.headers["content-type"] ?? "").startsWith("application/json")) {
      next();
      return;
    }
    getRawBody(request, { limit: options.bodyLimitBytes })
      .then((raw) => {
        (request as { rawBody?: Buffer }).rawBody = raw;
        const type = envelopeType(raw);
        if (type === null || boltEnvelopes.has(type) || !signed(request.headers, raw, options.signingSecret)) {
          next();
          return;
        }
        options.onAcknowledged(type);
        response.status(200).end();
      })
      .catch((error: unknown) => {
        // Too large, aborted or malformed: answer now. The request may still be arriving, and
        // express's final handler would wait for it to end.
        const status = (error as { statusCode?: unknown }).statusCode;
        response
          .status(typeof status === "number" ? status : 400)
          .set("Connection", "close")
          .end();
      });
  };
}

/** The envelope's `type` when it is a JSON object without an inner `event`, else null. */
function envelopeType(raw: Buffer): string | null {
  try {
    const body = JSON.parse(raw.toString("utf8")) as unknown;
    if (body === null || typeof body !== "object" || "event" in body) return null;
    const type = (body as { type?: unknown }).type;
    return typeof type === "string" ? type : null;
  } catch {
    return null;
  }
}

function signed(headers: Record<string, string | string[] | undefined>, raw: Buffer, signingSecret: string): boolean {
  const header = (name: string): string => {
    const value = headers[name];
    return Array.isArray(value) ? (value[0] ?? "") : (value ?? "");
  };
  return isValidSlackRequest({
    signingSecret,
    body: raw.toString("utf8"),
    headers: {
      "x-slack-signature": header("x-slack-signature"),
      "x-slack-request-timestamp": Number(header("x-slack-request-timestamp")),
    },
  });
}
