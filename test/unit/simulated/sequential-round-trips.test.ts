import { describe, expect, it } from "@jest/globals";
import { sequentialRoundTrips } from "../../../src/simulated/sequential-round-trips.js";

const span = (name: string, startedAtMs: number, endedAtMs: number) => ({ name, startedAtMs, endedAtMs });

describe("sequential round trips", () => {
  it("counts the longest chain of requests each sent after the previous one was answered", () => {
    const requests = [
      span("name lookup", 0, 100),
      span("cluster", 101, 200),
      span("firewall search", 101, 205),
      span("subnet", 201, 300),
      span("route table", 301, 400),
      span("vnet (beside the route table)", 301, 399),
    ];
    const { count, chain } = sequentialRoundTrips(requests);
    expect(count).toBe(4);
    expect(chain.map((request) => request.name)).toEqual(["name lookup", "cluster", "subnet", "route table"]);
  });

  it("counts parallel requests as one round trip, and none as zero", () => {
    expect(sequentialRoundTrips([span("a", 0, 100), span("b", 1, 99), span("c", 2, 101)]).count).toBe(1);
    expect(sequentialRoundTrips([])).toEqual({ count: 0, chain: [] });
  });

  it("takes a request that starts the moment another ends as coming after it", () => {
    expect(sequentialRoundTrips([span("a", 0, 100), span("b", 100, 200)]).count).toBe(2);
  });
});
