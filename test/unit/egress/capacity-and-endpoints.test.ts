import { describe, expect, it } from "@jest/globals";
import type { AgentPool, RuleCollectionGroup } from "../../../src/core/azure/model.js";
import {
  builtinRequiredEndpoints,
  cloudOfRegion,
  endpointVerdict,
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

/** A firewall policy rule, Allow-agnostic: what a test does not say is empty (sources: any). */
const firewallRule = (name: string, ruleType: string, patch: Record<string, unknown> = {}) => ({
  name,
  ruleType,
  sourceAddresses: ["*"],
  sourceIpGroups: [],
  destinationAddresses: [],
  destinationFqdns: [],
  targetFqdns: [],
  fqdnTags: [],
  destinationPorts: [],
  protocols: [],
  ...patch,
});
const ruleCollection = (name: string, priority: number, action: string, rules: ReturnType<typeof firewallRule>[]) => ({
  name,
  priority,
  action,
  collectionType: "FirewallPolicyFilterRuleCollection",
  rules,
});
const ruleCollectionGroup = (
  name: string,
  priority: number,
  collections: ReturnType<typeof ruleCollection>[],
): RuleCollectionGroup => ({ id: name, name, priority, ruleCollections: collections });

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
    const group = (action: string, patch: Record<string, unknown>): RuleCollectionGroup =>
      ruleCollectionGroup("g", 100, [
        ruleCollection("c", 100, action, [
          firewallRule("r", "ApplicationRule", { sourceAddresses: ["10.0.0.0/8"], protocols: ["Https:443"], ...patch }),
        ]),
      ]);
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

  it("processes rules as Azure Firewall does: network before application, groups then collections by priority, Deny decides too", () => {
    const endpoint = { fqdn: "mcr.microsoft.com", port: 443, protocol: "Https" as const, purpose: "images" };
    const allowApp = firewallRule("allow-mcr", "ApplicationRule", {
      targetFqdns: ["mcr.microsoft.com"],
      protocols: ["Https:443"],
    });
    const denyNet = firewallRule("deny-all-443", "NetworkRule", {
      destinationAddresses: ["*"],
      destinationPorts: ["443"],
    });
    const denyApp = firewallRule("deny-mcr", "ApplicationRule", {
      targetFqdns: ["*.microsoft.com"],
      protocols: ["Https:443"],
    });
    // A network Deny is processed before any application Allow, whatever the priorities.
    expect(
      endpointVerdict(
        endpoint,
        [
          ruleCollectionGroup("apps", 100, [ruleCollection("c-allow", 100, "Allow", [allowApp])]),
          ruleCollectionGroup("net", 300, [ruleCollection("c-deny", 100, "Deny", [denyNet])]),
        ],
        ["10.0.0.0/8"],
      ),
    ).toEqual({ kind: "denied", rule: "deny-all-443 in c-deny (net)" });
    // Among application rules, the group with the lower priority number wins.
    expect(
      endpointVerdict(
        endpoint,
        [
          ruleCollectionGroup("late", 500, [ruleCollection("c-deny", 100, "Deny", [denyApp])]),
          ruleCollectionGroup("early", 200, [ruleCollection("c-allow", 300, "Allow", [allowApp])]),
        ],
        ["10.0.0.0/8"],
      ),
    ).toEqual({ kind: "allowed", rule: "allow-mcr in c-allow (early)" });
    // Within a group, the collection with the lower priority number wins.
    expect(
      endpointVerdict(
        endpoint,
        [
          ruleCollectionGroup("g", 100, [
            ruleCollection("c-allow", 400, "Allow", [allowApp]),
            ruleCollection("c-deny", 150, "Deny", [denyApp]),
          ]),
        ],
        ["10.0.0.0/8"],
      ),
    ).toEqual({ kind: "denied", rule: "deny-mcr in c-deny (g)" });
    expect(endpointVerdict(endpoint, [], ["10.0.0.0/8"])).toEqual({ kind: "notAllowed" });
  });

  it("matches the cluster's own API server FQDN instead of the regional pattern", () => {
    const own = "aks-plant-prod-9d4f6b13.hcp.westeurope.azmk8s.io";
    const list = requiredEndpoints("westeurope", false, null, own);
    expect(list.map((endpoint) => endpoint.fqdn)).toContain(own);
    expect(list.map((endpoint) => endpoint.fqdn)).not.toContain("*.hcp.westeurope.azmk8s.io");
    // A rule for exactly this API server is enough; one for another cluster's is not.
    const allowOnly = (fqdn: string): RuleCollectionGroup[] => [
      ruleCollectionGroup("g", 100, [
        ruleCollection("c", 100, "Allow", [
          firewallRule("api", "ApplicationRule", { targetFqdns: [fqdn], protocols: ["Https:443"] }),
        ]),
      ]),
    ];
    const apiServer = list.find((endpoint) => endpoint.fqdn === own);
    if (!apiServer) throw new Error("no API server endpoint");
    expect(isEndpointAllowed(apiServer, allowOnly(own), ["10.0.0.0/8"])).toBe(true);
    expect(isEndpointAllowed(apiServer, allowOnly("aks-other-1.hcp.westeurope.azmk8s.io"), ["10.0.0.0/8"])).toBe(false);
    // A private cluster's nodes reach the API server privately: no public endpoint is required.
    expect(requiredEndpoints("westeurope", true, null, own).some((endpoint) => endpoint.fqdn.includes(".hcp."))).toBe(
      false,
    );
  });
});
