import { closeServer, listenOnLoopback, waitUntil } from "./loopback-server.js";
import { createServer, type IncomingMessage, type Server } from "node:http";

/** One call the bot made to the fake Slack Web API (or to a response_url or upload URL). */
export interface SlackCall {
  readonly method: string;
  readonly body: Record<string, unknown>;
  readonly authorization: string | null;
  /** When the call arrived (ms since the epoch). */
  readonly at: number;
}

/** A planned failure: the next call of `method` answers with this status and body. */
export interface SlackFault {
  readonly method: string;
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: Record<string, unknown>;
}

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};

const jsonOr = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

const parseFields = (raw: string, contentType: string): Record<string, unknown> => {
  if (contentType.includes("application/json")) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  if (!contentType.includes("application/x-www-form-urlencoded")) return { raw };
  const fields: Record<string, unknown> = {};
  // Slack's form fields that carry JSON (`blocks`, `attachments`) are read as JSON; text that merely
  // starts with a bracket (a user's `[Symbol…` echoed in a message) stays text.
  for (const [key, value] of new URLSearchParams(raw)) fields[key] = /^[[{]/.test(value) ? jsonOr(value) : value;
  return fields;
};

/**
 * A fake Slack Web API on 127.0.0.1 that records what the bot posts: `auth.test`, `chat.*`,
 * `users.info`, the three-step `files.uploadV2` flow, and `response_url` posts. Channels listed in
 * `notInChannel` answer `not_in_channel`; users in `strangers` are Slack Connect guests.
 */
export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  readonly faults: SlackFault[] = [];
  /** How many of the next calls of a method get their connection reset: a failure with no HTTP answer. */
  readonly resets = new Map<string, number>();
  readonly notInChannel = new Set<string>();
  readonly strangers = new Set<string>();
  /** Enterprise Grid members: user → the enterprise users.info names (their home team stays T1). */
  readonly enterpriseMembers = new Map<string, string>();
  /** The WebSocket URL `apps.connections.open` hands out (Socket Mode tests). */
  connectionsUrl = "";
  /** User groups (`usergroups.list`): group ID → member user IDs. */
  readonly userGroups = new Map<string, string[]>();
  private nextTs = 1000;
  private readonly server: Server;
  private port = 0;

  constructor() {
    this.server = createServer((request, response) => {
      const method = (request.url ?? "").split("?")[0]?.replace(/^\/api\//, "") ?? "";
      const resets = this.resets.get(method) ?? 0;
      if (resets > 0) {
        this.resets.set(method, resets - 1);
        this.calls.push({ method: `${method} (reset)`, body: {}, authorization: null, at: Date.now() });
        request.socket.destroy();
        return;
      }
      void this.answer(request).then(({ status, headers, body }) => {
        response.writeHead(status, { "content-type": "application/json", ...headers });
        response.end(JSON.stringify(body));
      });
    });
  }

  /** The base URL to give the bot as `SLACK_API_URL`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A response_url for a slash command. */
  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  async start(): Promise<void> {
    this.port = await listenOnLoopback(this.server);
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }

  /** Calls of one method, in order. */
  callsOf(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Resolves when `predicate` holds for the calls so far (polls; fails after `timeoutInMs`). */
  waitFor(predicate: (calls: readonly SlackCall[]) => boolean, timeoutInMs = 20_000): Promise<void> {
    return waitUntil(
      () => predicate(this.calls),
      () => `fake Slack: condition not met; calls: ${this.calls.map((call) => call.method).join(", ")}`,
      timeoutInMs,
    );
  }

  private async answer(
    request: IncomingMessage,
  ): Promise<{ status: number; headers?: Record<string, string>; body: unknown }> {
    const raw = await readBody(request);
    const path = (request.url ?? "").split("?")[0] ?? "";
    const method = path.startsWith("/api/")
      ? path.slice("/api/".length)
      : path.startsWith("/response/")
        ? "response_url"
        : path.startsWith("/upload/")
          ? "upload"
          : path;
    const body =
      method === "upload" ? { bytes: raw.length, raw } : parseFields(raw, request.headers["content-type"] ?? "");
    this.calls.push({ method, body, authorization: request.headers.authorization ?? null, at: Date.now() });
    const faultIndex = this.faults.findIndex((fault) => fault.method === method);
    if (faultIndex >= 0) {
      const [fault] = this.faults.splice(faultIndex, 1);
      return {
        status: fault?.status ?? 500,
        headers: fault?.headers ?? {},
        body: fault?.body ?? { ok: false, error: "fatal_error" },
      };
    }
    const ts = (): string => `${this.nextTs++}.000100`;
    switch (method) {
      case "auth.test":
        return { status: 200, body: { ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T1", user: "egress" } };
      case "chat.postMessage": {
        const channel = String(body.channel);
        if (this.notInChannel.has(channel)) return { status: 200, body: { ok: false, error: "not_in_channel" } };
        return { status: 200, body: { ok: true, channel, ts: ts() } };
      }
      case "chat.update":
        return { status: 200, body: { ok: true, channel: body.channel, ts: body.ts } };
      case "chat.postEphemeral":
        if (this.notInChannel.has(String(body.channel)))
          return { status: 200, body: { ok: false, error: "not_in_channel" } };
        return { status: 200, body: { ok: true, message_ts: ts() } };
      case "users.info": {
        const user = String(body.user);
        return {
          status: 200,
          body: {
            ok: true,
            user: {
              id: user,
              team_id: this.strangers.has(user) ? "TOTHER" : "T1",
              is_stranger: this.strangers.has(user),
              ...(this.enterpriseMembers.has(user)
                ? { enterprise_user: { enterprise_id: this.enterpriseMembers.get(user), teams: ["T1", "T0GRID01"] } }
                : {}),
            },
          },
        };
      }
      case "apps.connections.open":
        return { status: 200, body: { ok: true, url: this.connectionsUrl } };
      case "usergroups.list":
        return {
          status: 200,
          body: { ok: true, usergroups: [...this.userGroups].map(([id, users]) => ({ id, users })) },
        };
      case "files.getUploadURLExternal":
        return {
          status: 200,
          body: {
            ok: true,
            upload_url: `http://127.0.0.1:${this.port}/upload/${this.nextTs}`,
            file_id: `F${this.nextTs++}`,
          },
        };
      case "upload":
        return { status: 200, body: "OK" };
      case "files.completeUploadExternal":
        return { status: 200, body: { ok: true, files: [] } };
      case "response_url":
        return { status: 200, body: { ok: true } };
      default:
        return { status: 200, body: { ok: false, error: "unknown_method" } };
    }
  }
}
