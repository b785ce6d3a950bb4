import { describe, expect, it } from "@jest/globals";
import { createHttpHeaders, type HttpClient, type PipelineRequest } from "@azure/core-rest-pipeline";
import { createAzureClients } from "../../src/azure/azure-clients.js";
import { azureClouds } from "../../src/azure/clouds.js";
import { isReadRequest } from "../../src/azure/read-only-policy.js";
import { simulatedCredential } from "../../src/simulated/simulated-credential.js";

describe("egress-bot only reads Azure", () => {
  it.each([
    [
      "GET",
      "https://management.azure.com/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/natGateways/n?api-version=2026-01-01",
      true,
    ],
    ["POST", "https://management.azure.com/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01", true],
    ["POST", "https://api.loganalytics.io/v1/workspaces/3b8f2d61-7c4a-4e95-b1d0-6a2e9c5f8d47/query", true],
    [
      "POST",
      "https://api.loganalytics.io/v1//subscriptions/s/resourceGroups/r/providers/Microsoft.Network/azureFirewalls/f/query",
      true,
    ],
    [
      "PUT",
      "https://management.azure.com/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/natGateways/n?api-version=2026-01-01",
      false,
    ],
    [
      "PATCH",
      "https://management.azure.com/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerService/managedClusters/c",
      false,
    ],
    ["DELETE", "https://management.azure.com/subscriptions/s/resourceGroups/r", false],
    [
      "POST",
      "https://management.azure.com/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerService/managedClusters/c/stop",
      false,
    ],
    [
      "POST",
      "https://management.azure.com/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerService/managedClusters/c/listClusterAdminCredential",
      false,
    ],
    // The one ARM POST on the allowlist: Azure computes the NIC's effective routes and changes nothing.
    [
      "POST",
      "https://management.azure.com/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkInterfaces/n/effectiveRouteTable?api-version=2026-01-01",
      true,
    ],
    [
      "POST",
      "https://management.azure.com/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkInterfaces/n/effectiveRouteTable/x",
      false,
    ],
    [
      "POST",
      "https://management.azure.com/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/virtualMachines/v/networkInterfaces/n/effectiveRouteTable",
      false,
    ],
    [
      "POST",
      "https://management.azure.com/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/virtualMachines/v/runCommand",
      false,
    ],
    [
      "PUT",
      "https://management.azure.com/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkInterfaces/n/effectiveRouteTable",
      false,
    ],
  ])("%s %s → %s", (method, url, allowed) => {
    expect(isReadRequest(method, url)).toBe(allowed);
  });

  it("refuses write operations of every SDK client before anything is sent", async () => {
    const sent: PipelineRequest[] = [];
    const httpClient: HttpClient = {
      sendRequest: (request) => {
        sent.push(request);
        return Promise.resolve({ request, status: 200, headers: createHttpHeaders(), bodyAsText: "{}" });
      },
    };
    const subscription = "7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b";
    const clients = createAzureClients({
      credential: simulatedCredential,
      cloud: azureClouds.AzureCloud,
      httpClient,
      retry: { maxRetries: 0 },
      subscriptions: [subscription],
    });
    const attempts: (() => Promise<unknown>)[] = [
      async () =>
        (await clients.containerService(subscription)).managedClusters.listClusterAdminCredentials("rg", "aks"),
      async () => (await clients.containerService(subscription)).managedClusters.beginDeleteAndWait("rg", "aks"),
      async () => (await clients.containerService(subscription)).managedClusters.beginStopAndWait("rg", "aks"),
      async () => (await clients.network(subscription)).routeTables.beginDeleteAndWait("rg", "rt"),
      async () => (await clients.network(subscription)).natGateways.updateTags("rg", "ng", { tags: {} }),
      async () =>
        (await clients.monitor(subscription)).diagnosticSettings.createOrUpdate(
          "subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/azureFirewalls/fw",
          "x",
          {},
        ),
    ];
    for (const attempt of attempts) {
      await expect(attempt()).rejects.toThrow(/egress-bot only reads Azure/);
    }
    expect(sent).toEqual([]);
  });
});
