import type { ConsoleEvent } from "../../adapters/console/web/console-protocol.js";
import { waitUntil } from "./loopback-server.js";

/** Reads a console session's server-sent events over real HTTP, as a page's EventSource would. */
export class ConsoleEventLog {
  readonly events: (ConsoleEvent & { id: number })[] = [];
  private readonly controller = new AbortController();
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly base: string,
    readonly session: string,
  ) {}

  /** Connects; resolves once the stream is open. */
  async open(lastEventId = 0): Promise<void> {
    const response = await fetch(`${this.base}/console/api/events?session=${this.session}`, {
      headers: lastEventId ? { "last-event-id": String(lastEventId) } : {},
      signal: this.controller.signal,
    });
    if (!response.ok || !response.body) throw new Error(`events answered ${response.status}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    this.reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
        if (done) return;
        buffer += value;
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (\d+)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (id && data) this.events.push({ ...(JSON.parse(data) as ConsoleEvent), id: Number(id) });
        }
      }
    })();
  }

  /** The events of one reply, in order. */
  of(replyId: string): ConsoleEvent[] {
    return this.events.filter((event) => "replyId" in event && event.replyId === replyId);
  }

  async waitFor(condition: (events: readonly ConsoleEvent[]) => boolean, timeoutInMs = 15_000): Promise<void> {
    await waitUntil(
      () => condition(this.events),
      () => `events so far: ${JSON.stringify(this.events.map((event) => event.type))}`,
      timeoutInMs,
    );
  }

  async close(): Promise<void> {
    this.controller.abort();
    await this.reading;
  }
}
