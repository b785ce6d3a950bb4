import { describe, expect, it } from "@jest/globals";
import { tableObjects } from "../../src/core/azure/model.js";
import type { WorldFile } from "../../src/simulated/world.js";
import { azureOverWorld, loadWorldFixture, worldNow } from "../support/world-azure.js";

const sub = "/subscriptions/5b7e2c1d-9a34-4f08-b6e1-0c2d3e4f5a6b";
const clusterId = `${sub}/resourceGroups/rg-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod`;
const base = loadWorldFixture("azure-layer.yaml");
const withFaults = (faults: WorldFile["faults"]): WorldFile => ({ ...base, faults });

describe("vendor errors are translated once, with a code and what to do", () => {
  it("403 names the role and the scope", async () => {
    const { port } = azureOverWorld(withFaults([{ match: "managedClusters/aks-prod$", status: 403 }]));
    await expect(port.getCluster(clusterId)).rejects.toMatchObject({
      code: "AZURE_FORBIDDEN",
      message: `Reading ${clusterId} was forbidden (HTTP 403).`,
      remediation: `Grant the bot's identity the Azure Kubernetes Service Cluster User Role or Reader role on ${sub}/resourceGroups/rg-prod.`,
    });
  });
  it("404 names the resource", async () => {
    const { port } = azureOverWorld(base);
    await expect(
      port.getNatGateway(`${sub}/resourceGroups/rg-net/providers/Microsoft.Network/natGateways/ng-gone`),
    ).rejects.toMatchObject({ code: "AZURE_NOT_FOUND", message: expect.stringContaining("ng-gone does not exist") });
  });
  it("429 that outlasts the retries says when to retry", async () => {
    const { port } = azureOverWorld(withFaults([{ match: "natGateways", status: 429, retryAfterSeconds: 0 }]));
    await expect(
      port.getNatGateway(`${sub}/resourceGroups/rg-net/providers/Microsoft.Network/natGateways/ng-batch`),
    ).rejects.toMatchObject({ code: "AZURE_THROTTLED", retryable: true });
  });
});

describe("throttling", () => {
  it("retries a 429 without Retry-After (the SDK alone would not)", async () => {
    const { port, http } = azureOverWorld(withFaults([{ match: "managedClusters/aks-prod$", status: 429, times: 1 }]));
    expect((await port.getCluster(clusterId)).value.name).toBe("aks-prod");
    expect(http.requests.map((request) => request.status)).toEqual([429, 200]);
  });
  it("retries a 429 with Retry-After through the SDK's own policy", async () => {
    const { port, http } = azureOverWorld(
      withFaults([{ match: "managedClusters/aks-prod$", status: 429, retryAfterSeconds: 0, times: 2 }]),
    );
    expect((await port.getCluster(clusterId)).value.name).toBe("aks-prod");
    expect(http.requests.map((request) => request.status)).toEqual([429, 429, 200]);
  });
  it("coalesces 20 identical reads in flight into one request", async () => {
    const { port, http } = azureOverWorld(withFaults([{ match: "managedClusters/aks-prod$", latencyMs: 30 }]));
    const reads = await Promise.all(Array.from({ length: 20 }, () => port.getCluster(clusterId)));
    expect(new Set(reads.map((read) => read.value.name))).toEqual(new Set(["aks-prod"]));
    expect(http.requests).toHaveLength(1);
    expect(port.cache.stats).toMatchObject({ misses: 1, coalesced: 19 });
  });
  it("keeps answers for the TTL with their original as-of time, then reads again", async () => {
    let now = worldNow;
    const { port, http } = azureOverWorld(base, { cacheTtlInMs: 10_000, now: () => now });
    const first = await port.getCluster(clusterId);
    now += 5_000;
    const second = await port.getCluster(clusterId);
    expect(second.asOf).toBe(first.asOf);
    now += 10_000;
    const third = await port.getCluster(clusterId);
    expect(third.asOf).toBe(new Date(worldNow + 15_000).toISOString());
    expect(http.requests).toHaveLength(2);
  });
  it("does not cache failures", async () => {
    const { port, http } = azureOverWorld(withFaults([{ match: "managedClusters/aks-prod$", status: 400, times: 1 }]));
    await expect(port.getCluster(clusterId)).rejects.toBeDefined();
    await expect(port.getCluster(clusterId)).resolves.toMatchObject({ value: { name: "aks-prod" } });
    expect(http.requests).toHaveLength(2);
  });
  it("caches 'does not exist' as the answer it is, for the TTL", async () => {
    const { port, http } = azureOverWorld(withFaults([{ match: "managedClusters/aks-prod$", status: 404, times: 1 }]));
    await expect(port.getCluster(clusterId)).rejects.toMatchObject({ code: "AZURE_NOT_FOUND" });
    await expect(port.getCluster(clusterId)).rejects.toMatchObject({ code: "AZURE_NOT_FOUND" });
    expect(http.requests).toHaveLength(1);
  });
  it("cancels a slow read for the caller who aborts", async () => {
    const { port } = azureOverWorld(withFaults([{ match: "routeTables", latencyMs: 5_000 }]));
    const controller = new AbortController();
    const pending = port.getRouteTable(
      `${sub}/resourceGroups/rg-net/providers/Microsoft.Network/routeTables/rt-spoke`,
      { abortSignal: controller.signal },
    );
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toMatchObject({ code: "RUN_CANCELLED" });
  });
  it("a shared read keeps its own cancellation: one caller cancels, the other is still answered", async () => {
    const { port, http } = azureOverWorld(withFaults([{ match: "routeTables", latencyMs: 300 }]));
    const id = `${sub}/resourceGroups/rg-net/providers/Microsoft.Network/routeTables/rt-spoke`;
    const leaving = new AbortController();
    const first = port.getRouteTable(id, { abortSignal: leaving.signal });
    const second = port.getRouteTable(id, { abortSignal: new AbortController().signal });
    setTimeout(() => leaving.abort(), 20);
    await expect(first).rejects.toMatchObject({ code: "RUN_CANCELLED" });
    await expect(second).resolves.toMatchObject({ value: { name: "rt-spoke" } });
    expect(http.requests).toHaveLength(1);
    expect(port.cache.stats).toMatchObject({ misses: 1, coalesced: 1 });
  });
  it("the shared request is aborted only when every caller has left; the next caller reads afresh", async () => {
    const { port } = azureOverWorld(withFaults([{ match: "routeTables", latencyMs: 5_000, times: 1 }]));
    const id = `${sub}/resourceGroups/rg-net/providers/Microsoft.Network/routeTables/rt-spoke`;
    const callers = [new AbortController(), new AbortController()];
    const reads = callers.map((caller) => port.getRouteTable(id, { abortSignal: caller.signal }));
    callers.forEach((caller) => caller.abort());
    for (const read of reads) await expect(read).rejects.toMatchObject({ code: "RUN_CANCELLED" });
    await expect(port.getRouteTable(id)).resolves.toMatchObject({ value: { name: "rt-spoke" } });
    expect(port.cache.stats).toMatchObject({ misses: 2, coalesced: 1 });
  });
});

describe("cluster references", () => {
  it("resolve a unique name through Resource Graph in one round trip, the cluster's body with it", async () => {
    const { port, http } = azureOverWorld(base);
    const found = await port.findClusters({
      kind: "path",
      text: "rg-prod/aks-prod",
      name: "aks-prod",
      resourceGroup: "rg-prod",
    });
    expect(found.value).toEqual([
      {
        id: expect.stringMatching(/rg-prod\/providers\/Microsoft\.ContainerService\/managedClusters\/aks-prod$/i),
        name: "aks-prod",
        resourceGroup: "rg-prod",
        subscriptionId: sub.split("/")[2],
        location: "westeurope",
        cluster: expect.objectContaining({ name: "aks-prod", outboundType: expect.any(String) }),
      },
    ]);
    expect(http.requests.map((request) => request.method)).toEqual(["POST"]);
    // The body read from Resource Graph maps to the same cluster a GET does.
    const match = found.value[0];
    expect(match?.cluster).toEqual((await port.getCluster(match?.id ?? "")).value);
    expect(found.source.query).toContain("| where name =~ 'aks-prod'");
  });
  it("return every candidate for an ambiguous name", async () => {
    const { port } = azureOverWorld(base);
    const found = await port.findClusters({ kind: "name", text: "AKS-PROD", name: "AKS-PROD" });
    expect(found.value.map((match) => match.resourceGroup).sort()).toEqual(["rg-other", "rg-prod"]);
  });
  it("resolve ARM IDs, subscription/rg/name and aliases by reading the cluster", async () => {
    const { port } = azureOverWorld(base, { aliases: { prod: clusterId } });
    for (const reference of [
      {
        kind: "id" as const,
        text: clusterId,
        name: "aks-prod",
        resourceGroup: "rg-prod",
        subscriptionId: sub.split("/")[2] ?? "",
      },
      {
        kind: "path" as const,
        text: "x",
        name: "aks-prod",
        resourceGroup: "rg-prod",
        subscriptionId: sub.split("/")[2] ?? "",
      },
      { kind: "name" as const, text: "prod", name: "prod" },
    ]) {
      expect((await port.findClusters(reference)).value.map((match) => match.name)).toEqual(["aks-prod"]);
    }
  });
});

describe("queries are evaluated over the world, not canned", () => {
  const denies = (
    port: ReturnType<typeof azureOverWorld>["port"],
    parameters: Record<string, unknown>,
    timespan = "PT1H",
  ) => port.queryLogs("9d2f1c3e-5a7b-4c8d-9e0f-1a2b3c4d5e6f", { name: "firewallNetworkDenies", parameters }, timespan);

  it("filters by the query's literals and the request's time window", async () => {
    const { port } = azureOverWorld(base);
    const lastHour = tableObjects((await denies(port, { sourceCidrs: ["10.240.0.0/16"] })).value);
    expect(lastHour).toEqual([
      expect.objectContaining({ DestinationIp: "20.60.1.1", DestinationPort: 443, Denies: 2 }),
    ]);
    const otherRange = tableObjects((await denies(port, { sourceCidrs: ["10.99.0.0/16"] })).value);
    expect(otherRange).toEqual([expect.objectContaining({ DestinationIp: "20.60.1.1", Denies: 1 })]);
    const lastDay = tableObjects((await denies(port, { sourceCidrs: ["10.240.0.0/16"] }, "P1D")).value);
    expect(lastDay.map((row) => row.DestinationIp)).toEqual(["20.60.1.1", "20.60.9.9"]);
  });
  it("answers Resource Graph queries from the world's resources", async () => {
    const { port } = azureOverWorld(base);
    const byName = async (name: string) =>
      (await port.queryResourceGraph({ name: "clustersByName", parameters: { name } })).value.rows.length;
    expect(await byName("aks-prod")).toBe(2);
    expect(await byName("aks-test")).toBe(0);
  });
  it("keeps user values inside their literal: injection finds nothing", async () => {
    const { port } = azureOverWorld(base);
    const injected = await port.queryLogs(
      "9d2f1c3e-5a7b-4c8d-9e0f-1a2b3c4d5e6f",
      { name: "firewallApplicationDenies", parameters: { sourceCidrs: ["10.240.0.0/16"], fqdn: "x' or Fqdn != '" } },
      "PT1H",
    );
    expect(injected.value.rows).toEqual([]);
    expect(injected.source.query).toContain("| where Fqdn =~ 'x\\' or Fqdn != \\''");
    const plain = await port.queryLogs(
      "9d2f1c3e-5a7b-4c8d-9e0f-1a2b3c4d5e6f",
      { name: "firewallApplicationDenies", parameters: { sourceCidrs: ["10.240.0.0/16"], fqdn: "API.vendor.example" } },
      "PT1H",
    );
    expect(tableObjects(plain.value)).toEqual([expect.objectContaining({ Fqdn: "api.vendor.example", Denies: 1 })]);
  });
  it("refuses values that are not what the query expects before sending", async () => {
    const { port, http } = azureOverWorld(base);
    await expect(denies(port, { sourceCidrs: ["10.240.0.0/16') | take 1 //"] })).rejects.toMatchObject({
      code: "INPUT_INVALID",
    });
    await expect(
      port.queryResourceGraph({ name: "clustersByName", parameters: { name: "a\nb" } }),
    ).rejects.toMatchObject({ code: "INPUT_INVALID" });
    expect(http.requests).toHaveLength(0);
  });
});

describe("more reads", () => {
  it("maps a private endpoint", async () => {
    const { port } = azureOverWorld(base);
    expect(
      (
        await port.getPrivateEndpoint(
          `${sub}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-vault`,
        )
      ).value,
    ).toEqual({
      id: expect.stringMatching(/pe-vault$/),
      name: "pe-vault",
      subnetId: expect.stringMatching(/snet-nodes$/),
      connections: [
        { privateLinkServiceId: expect.stringMatching(/kv-prod$/), groupIds: ["vault"], status: "Approved" },
      ],
      customDnsConfigs: [{ fqdn: "kv-prod.vault.azure.net", ipAddresses: ["10.240.0.200"] }],
    });
  });
  it("finds clusters by listing each subscription when Resource Graph is refused", async () => {
    const { port, http } = azureOverWorld(withFaults([{ match: "ResourceGraph", status: 403 }]));
    const found = await port.findClusters({
      kind: "path",
      text: "rg-prod/aks-prod",
      name: "aks-prod",
      resourceGroup: "rg-prod",
    });
    expect(found.value.map((match) => `${match.resourceGroup}/${match.name}`)).toEqual(["RG-PROD/aks-prod"]);
    expect(http.requests.map((request) => `${request.method} ${request.status}`)).toEqual(["POST 403", "GET 200"]);
  });
  it("answers a query it cannot evaluate with a 400 naming the operator", async () => {
    const { http } = azureOverWorld(base);
    const { createPipelineRequest } = await import("@azure/core-rest-pipeline");
    const request = createPipelineRequest({
      url: "https://management.azure.com/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01",
      method: "POST",
      body: JSON.stringify({ query: "resources | join kind=inner (resources) on id", subscriptions: [] }),
    });
    const response = await http.sendRequest(request);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.bodyAsText ?? "{}")).toEqual({
      error: { code: "BadRequest", message: 'the simulator does not support the KQL operator "join"' },
    });
  });
});

describe("azure.maxConcurrentPerSubscription", () => {
  it("caps the requests in flight per subscription at the configured number", async () => {
    const { createAzureAccess } = await import("../../src/app/create-azure-access.js");
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const file = join(mkdtempSync(join(tmpdir(), "egress-cap-")), "world.json");
    writeFileSync(file, JSON.stringify(withFaults([{ match: "publicIPAddresses", latencyMs: 80 }])));
    const peakFor = async (cap: number): Promise<number> => {
      let inFlight = 0;
      let peak = 0;
      const { port } = createAzureAccess({
        world: file,
        maxConcurrentPerSubscription: cap,
        wrapHttpClient: (inner) => ({
          sendRequest: async (request) => {
            peak = Math.max(peak, ++inFlight);
            try {
              return await inner.sendRequest(request);
            } finally {
              inFlight--;
            }
          },
        }),
      });
      await Promise.allSettled(
        Array.from({ length: 8 }, (_, index) =>
          port.getPublicIpAddress(
            `${sub}/resourceGroups/rg-net/providers/Microsoft.Network/publicIPAddresses/pip-${index}`,
          ),
        ),
      );
      return peak;
    };
    expect(await peakFor(2)).toBe(2);
    expect(await peakFor(5)).toBe(5);
  });
});

describe("Log Analytics cancellation", () => {
  it("a cancelled query stops its request too (the SDK alone would let it run on)", async () => {
    const world = loadWorldFixture("azure-layer.yaml");
    const { port, http } = azureOverWorld({ ...world, faults: [{ match: "/query$", latencyMs: 2_000 }] });
    const controller = new AbortController();
    const pending = port.queryLogs(
      "9d2f1c3e-5a7b-4c8d-9e0f-1a2b3c4d5e6f",
      { name: "logTableProbe", parameters: { table: "AZFWNetworkRule" } },
      "PT1H",
      { abortSignal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: "RUN_CANCELLED" });
    // Had the request run on, the simulator would answer it (200) once its latency passed.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(http.requests.filter((request) => /\/query$/.test(new URL(request.url).pathname))).toEqual([]);
  });
});
