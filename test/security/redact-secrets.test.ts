import { describe, expect, it } from "@jest/globals";
import { redacted, redactSecrets } from "../../src/core/evidence/redact-secrets.js";
import { worldResourcesFromReads } from "../../src/app/capture-cluster.js";

// Secrets as Azure and its neighbours actually return them: each must be gone from a capture, and
// nothing of it may survive anywhere in the serialised output.
const storageKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const jwt =
  "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tIn0.c2lnbmF0dXJlLWJ5dGVz";
const pem =
  "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MxszPGkPuWbJlL3Z\n-----END RSA PRIVATE KEY-----";
const corpus: readonly [string, Record<string, unknown>, string][] = [
  ["a VPN connection's sharedKey", { properties: { sharedKey: "Abc123SuperSecretPsk!" } }, "Abc123SuperSecretPsk!"],
  ["a storage account's keys list", { keys: [{ keyName: "key1", value: storageKey }] }, storageKey],
  [
    "primaryKey and secondaryKey",
    { primaryKey: "pk-0123456789abcdef", secondaryKey: "sk-0123456789abcdef" },
    "0123456789abcdef",
  ],
  ["an apiKey", { properties: { apiKey: "ak_live_0a1b2c3d4e5f" } }, "ak_live_0a1b2c3d4e5f"],
  [
    "an Application Insights key",
    { properties: { InstrumentationKey: "11111111-2222-3333-4444-555555555555" } },
    "11111111-2222-3333-4444-555555555555",
  ],
  [
    "a connection string under an innocent key",
    {
      tags: {
        note: `DefaultEndpointsProtocol=https;AccountName=stlogs;AccountKey=${storageKey};EndpointSuffix=core.windows.net`,
      },
    },
    storageKey,
  ],
  [
    "a Service Bus connection string",
    {
      properties: {
        endpoint:
          "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=c2VjcmV0c2VjcmV0c2VjcmV0",
      },
    },
    "c2VjcmV0c2VjcmV0c2VjcmV0",
  ],
  [
    "a SAS URL in a log row",
    { TargetUrl: "https://st.blob.core.windows.net/c/b.txt?sv=2022-11-02&se=2026-12-02&sig=Zm9vYmFyYmF6cXV4%3D&sp=r" },
    "Zm9vYmFyYmF6cXV4",
  ],
  ["a sasToken field", { sasToken: "?sv=2022&sig=abcdef" }, "abcdef"],
  ["a PEM private key in a string", { properties: { data: `cert:\n${pem}` } }, "MIIEowIBAAKCAQEA"],
  [
    "a certificate blob",
    { properties: { sslCertificates: [{ properties: { data: "MIIKZgIBAzCCCi" } }] } },
    "MIIKZgIBAzCCCi",
  ],
  ["a JWT in a message", { Msg: `Authorization failed for token ${jwt}` }, jwt],
  ["a bearer header", { headers: { note: "Bearer abcdefghijklmnop.qrstuvwxyz" } }, "abcdefghijklmnop"],
  [
    "an admin password",
    { windowsProfile: { adminUsername: "azureuser", adminPassword: "P@ssw0rd!2026" } },
    "P@ssw0rd!2026",
  ],
  ["a client secret", { servicePrincipalProfile: { clientId: "msi", secret: "s3cr3t-value" } }, "s3cr3t-value"],
  ["a kubeconfig", { kubeconfigs: [{ name: "clusterUser", value: "YXBpVmVyc2lvbjogdjE=" }] }, "YXBpVmVyc2lvbjogdjE="],
  ["a Slack token", { description: "posted with xoxb-1234567890-abcdefghijkl" }, "xoxb-1234567890-abcdefghijkl"],
  ["a function code in a URL", { url: "https://fn.azurewebsites.net/api/hook?code=aBcDeF123456==" }, "aBcDeF123456"],
];

// What a capture must keep: the network facts the replay needs.
const ordinary = {
  id: "/subscriptions/7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b/resourceGroups/rg-net/providers/Microsoft.Network/publicIPAddresses/pip-egress-1",
  name: "pip-egress-1",
  etag: 'W/"6f1b2f5e-93a4-4c1a-8d63-2d3b1c9f0e11"',
  properties: {
    ipAddress: "20.50.10.10",
    publicIPAllocationMethod: "Static",
    resourceGuid: "b2a6c7d8-1e2f-4a3b-9c8d-7e6f5a4b3c2d",
    ipTags: [],
    dnsSettings: { fqdn: "egress.westeurope.cloudapp.azure.com" },
    addressPrefixes: ["10.240.0.0/16"],
    disableBgpRoutePropagation: false,
    keyVaultReferenceIdentity: null,
  },
};

describe("capture redacts every secret-bearing field and value shape", () => {
  it.each(corpus)("%s", (_name, body, secret) => {
    const text = JSON.stringify(redactSecrets(body));
    expect(text).not.toContain(secret);
    expect(text).toContain(redacted);
  });

  it("keeps everything that is not a secret, unchanged", () => {
    expect(redactSecrets(ordinary)).toEqual(ordinary);
  });

  it("keeps the shape of settings that are off or empty (null, false, empty string)", () => {
    expect(redactSecrets({ adminPassword: null, enableSecret: false, sasToken: "" })).toEqual({
      adminPassword: null,
      enableSecret: false,
      sasToken: "",
    });
  });

  it("redacts the reads a capture turns into world resources", () => {
    const resources = worldResourcesFromReads([
      {
        path: "/x",
        body: {
          id: "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/connections/c",
          properties: { sharedKey: "psk-value-123" },
        },
      },
    ]);
    expect(JSON.stringify(resources)).not.toContain("psk-value-123");
  });
});
