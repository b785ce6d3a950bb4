import { readdirSync, readFileSync } from "node:fs";
import { validateWorld } from "../../../src/simulated/world.js";
import { readSections } from "../../../src/core/egress/report/sections.js";
import { resolveFleet } from "../../../src/core/fleet/resolve-fleet.js";
import { showCluster } from "../../support/egress-worlds.js";
import { azureOverWorld } from "../../support/world-azure.js";

// Every egress world of the resolver's tests (ARM JSON shaped like the REST API's examples), read
// once through Resource Graph's inventory: the fleet must say what `show cluster` says, or say why not.
const worlds = readdirSync("test/fixtures/worlds/egress")
  .filter((file) => file.endsWith(".json"))
  .map((file) => file.replace(/\.json$/, ""));

describe("fleet over the egress worlds", () => {
  it.each(worlds)("%s: the inventory's answer is show cluster's, or it says it needs a full read", async (world) => {
    const validated = validateWorld(JSON.parse(readFileSync(`test/fixtures/worlds/egress/${world}.json`, "utf8")));
    if (!validated.ok) throw new Error(`world ${world} is invalid`);
    const { port, http } = azureOverWorld(validated.world);
    const inventory = await port.readEgressInventory();
    const [resolved] = await resolveFleet(inventory, true);
    const shown = readSections(await showCluster(world));
    const row = resolved?.row;
    expect(row?.name).toBe("aks-egress");
    // One Resource Graph request, whatever the world holds: no GET per resource.
    expect(http.requests.map((request) => request.url)).toEqual([expect.stringContaining("Microsoft.ResourceGraph")]);
    // Hub routing (connections, routing intent) is not in Resource Graph: those clusters are not guessed.
    const hubRouted = ["virtual-wan-routing-intent", "virtual-wan-secured-hub-route-table"].includes(world);
    expect(row?.needsFullRead ?? null).toEqual(hubRouted ? expect.stringContaining("Virtual WAN") : null);
    if (row?.needsFullRead) {
      expect(row.pools.every((pool) => pool.sources === "unknown" && pool.sourceCidrs.length === 0)).toBe(true);
      return;
    }
    const effective = shown.nodePools.some((pool) => pool.egress.routeBasis === "effective");
    const fleet = row?.pools.map((pool) => [pool.name, pool.kind, pool.snatBy, pool.sources, pool.sourceCidrs]);
    const show = shown.nodePools.map((pool) => [
      pool.name,
      pool.egress.kind,
      pool.egress.snatBy.type,
      pool.sources.state,
      pool.sourceCidrs,
    ]);
    if (effective && JSON.stringify(fleet) !== JSON.stringify(show)) {
      // Only a NIC's effective routes showed it: the fleet answered from configuration and says so.
      expect(row?.caveat).toMatch(/effective routes are not in Resource Graph/);
      return;
    }
    expect(fleet).toEqual(show);
  });
});
