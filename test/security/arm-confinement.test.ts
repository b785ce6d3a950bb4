import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createService, type EgressService } from "../../src/index.js";
import { readScopeRefusal } from "../../src/azure/read-scope-policy.js";
import { azureClouds } from "../../src/azure/clouds.js";
import { recordingTransport, writeCarelessRunbooks } from "../support/careless-runbooks.js";

// The demo world's subscription, and a resource in it to start the tricks from.
const subscription = "7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b";
const vnet = `/subscriptions/${subscription}/resourceGroups/rg-claims-network/providers/Microsoft.Network/virtualNetworks/vnet-claims-weu`;
const keyVault = `/subscriptions/${subscription}/resourceGroups/rg-secrets/providers/Microsoft.KeyVault/vaults/kv-prod`;

/** Resource IDs that try to leave what egress-bot reads: traversal, encodings, queries, other providers and subscriptions. */
const hostileIds: readonly string[] = [
  `${vnet}/../../../providers/Microsoft.KeyVault/vaults/kv-prod`,
  `${vnet}/subnets/..%2F..%2F..%2Fproviders%2FMicrosoft.KeyVault%2Fvaults%2Fkv-prod`,
  `${vnet}/subnets/%2e%2e`,
  `${vnet}/subnets/%252e%252e`,
  `${vnet}/subnets/x?api-version=2015-01-01`,
  `${vnet}?api-version=2015-01-01`,
  `${vnet}#fragment`,
  `${vnet}/subnets/a\\..\\..`,
  `${vnet}/subnets/ space`,
  `${vnet}/subnets//x`,
  keyVault,
  `/subscriptions/${subscription}/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/x`,
  `/subscriptions/${subscription}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st`,
  `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v`,
  `/subscriptions/${subscription}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/providers/Microsoft.KeyVault/vaults/kv`,
];

let folder: string;
let service: EgressService;
const sent: string[] = [];

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "egress-arm-"));
  writeCarelessRunbooks(folder);
  service = await createService({
    azure: { world: "demo", wrapHttpClient: recordingTransport(sent) },
    runbookPaths: [folder],
  });
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

const requestedBy = { platform: "cli" as const, user: "attacker", channel: null, thread: null };

describe("ARM reads stay inside the configured subscriptions and providers", () => {
  it.each(hostileIds)("a runbook input cannot read %s", async (id) => {
    const before = sent.length;
    const runbook = service.runbooks.find((candidate) => candidate.name === "read-anything");
    if (!runbook) throw new Error("the test runbook did not load");
    const bundle = await service.runRunbook(runbook, { id }, { requestedBy });
    expect(bundle.status).toBe("failed");
    // Refused with a reason: the strict ID check of the step's parameters, or the read scope.
    const error = bundle.steps[0]?.error;
    expect(`${error?.code}: ${error?.message}`).toMatch(
      /^(STEP_FAILED|INPUT_INVALID): .*an ARM resource ID|^AZURE_OUT_OF_SCOPE: egress-bot does not read|^INPUT_INVALID: egress-bot cannot read/,
    );
    // Nothing left the process for it.
    expect(sent.slice(before)).toEqual([]);
  });

  it("still reads a resource of the world through the same runbook", async () => {
    const runbook = service.runbooks.find((candidate) => candidate.name === "read-anything");
    if (!runbook) throw new Error("the test runbook did not load");
    const bundle = await service.runRunbook(runbook, { id: vnet }, { requestedBy });
    expect(bundle.status).toBe("succeeded");
    expect(sent.at(-1)).toBe(`https://management.azure.com${vnet}?api-version=2026-01-01`);
  });

  it.each(["aks-claims-prod/../../x", "../aks-claims-prod", "%2e%2e/aks", "aks?x=1", "aks#x", `${keyVault}`])(
    "a cluster reference cannot leave the scope: %s",
    async (reference) => {
      const before = sent.length;
      const result = await service
        .runCommand({ id: "show-cluster", words: [], args: { cluster: reference } } as never, { requestedBy })
        .catch((error: unknown) => error);
      expect(JSON.stringify(result)).not.toContain("KeyVault/vaults/kv-prod?");
      expect(sent.slice(before).every((url) => !url.includes("..") && !/%2e|KeyVault/i.test(url))).toBe(true);
    },
  );
});

describe("the pipeline's last guard (readScopeRefusal)", () => {
  const scope = { cloud: azureClouds.AzureCloud, subscriptions: [subscription] };
  const arm = "https://management.azure.com";
  it.each([
    [`${arm}${vnet}?api-version=2026-01-01`, null],
    [`${arm}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01`, null],
    [`${arm}${vnet}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`, null],
    [`https://api.loganalytics.io/v1/workspaces/8a4f5a2e-1b3c-4d5e-9f60-7a8b9c0d1e2f/query`, null],
    [`${arm}${vnet}/../../x?api-version=1`, /dot segments/],
    [`${arm}${vnet}/%2e%2e?api-version=1`, /encoded/],
    [`${arm}${vnet}?api-version=1&api-version=2`, /exactly one api-version/],
    [`${arm}${vnet}`, /exactly one api-version/],
    [`${arm}${keyVault}?api-version=1`, /microsoft.keyvault/],
    [
      `${arm}/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Network/x?api-version=1`,
      /not one the bot is configured to read/,
    ],
    [`https://vault.azure.net/secrets/x?api-version=7.4`, /not an Azure endpoint/],
    [`https://api.loganalytics.io/v1/workspaces/x/query/../../../other`, /dot segments/],
  ] as const)("%s", (url, expected) => {
    const refusal = readScopeRefusal(url, scope);
    if (expected === null) expect(refusal).toBeNull();
    else expect(refusal).toMatch(expected);
  });
});
