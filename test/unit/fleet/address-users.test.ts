import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { holdersOfAddress, usersOfAddress } from "../../../src/core/fleet/address-users.js";
import { resolvedFleetOf } from "../../../src/core/fleet/resolve-fleet.js";
import { validateWorld } from "../../../src/simulated/world.js";
import { azureOverWorld } from "../../support/world-azure.js";

const inventoryOf = async (world: string) => {
  const validated = validateWorld(JSON.parse(readFileSync(`test/fixtures/worlds/egress/${world}.json`, "utf8")));
  if (!validated.ok) throw new Error(`world ${world} is invalid`);
  return azureOverWorld(validated.world).port.readEgressInventory();
};

describe("who leaves through an address", () => {
  it("names the pool whose nodes take public IPs from a node public IP prefix", async () => {
    const read = await inventoryOf("node-public-ip-prefix");
    const ip = "20.63.0.5";
    const holders = holdersOfAddress(read.value, ip);
    expect(holders.map((holder) => [holder.kind, holder.name, holder.prefix])).toEqual([
      ["publicIpPrefix", "ippre-node-public", "20.63.0.0/28"],
    ]);
    expect(usersOfAddress(await resolvedFleetOf(read, true), ip, holders)).toEqual([
      expect.objectContaining({ name: "aks-egress", pools: ["system"], traffic: "nodes", certain: true }),
    ]);
  });
});
