import { describe, expect, it } from "@jest/globals";
import type { AgentPool, RuleCollectionGroup } from "../../../src/core/azure/model.js";
import {
  builtinRequiredEndpoints,
  cloudOfRegion,
  fqdnCovers,
  isEndpointAllowed,
  requiredEndpoints,
} from "../../../src/core/egress/required-endpoints.js";
import {
  defaultPortsPerNode,
  firewallPortsPerNode,
  loadBalancerSnat,
  natGatewaySnat,
  surgeNodes,
} from "../../../src/core/egress/snat-capacity.js";

const pool = (patch: Partial<AgentPool>): AgentPool => ({
  id: "p",
  name: "p",
  mode: "User",
  osType: "Linux",
  count: 3,
  minCount: null,
  maxCount: null,
  enableAutoScaling: false,
  maxSurge: null,
  vnetSubnetId: null,
  podSubnetId: null,
  enableNodePublicIp: false,
  nodePublicIpPrefixId: null,
  ...patch,
});

describe("SNAT arithmetic", () => {
  it.each([
    [1, 1024],
    [50, 1024],
    [51, 512],
    [100, 512],
    [101, 256],
    [200, 256],
    [201, 128],
    [401, 64],
    [801, 32],
    [1001, 0],
  ])("default allocation at %i nodes is %i ports", (nodes, ports) => {
    expect(defaultPortsPerNode(nodes)).toBe(ports);
  });
  it("counts surge as written: a count, a percentage of the pool at full size, or one", () => {
    expect([
      surgeNodes(pool({ maxSurge: "3" })),
      surgeNodes(pool({ count: 10, maxCount: 40, maxSurge: "33%" })),
      surgeNodes(pool({})),
    ]).toEqual([3, 14, 1]);
  });
  it("load balancer: explicit ports against IPs, and default tiers as pools scale", () => {
    expect(loadBalancerSnat([pool({ count: 10, maxCount: 60 })], 1, 1024)).toMatchObject({ kind: "ok" });
    expect(loadBalancerSnat([pool({ count: 10, maxCount: 63 })], 1, 1024)).toMatchObject({ kind: "insufficient" });
    expect(loadBalancerSnat([pool({ count: 40, maxCount: 120 })], 1, 0)).toMatchObject({
      kind: "tierDrop",
      detail: expect.stringContaining("1024 ports per node at 40 nodes drops to 256 at 121 nodes"),
    });
    expect(loadBalancerSnat([pool({ count: 3 })], 0, 0)).toMatchObject({ kind: "insufficient" });
  });
  it("NAT gateway and firewall capacity per node", () => {
    expect(natGatewaySnat([pool({ count: 10, maxCount: 20 })], 1)).toMatchObject({ kind: "ok" });
    expect(natGatewaySnat([pool({ count: 50, maxCount: 100 })], 1)).toMatchObject({
      kind: "tight",
      detail: "1 public IP(s) give 64512 SNAT ports, about 638 per node for 101 nodes at full scale with surge.",
    });
    expect(firewallPortsPerNode(2, 15)).toBe(665);
    expect(firewallPortsPerNode(20, 15)).toBe(6656);
  });
});

describe("required endpoints", () => {
  it("per cloud, told by the region, and without the API server for private clusters", () => {
    expect(cloudOfRegion("usgovvirginia")).toBe("AzureUSGovernment");
    expect(cloudOfRegion("chinanorth3")).toBe("AzureChinaCloud");
    expect(builtinRequiredEndpoints("westeurope", false).map((endpoint) => endpoint.fqdn)).toContain(
      "*.hcp.westeurope.azmk8s.io",
    );
    expect(builtinRequiredEndpoints("westeurope", true).map((endpoint) => endpoint.fqdn)).not.toContain(
      "*.hcp.westeurope.azmk8s.io",
    );
    expect(builtinRequiredEndpoints("usgovvirginia", false).map((endpoint) => endpoint.fqdn)).toContain(
      "management.usgovcloudapi.net",
    );
    expect(builtinRequiredEndpoints("chinanorth3", false).map((endpoint) => endpoint.fqdn)).toContain("mcr.azure.cn");
  });
  it("adds the cluster's own dependencies without duplicates", () => {
    const list = requiredEndpoints("westeurope", false, [
      { category: "images", domainName: "MCR.microsoft.com", ports: [443] },
      { category: "time-sync", domainName: "ntp.ubuntu.com", ports: [123] },
    ]);
    expect(list.filter((endpoint) => endpoint.fqdn === "mcr.microsoft.com")).toHaveLength(1);
    expect(list).toContainEqual({ fqdn: "ntp.ubuntu.com", port: 123, protocol: "Udp", purpose: "time-sync" });
  });
  it.each([
    ["*.microsoft.com", "mcr.microsoft.com", true],
    ["*.microsoft.com", "microsoft.com", false],
    ["*.mcr.microsoft.com", "*.data.mcr.microsoft.com", true],
    ["mcr.microsoft.com", "MCR.Microsoft.com.", true],
    ["*", "anything.example", true],
    ["x.example", "y.example", false],
  ])("%s covers %s: %s", (pattern, name, covers) => {
    expect(fqdnCovers(pattern, name)).toBe(covers);
  });
  it("weighs Allow rules by port, source and FQDN tag; Deny collections allow nothing", () => {
    const group = (action: string, rule: Record<string, unknown>): RuleCollectionGroup => ({
      id: "g",
      name: "g",
      priority: 100,
      ruleCollections: [
        {
          name: "c",
          priority: 100,
          action,
          collectionType: "FirewallPolicyFilterRuleCollection",
          rules: [
            {
              name: "r",
              ruleType: "ApplicationRule",
              sourceAddresses: ["10.0.0.0/8"],
              sourceIpGroups: [],
              destinationAddresses: [],
              destinationFqdns: [],
              targetFqdns: [],
              fqdnTags: [],
              destinationPorts: [],
              protocols: ["Https:443"],
              ...rule,
            },
          ],
        },
      ],
    });
    const endpoint = { fqdn: "mcr.microsoft.com", port: 443, protocol: "Https" as const, purpose: "images" };
    expect(
      isEndpointAllowed(endpoint, [group("Allow", { targetFqdns: ["mcr.microsoft.com"] })], ["10.20.0.0/22"]),
    ).toBe(true);
    expect(
      isEndpointAllowed(endpoint, [group("Allow", { fqdnTags: ["AzureKubernetesService"] })], ["10.20.0.0/22"]),
    ).toBe(true);
    expect(
      isEndpointAllowed(
        endpoint,
        [group("Allow", { targetFqdns: ["mcr.microsoft.com"], sourceAddresses: ["192.168.0.0/16"] })],
        ["10.20.0.0/22"],
      ),
    ).toBe(false);
    expect(
      isEndpointAllowed(
        endpoint,
        [group("Allow", { targetFqdns: ["mcr.microsoft.com"], protocols: ["Http:80"] })],
        ["10.20.0.0/22"],
      ),
    ).toBe(false);
    expect(isEndpointAllowed(endpoint, [group("Deny", { targetFqdns: ["mcr.microsoft.com"] })], ["10.20.0.0/22"])).toBe(
      false,
    );
  });
});
