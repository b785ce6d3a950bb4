import { describe, expect, it } from "@jest/globals";
import { createAzureAccess } from "../../../src/app/create-azure-access.js";

describe("createAzureAccess", () => {
  it("is simulated only when a world is named", () => {
    expect(createAzureAccess({ world: "test/fixtures/worlds/basic.yaml" }).port.simulated).toBe(true);
    const live = createAzureAccess({
      subscriptions: ["5b7e2c1d-9a34-4f08-b6e1-0c2d3e4f5a6b"],
      cloud: "AzureUSGovernment",
    });
    expect(live.port.simulated).toBe(false);
    expect(live.worldHttpClient).toBeUndefined();
  });
  it("refuses a cloud it does not know, naming the ones it does", () => {
    expect(() => createAzureAccess({ cloud: "Mars" })).toThrow(
      'AZURE_CLOUD "Mars" is not a cloud egress-bot knows (AzureCloud, AzureUSGovernment, AzureChinaCloud).',
    );
  });
  it("refuses an invalid world with the path of every problem", () => {
    expect(() => createAzureAccess({ world: "test/fixtures/runbooks/good/all-features.yaml" })).toThrow(
      /\(top\): unknown key "apiVersion", "kind", "metadata", "spec"/,
    );
  });
});
