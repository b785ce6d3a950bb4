import { readFileSync } from "node:fs";
import { createService, parseCommand, type EvidenceBundle } from "../../src/index.js";
import { validateWorld } from "../../src/simulated/world.js";
import type { WorldHttpClient } from "../../src/simulated/world-http-client.js";
import { azureOverWorld } from "./world-azure.js";

/**
 * `show cluster aks-egress` on one of the ARM JSON worlds of test/fixtures/worlds/egress/, through
 * the real SDK clients and mappers (or on the demo world, for `cluster` there).
 */
export async function showCluster(world: string, cluster = "aks-egress"): Promise<EvidenceBundle> {
  const service = await createService({
    azure: { world: world === "demo" ? "demo" : `test/fixtures/worlds/egress/${world}.json` },
  });
  const result = await service.runCommand(
    {
      id: "show-cluster",
      words: ["show", "cluster"],
      args: { cluster },
      definition: { runbook: "show-cluster" },
    } as never,
    { requestedBy: { platform: "cli", user: "test", channel: null, thread: null } },
  );
  if (result.kind !== "bundle") throw new Error("no bundle");
  return result.bundle;
}

/**
 * `show cluster aks-egress` on an egress world through the real SDK clients, keeping the simulator's
 * HTTP log, for tests about what was sent (requests, methods, permissions).
 */
export async function showClusterOverHttp(world: string): Promise<{ bundle: EvidenceBundle; http: WorldHttpClient }> {
  const validated = validateWorld(JSON.parse(readFileSync(`test/fixtures/worlds/egress/${world}.json`, "utf8")));
  if (!validated.ok) throw new Error(`world ${world} is invalid`);
  const { port, http } = azureOverWorld(validated.world, { now: () => Date.now() });
  const service = await createService({ azurePort: port });
  const parsed = parseCommand("show cluster aks-egress");
  if (!parsed.ok) throw new Error(parsed.error.reason);
  const result = await service.runCommand(parsed.command, {
    requestedBy: { platform: "cli", user: null, channel: null, thread: null },
  });
  if (result.kind !== "bundle") throw new Error("no bundle");
  return { bundle: result.bundle, http };
}
