import { describe, expect, it } from "@jest/globals";
import { validateWorld } from "../../../src/simulated/world.js";
import { createWorldReadPort } from "../../../src/simulated/world-read-port.js";
import { FakeClock } from "../../support/fake-clock.js";

const id = "/subscriptions/3f2c9a4e-8b1d-4c6e-9f0a-2d7b5e8c1a94/resourceGroups/rg/providers/Microsoft.Network/natGateways/ng-1";
const world = { resources: { [id]: { id, name: "ng-1", type: "Microsoft.Network/natGateways", properties: { idleTimeoutInMinutes: 4 } } } };

describe("world files", () => {
  it("accept the shape of design §3.4", () => {
    const result = validateWorld({ schema: "egress.world/v1", ...world, logs: { ws: { AZFWNetworkRule: [{ TimeGenerated: "-5m", SourceIp: "10.0.0.4" }] } }, metrics: { [id]: { SNATConnectionCount: [{ timeStamp: "-5m", total: 3 }] } }, faults: [{ match: "natGateways", status: 429, times: 1 }] });
    expect(result.ok).toBe(true);
  });
  it("report every problem with its path", () => {
    const result = validateWorld({ schema: "egress.world/v2", resources: { [id]: { id: 7 } }, faults: [{ match: "(", status: 700 }, { match: "x" }], extra: 1 });
    expect(result.ok ? [] : result.issues).toEqual([
      { path: "schema", message: 'expected "egress.world/v1"' },
      { path: `resources.${id}.id`, message: "expected string, received number" },
      { path: "faults[0].match", message: "not a valid regular expression" },
      { path: "faults[0].status", message: "Too big: expected number to be <=599" },
      { path: "faults[1]", message: "a fault sets status, latencyMs or both" },
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

describe("the world read port", () => {
  it("answers by ID case-insensitively, with a copy of the body and an as-of time", async () => {
    const clock = new FakeClock();
    const port = createWorldReadPort(world, clock);
    const read = await port.getResource(id.toUpperCase().replace("/SUBSCRIPTIONS", "/subscriptions"));
    expect(read).toMatchObject({ body: { name: "ng-1" }, apiVersion: "simulated", asOf: "2026-11-24T10:00:00.000Z" });
    (read.body.properties as Record<string, unknown>).idleTimeoutInMinutes = 99;
    expect((await port.getResource(id)).body).toEqual(world.resources[id]);
    expect(port.simulated).toBe(true);
  });
  it("answers AZURE_NOT_FOUND for a missing resource", async () => {
    await expect(createWorldReadPort(world, new FakeClock()).getResource(`${id}x`)).rejects.toMatchObject({ code: "AZURE_NOT_FOUND" });
  });
  it("applies faults: status for the given number of times, with retry-after, and latency", async () => {
    const clock = new FakeClock();
    const port = createWorldReadPort({ ...world, faults: [{ match: "natgateways/ng-1$", status: 429, retryAfterSeconds: 2, times: 1 }, { match: "ng-1", latencyMs: 150 }] }, clock);
    await expect(port.getResource(id)).rejects.toMatchObject({ code: "AZURE_THROTTLED", retryable: true, retryAfterInMs: 2000 });
    const second = port.getResource(id);
    await clock.advance(150);
    await expect(second).resolves.toMatchObject({ body: { name: "ng-1" } });
    expect(clock.sleeps).toEqual([150]);
  });
  it.each([[403, "AZURE_FORBIDDEN", false], [404, "AZURE_NOT_FOUND", false], [503, "AZURE_UNAVAILABLE", true], [400, "AZURE_BAD_REQUEST", false]])("maps fault status %i to %s", async (status, code, retryable) => {
    const port = createWorldReadPort({ ...world, faults: [{ match: ".", status }] }, new FakeClock());
    await expect(port.getResource(id)).rejects.toMatchObject({ code, retryable });
  });
});
