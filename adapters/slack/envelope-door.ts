import { isValidSlackRequest } from "@slack/bolt";
import type { RequestHandler } from "express";
import getRawBody from "raw-body";

/** What {@link envelopeType} says of JSON that is not an object at all. */
const notAnEnvelope = "(not an envelope)";

/** What the door needs. */
export interface EnvelopeDoorOptions {
  readonly signingSecret: string;
  readonly bodyLimitBytes: number;
  /** Told of each envelope acknowledged here (its type), for the log. */
  readonly onAcknowledged: (type: string) => void;
}

/**
 * Reads Slack's request bodies before Bolt does. Acknowledges, within Slack's 3 seconds, signed Events API envelopes that carry no event for Bolt to
 * dispatch: `app_rate_limited` (Slack disables subscriptions whose deliveries keep failing), envelope
 * types Slack adds later, and an `event` that is not one (which Bolt would answer 500, and Slack retry). Bolt cannot determine their type, calls no listener and, never
 * acknowledged, answers 404 after 3 s. Everything else goes on to Bolt with the body already read
 * (`req.rawBody`, which Bolt's receiver takes instead of reading the stream again); unsigned or
 * stale requests too, so that Bolt refuses them as it always does. Signed bodies Bolt could not
 * dispatch at all (JSON that is no envelope, an interactivity payload without a type or an action) are
 * refused with 400 and the reason: Bolt would answer them 500.
 */
export function slackEnvelopeDoor(options: EnvelopeDoorOptions): RequestHandler {
  return (request, response, next) => {
    const contentType = request.headers["content-type"] ?? "";
    const json = contentType.startsWith("application/json");
    if (!json && !contentType.startsWith("application/x-www-form-urlencoded")) {
      next();
      return;
    }
    getRawBody(request, { limit: options.bodyLimitBytes })
      .then((raw) => {
        (request as { rawBody?: Buffer }).rawBody = raw;
        if (!json) {
          // Slash commands go on; an interactivity payload Bolt could not dispatch is refused here.
          const problem = interactionProblem(raw);
          if (problem && signed(request.headers, raw, options.signingSecret))
            response.status(400).type("text/plain").send(problem);
          else next();
          return;
        }
        const type = envelopeType(raw);
        if (type === null || !signed(request.headers, raw, options.signingSecret)) {
          next();
          return;
        }
        if (type === notAnEnvelope) {
          // Signed, so from Slack, yet no envelope: Bolt would answer 500 (and Slack retry it).
          response.status(400).type("text/plain").send("The body is not an Events API envelope (a JSON object).");
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

/**
 * The envelope's `type` when Bolt could not dispatch it, else null: a JSON object without an inner
 * `event`, or whose `event` is not an event (no object with a string `type`; Bolt answers those 500).
 * `url_verification` goes on to Bolt; JSON that is not an object is {@link notAnEnvelope}.
 */
function envelopeType(raw: Buffer): string | null {
  try {
    const body = JSON.parse(raw.toString("utf8")) as unknown;
    if (body === null || typeof body !== "object" || Array.isArray(body)) return notAnEnvelope;
    const type = (body as { type?: unknown }).type;
    const event = (body as { event?: unknown }).event;
    const dispatchable =
      event !== null && typeof event === "object" && typeof (event as { type?: unknown }).type === "string";
    if ("event" in body && dispatchable) return null;
    if (typeof type !== "string") return "event" in body ? "(no type)" : null;
    return type === "url_verification" ? null : type;
  } catch {
    return null;
  }
}

/**
 * Why an interactivity body (`payload=` JSON) is not one Bolt can dispatch, or null (also for bodies
 * without a payload: slash commands). Bolt answers 500 to a payload that is not a JSON object with a
 * string `type`, and to `block_actions` without actions; Slack never sends those, so they are refused.
 */
function interactionProblem(raw: Buffer): string | null {
  const payload = new URLSearchParams(raw.toString("utf8")).get("payload");
  if (payload === null) return null;
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return "The interactivity payload is not JSON.";
  }
  if (body === null || typeof body !== "object" || typeof (body as { type?: unknown }).type !== "string")
    return "The interactivity payload is not a JSON object with a type.";
  const actions = (body as { type: string; actions?: unknown }).actions;
  if (
    (body as { type: string }).type === "block_actions" &&
    !(
      Array.isArray(actions) &&
      actions.length > 0 &&
      actions.every(
        (action) =>
          action !== null &&
          typeof action === "object" &&
          typeof (action as { action_id?: unknown }).action_id === "string",
      )
    )
  )
    return "A block_actions payload names no action.";
  return null;
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
