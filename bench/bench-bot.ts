// What the server and console benchmarks share: the demo world slowed to 100 ms per ARM request, and
// a chat handler with limits no benchmark reaches.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChatCommandHandler } from "../src/app/chat/chat-command-handler.js";
import type { EgressService } from "../src/app/create-service.js";
import { findPackageRoot } from "../src/app/package-root.js";
import type { StateStore } from "../src/core/ports/state-store.js";

/** Writes the demo world with `latencyMs` added to every ARM and Resource Graph request; returns its path. */
export function demoWorldWithLatency(latencyMs: number): string {
  const file = join(mkdtempSync(join(tmpdir(), "egress-bench-")), `demo-${latencyMs}ms.yaml`);
  writeFileSync(
    file,
    `${readFileSync(join(findPackageRoot(), "worlds", "demo.yaml"), "utf8")}\nfaults:\n  - { match: "^/(subscriptions|providers)/", latencyMs: ${latencyMs} }\n`,
  );
  return file;
}

/** The demo world with 100 ms added to every ARM and Resource Graph request (the server benchmarks' Azure). */
export const slowDemoWorld = (): string => demoWorldWithLatency(100);

/** The chat flow as the server runs it (real progress pacing), with rate limits out of the way. */
export function benchHandler(service: EgressService, store: StateStore, keyPrefix: string): ChatCommandHandler {
  let key = 0;
  return new ChatCommandHandler({
    service,
    store,
    clock: { now: Date.now },
    authorization: null,
    aliases: {},
    rateLimits: { perUser: { count: 1000, perInMs: 60_000 }, perChannel: { count: 1000, perInMs: 60_000 } },
    newKey: () => `${keyPrefix}${++key}`,
  });
}
