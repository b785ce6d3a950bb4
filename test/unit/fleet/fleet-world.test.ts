import { describe, expect, it } from "@jest/globals";
import { holdersOfAddress, usersOfAddress } from "../../../src/core/fleet/address-users.js";
import { resolvedFleetOf, resolveFleet } from "../../../src/core/fleet/resolve-fleet.js";
import { validateWorld } from "../../../src/simulated/world.js";
import { fleetAddress, fleetCluster, fleetWorld } from "../../support/fleet-world.js";
import { azureOverWorld } from "../../support/world-azure.js";

describe("fleet over a generated fleet of 1,200 clusters in 6 subscriptions", () => {
  it("resolves every cluster from at most 3 Resource Graph pages, with the sources each shape gives", async () => {
    const options = { clusters: 1200, subscriptions: 6 };
    const validated = validateWorld(fleetWorld(options));
    if (!validated.ok) throw new Error(JSON.stringify(validated.issues.slice(0, 3)));
    const { port, http } = azureOverWorld(validated.world);
    const inventory = await port.readEgressInventory();
    expect(http.requests).toHaveLength(inventory.value.pages);
    expect(inventory.value.pages).toBeLessThanOrEqual(3);
    expect(http.requests.every((request) => /Microsoft\.ResourceGraph\/resources/.test(request.url))).toBe(true);
    const fleet = await resolveFleet(inventory, true);
    expect(fleet).toHaveLength(1200);
    for (const { row } of fleet) {
      const at = fleetCluster(Number(row.name.slice(4)), options);
      const expected = {
        natGatewayPrefix: ["natGateway", [`${fleetAddress(at.index * 4)}/30`]],
        natGatewayIps: ["natGateway", [`${fleetAddress(at.index * 4)}/32`, `${fleetAddress(at.index * 4 + 1)}/32`]],
        loadBalancer: ["loadBalancer", [`${fleetAddress(at.index * 4)}/32`]],
        hubFirewall: ["azureFirewall", [`${fleetAddress(0x300000 + (at.index % 6))}/32`]],
      }[at.shape];
      expect([row.subscriptionId, row.needsFullRead, row.caveat]).toEqual([at.subscription, null, null]);
      expect(row.pools.map((pool) => [pool.name, pool.kind, pool.sources, pool.sourceCidrs])).toEqual([
        ["system", expected[0], "known", expected[1]],
        ["apps", expected[0], "known", expected[1]],
      ]);
    }
    // A second read within the cache's TTL costs nothing, and whois answers from it.
    const again = await port.readEgressInventory();
    expect(http.requests).toHaveLength(inventory.value.pages);
    const hub = fleetAddress(0x300000 + 2);
    const holders = holdersOfAddress(again.value, hub);
    expect(holders.map((holder) => [holder.kind, holder.name, holder.attachedTo?.type])).toEqual([
      ["publicIpAddress", "pip-afw-hub", "Azure Firewall"],
    ]);
    const users = usersOfAddress(await resolvedFleetOf(again, true), hub, holders);
    // Every hub-firewall spoke of subscription 2 (index ≡ 2 mod 4 and ≡ 2 mod 6), and no other cluster.
    const spokes = Array.from({ length: 1200 }, (_, index) => index).filter(
      (index) => index % 4 === 2 && index % 6 === 2,
    );
    expect(users.map((user) => [user.name, user.pools, user.certain])).toEqual(
      expect.arrayContaining(spokes.map((index) => [`aks-${index}`, ["system", "apps"], true])),
    );
    expect(users).toHaveLength(spokes.length);
    const prefixAddress = fleetAddress(4 * 4 + 2);
    const prefixUsers = usersOfAddress(
      await resolvedFleetOf(again, true),
      prefixAddress,
      holdersOfAddress(again.value, prefixAddress),
    );
    expect(prefixUsers.map((user) => user.name)).toEqual(["aks-4"]);
    expect(http.requests).toHaveLength(inventory.value.pages);
  });
});
