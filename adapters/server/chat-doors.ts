import type { NextFunction, Request, RequestHandler, Response } from "express";

/** Bounds on what the chat endpoints accept before any parsing or signature check. */
export interface ChatDoorLimits {
  /**
   * Largest Slack request body. Slack's largest inbound payloads are `block_actions`, which echo
   * the clicked message with its blocks (ours stay under 50 blocks of 3,000 characters, form-encoded).
   * @default 256 KiB
   */
  readonly slackBodyBytes: number;
  /** Largest Teams activity. Cards are capped at 28 KB by Teams; an activity is a few KB. @default 64 KiB */
  readonly teamsBodyBytes: number;
  /** Chat requests being read or answered at once; more get 503 with Retry-After. @default 256 */
  readonly maxInFlight: number;
  /** Slack's replay window, both ways (Bolt refuses only old timestamps). @default 300 s */
  readonly slackClockSkewInSeconds: number;
}

/** The limits the server uses unless told otherwise. */
export const defaultChatDoorLimits: ChatDoorLimits = {
  slackBodyBytes: 256 * 1024,
  teamsBodyBytes: 64 * 1024,
  maxInFlight: 256,
  slackClockSkewInSeconds: 300,
};

/** Answers and closes the connection, so a body nobody will read is not read at all. */
function refuse(response: Response, status: number, error: string, headers: Record<string, string> = {}): void {
  response
    .status(status)
    .set({ Connection: "close", ...headers })
    .json({ error });
}

/**
 * The first middleware of `POST /slack/events` and `POST /api/messages`: refuses a declared body
 * larger than the platform ever sends (before a byte of it is read), more chat requests at once than
 * the server takes, and Slack timestamps from the future (Bolt checks only the past). The body
 * parsers behind it enforce the same size on bodies sent without a length.
 */
export function chatDoor(
  platform: "slack" | "teams",
  limits: ChatDoorLimits,
  inFlight: { count: number },
  now: () => number,
): RequestHandler {
  const maxBytes = platform === "slack" ? limits.slackBodyBytes : limits.teamsBodyBytes;
  return (request: Request, response: Response, next: NextFunction) => {
    const declared = Number(request.get("content-length") ?? "0");
    if (!Number.isFinite(declared) || declared > maxBytes) {
      refuse(response, 413, `request body larger than ${maxBytes} bytes`);
      return;
    }
    if (platform === "slack") {
      const timestamp = Number(request.get("x-slack-request-timestamp"));
      if (Number.isFinite(timestamp) && timestamp > now() / 1000 + limits.slackClockSkewInSeconds) {
        refuse(response, 401, "request timestamp is in the future");
        return;
      }
    }
    if (inFlight.count >= limits.maxInFlight) {
      refuse(response, 503, "too many requests at once", { "Retry-After": "1" });
      return;
    }
    inFlight.count += 1;
    response.once("close", () => {
      inFlight.count -= 1;
    });
    next();
  };
}
