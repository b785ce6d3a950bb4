import { closeServer, listenOnLoopback, waitUntil } from "./loopback-server.js";
import { createServer, type Server } from "node:http";

/** One call the bot made to the fake Bot Connector. */
export interface ConnectorCall {
  readonly method: string;
  /** The decoded path: the SDK does not percent-encode conversation IDs. */
  readonly path: string;
  readonly body: Record<string, unknown>;
}

/**
 * A fake Bot Framework connector (the activity's `serviceUrl`) on 127.0.0.1 that records replies
 * (`POST …/activities[/{replyToId}]`) and updates (`PUT …/activities/{id}`), and answers member
 * lookups. `failures` answers the next replies or updates with the given statuses, to exercise retries.
 */
export class FakeTeamsConnector {
  readonly calls: ConnectorCall[] = [];
  readonly failures: number[] = [];
  /** Users (`from.id`) whose member record says `userRole: "guest"`. */
  readonly guests = new Set<string>();
  /** How many of the next replies or updates get their connection reset: a failure with no HTTP status. */
  resets = 0;
  /** How long member lookups take to answer. */
  memberDelayInMs = 0;
  private readonly server: Server;
  private nextId = 1;
  private port = 0;

  constructor() {
    this.server = createServer((request, response) => {
      let raw = "";
      request.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
      request.on("end", () => {
        // Planned failures hit replies and updates, not member lookups.
        const failure = request.method === "GET" ? undefined : this.failures.shift();
        this.calls.push({
          method: request.method ?? "",
          path: decodeURIComponent(request.url ?? ""),
          body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
        });
        if (request.method !== "GET" && this.resets > 0) {
          this.resets--;
          request.socket.destroy();
          return;
        }
        if (failure) {
          response
            .writeHead(failure, { "content-type": "application/json" })
            .end(JSON.stringify({ error: { code: "ServiceError" } }));
          return;
        }
        if (request.method === "GET" && /\/members\//.test(request.url ?? "")) {
          const member = decodeURIComponent((request.url ?? "").split("/").pop() ?? "");
          setTimeout(() => {
            response
              .writeHead(200, { "content-type": "application/json" })
              .end(
                JSON.stringify({ id: member, name: "Member", userRole: this.guests.has(member) ? "guest" : "user" }),
              );
          }, this.memberDelayInMs);
          return;
        }
        const id = request.method === "PUT" ? (request.url ?? "").split("/").pop() : `reply-${this.nextId++}`;
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id }));
      });
    });
  }

  get serviceUrl(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  async start(): Promise<void> {
    this.port = await listenOnLoopback(this.server);
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }

  /** Adaptive Cards the bot sent or updated, in order. */
  cards(): Record<string, unknown>[] {
    return this.calls.flatMap((call) =>
      ((call.body.attachments as { contentType: string; content: Record<string, unknown> }[] | undefined) ?? [])
        .filter((attachment) => attachment.contentType === "application/vnd.microsoft.card.adaptive")
        .map((attachment) => attachment.content),
    );
  }

  waitFor(predicate: (calls: readonly ConnectorCall[]) => boolean, timeoutInMs = 20_000): Promise<void> {
    return waitUntil(
      () => predicate(this.calls),
      () =>
        `fake connector: condition not met; calls: ${this.calls.map((call) => `${call.method} ${call.path}`).join(", ")}`,
      timeoutInMs,
    );
  }
}
