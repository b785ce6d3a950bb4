import { createService, type EvidenceBundle } from "../../src/index.js";

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
