import { pino } from "pino";
import type { Logger } from "../../src/index.js";

/**
 * JSON logs on stdout. Secrets never reach a line: the paths that could carry them are redacted as a
 * second line of defence (the code logs IDs and codes, never tokens or user text).
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: "egress-bot" },
      redact: {
        paths: [
          "token",
          "*.token",
          "authorization",
          "*.authorization",
          "headers.authorization",
          "secret",
          "*.secret",
          "text",
          "*.text",
        ],
        censor: "[redacted]",
      },
    },
    destination ?? process.stdout,
  );
}
