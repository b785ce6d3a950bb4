import { describe, expect, it } from "@jest/globals";
import { validateWorld } from "../../../src/simulated/world.js";

const id =
  "/subscriptions/3f2c9a4e-8b1d-4c6e-9f0a-2d7b5e8c1a94/resourceGroups/rg/providers/Microsoft.Network/natGateways/ng-1";
const world = {
  resources: {
    [id]: { id, name: "ng-1", type: "Microsoft.Network/natGateways", properties: { idleTimeoutInMinutes: 4 } },
  },
};

describe("world files", () => {
  it("accept the shape of design §3.4", () => {
    const result = validateWorld({
      schema: "egress.world/v1",
      ...world,
      logs: { ws: { AZFWNetworkRule: [{ TimeGenerated: "-5m", SourceIp: "10.0.0.4" }] } },
      metrics: { [id]: { SNATConnectionCount: [{ timeStamp: "-5m", total: 3 }] } },
      faults: [{ match: "natGateways", status: 429, times: 1 }],
    });
    expect(result.ok).toBe(true);
  });
  it("report every problem with its path", () => {
    const result = validateWorld({
      schema: "egress.world/v2",
      resources: { [id]: { id: 7 } },
      faults: [{ match: "(", status: 700 }, { match: "x" }],
      extra: 1,
    });
    expect(result.ok ? [] : result.issues).toEqual([
      { path: "schema", message: 'expected "egress.world/v1"' },
      { path: `resources.${id}.id`, message: "expected string, received number" },
      { path: "faults[0].match", message: "not a valid regular expression" },
      { path: "faults[0].status", message: "Too big: expected number to be <=599" },
      { path: "faults[1]", message: "a fault sets status, latencyMs, partial, reset, or a combination" },
      { path: "(top)", message: 'unknown key "extra"' },
    ]);
  });
  it("report keys that are not ARM IDs and bodies whose id differs from their key", () => {
    const result = validateWorld({ resources: { "not-an-id": {}, [id]: { id: `${id}-other` } } });
    expect(result.ok ? [] : result.issues).toEqual([
      { path: 'resources["not-an-id"]', message: "resource keys are ARM IDs starting with /subscriptions/" },
      { path: `resources["${id}"].id`, message: "the body's id differs from its key" },
    ]);
  });
});
