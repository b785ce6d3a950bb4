import type { Response } from "express";
import type { ConsoleEvent } from "./web/console-protocol.js";

interface Session {
  nextId: number;
  readonly events: { id: number; event: ConsoleEvent }[];
  readonly listeners: Set<Response>;
  lastUsed: number;
}

/** Limits of {@link ConsoleHub}. */
export interface HubLimits {
  /** Events kept per session for replay after a reconnect or reload. @default 500 */
  readonly eventsPerSession?: number;
  /** Sessions kept; the least recently used goes first. @default 50 */
  readonly sessions?: number;
}

/**
 * Server-sent event streams, one per browser session. Each session keeps its recent events so a
 * reloaded page or a reconnecting EventSource (`Last-Event-ID`) sees the whole thread again.
 */
export class ConsoleHub {
  private readonly sessions = new Map<string, Session>();
  private readonly eventsPerSession: number;
  private readonly maxSessions: number;

  constructor(
    limits: HubLimits = {},
    private readonly now: () => number = Date.now,
  ) {
    this.eventsPerSession = limits.eventsPerSession ?? 500;
    this.maxSessions = limits.sessions ?? 50;
  }

  /** Streams `session`'s events to `response`, first replaying those after `lastEventId`. */
  subscribe(sessionId: string, lastEventId: number, response: Response): void {
    const session = this.session(sessionId);
    response.status(200).set({
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    response.flushHeaders();
    response.write("retry: 1000\n\n");
    for (const entry of session.events) if (entry.id > lastEventId) write(response, entry.id, entry.event);
    session.listeners.add(response);
    response.on("close", () => session.listeners.delete(response));
  }

  /** Sends an event to every page of the session, and keeps it for replay. */
  publish(sessionId: string, event: ConsoleEvent): void {
    const session = this.session(sessionId);
    const id = ++session.nextId;
    session.events.push({ id, event });
    if (session.events.length > this.eventsPerSession) session.events.shift();
    for (const listener of session.listeners) write(listener, id, event);
  }

  /** Ends every stream (shutdown): pages see the connection drop and retry. */
  closeAll(): void {
    for (const session of this.sessions.values()) for (const listener of session.listeners) listener.end();
  }

  private session(id: string): Session {
    let session = this.sessions.get(id);
    if (!session) {
      session = { nextId: 0, events: [], listeners: new Set(), lastUsed: 0 };
      this.sessions.set(id, session);
      if (this.sessions.size > this.maxSessions) this.evictOldest();
    }
    session.lastUsed = this.now();
    return session;
  }

  private evictOldest(): void {
    let oldest: [string, Session] | null = null;
    for (const entry of this.sessions)
      if (entry[1].listeners.size === 0 && (!oldest || entry[1].lastUsed < oldest[1].lastUsed)) oldest = entry;
    if (oldest) this.sessions.delete(oldest[0]);
  }
}

function write(response: Response, id: number, event: ConsoleEvent): void {
  response.write(`id: ${id}\nevent: message\ndata: ${JSON.stringify(event)}\n\n`);
}
