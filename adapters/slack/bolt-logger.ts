import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import type { Logger } from "../../src/index.js";

/** Bolt's logger interface over ours, so Bolt's lines are structured JSON too. Bolt's own debug chatter is dropped below `info`. */
export function boltLogger(log: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  const text = (messages: unknown[]): string =>
    messages
      .map((message) =>
        message instanceof Error ? message.message : typeof message === "string" ? message : JSON.stringify(message),
      )
      .join(" ");
  return {
    debug: (...messages) => {
      if (level === LogLevel.DEBUG) log.debug({ component: "bolt" }, text(messages));
    },
    info: (...messages) => log.info({ component: "bolt" }, text(messages)),
    warn: (...messages) => log.warn({ component: "bolt" }, text(messages)),
    error: (...messages) => log.error({ component: "bolt" }, text(messages)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
