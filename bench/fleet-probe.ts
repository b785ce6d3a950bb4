// Run alone in a fresh process by the fleet benchmarks (with --expose-gc): `fleet` and `whois` over a
// generated fleet with 100 ms per Resource Graph request, and the heap the inventory holds. Prints JSON.
import { createService } from "../src/app/create-service.js";
import { azureClouds } from "../src/azure/clouds.js";
import { createAzureReadPort } from "../src/azure/create-azure-read-port.js";
import { parseCommand } from "../src/core/commands/parse-command.js";
import { simulatedCredential, worldSubscriptions } from "../src/simulated/simulated-credential.js";
import { validateWorld } from "../src/simulated/world.js";
import { createWorldHttpClient } from "../src/simulated/world-http-client.js";
import { fleetAddress, fleetWorld } from "../test/support/fleet-world.js";

const clusters = Number(process.argv[2] ?? 2000);
const subscriptions = Number(process.argv[3] ?? 20);
const generated = fleetWorld({ clusters, subscriptions });
const validated = validateWorld({
  ...generated,
  faults: [{ match: "Microsoft\\.ResourceGraph/resources", latencyMs: 100 }],
});
if (!validated.ok) throw new Error("the generated fleet is not a valid world");
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

const portOver = () => {
  const http = createWorldHttpClient(validated.world, { now: () => Date.now() });
  const port = createAzureReadPort({
    credential: simulatedCredential,
    cloud: azureClouds.AzureCloud,
    subscriptions: worldSubscriptions(Object.keys(validated.world.resources)),
    httpClient: http,
    simulated: true,
    cacheTtlInMs: 300_000,
  });
  return { http, port };
};
const requestedBy = { platform: "cli" as const, user: null, channel: null, thread: null };
const run = async (service: ReturnType<typeof createService>, text: string) => {
  const parsed = parseCommand(text, { surface: "cli" });
  if (!parsed.ok) throw new Error(parsed.error.reason);
  const started = performance.now();
  const result = await service.runCommand(parsed.command, { requestedBy });
  if (result.kind !== "bundle" || result.bundle.status !== "succeeded") throw new Error(`${text} did not succeed`);
  return { ms: performance.now() - started, bundle: result.bundle };
};

// The inventory's heap: measured on its own port, with everything else collected before and after.
const alone = portOver();
gc();
const before = process.memoryUsage().heapUsed;
const held = await alone.port.readEgressInventory();
gc();
const inventoryBytes = process.memoryUsage().heapUsed - before;

const { http, port } = portOver();
const service = createService({ azurePort: port });
const fleet = await run(service, "fleet");
const fleetRequests = http.requests.length;
const whois = await run(service, `whois ${fleetAddress(0x300000 + 2)}`);
const whoisRequests = http.requests.length - fleetRequests;
const users = (whois.bundle as { whois?: { matches: { usedBy?: unknown[] }[] } }).whois?.matches[0]?.usedBy?.length;
process.stdout.write(
  `${JSON.stringify({
    clusters: (fleet.bundle as { fleet?: { clusters: unknown[] } }).fleet?.clusters.length,
    fleetMs: fleet.ms,
    fleetRequests,
    whoisMs: whois.ms,
    whoisRequests,
    whoisUsers: users,
    inventoryBytes,
    heldClusters: held.value.clusters.length,
  })}\n`,
);
process.exit(0);
