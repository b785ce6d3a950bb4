import { describe, expect, it } from "@jest/globals";
import { azureSettingsOf, readConfig } from "../../../src/index.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

describe("the Azure settings every entry point takes from the configuration", () => {
  it("carries every documented azure key, from the file and the environment", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "egress-config-")), "config.yaml");
    writeFileSync(
      file,
      "azure:\n  cacheTtl: 5s\n  maxConcurrentPerSubscription: 3\naliases:\n  prod: /subscriptions/7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-prod\n",
    );
    const configured = await readConfig({
      EGRESS_CONFIG: file,
      EGRESS_SUBSCRIPTIONS: "7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b",
      AZURE_CLOUD: "AzureUSGovernment",
      EGRESS_WORLD: "demo",
    });
    if (!configured.ok) throw new Error(JSON.stringify(configured.issues));
    expect(azureSettingsOf(configured.config)).toEqual({
      subscriptions: ["7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b"],
      cloud: "AzureUSGovernment",
      aliases: {
        prod: "/subscriptions/7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-prod",
      },
      cacheTtlInMs: 5000,
      maxConcurrentPerSubscription: 3,
      world: "demo",
    });
  });
});
