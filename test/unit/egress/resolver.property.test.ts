import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import type { ClusterGraph } from "../../../src/core/azure/cluster-graph.js";
import type {
  AzureFirewall,
  PublicIpAddress,
  PublicIpPrefix,
  RouteTable,
  Subnet,
  VirtualNetwork,
} from "../../../src/core/azure/model.js";
import { resourceKey } from "../../../src/core/azure/resource-id.js";
import { drawEgressFindings } from "../../../src/core/egress/draw-egress-findings.js";
import { resolveClusterEgress } from "../../../src/core/egress/resolve-cluster-egress.js";
import { addressCidr } from "../../../src/core/egress/source-cidrs.js";
import { GraphBuilder, netId } from "../../support/graph-builder.js";

// Arbitrary, messy graphs: the resolver must never throw on them, and must never report a source it
// did not read (every CIDR traces back to a public IP, a prefix or a hub firewall address in the graph).
const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet).map((parts) => parts.join("."));
const prefix = fc.oneof(
  fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })).map(([address, bits]) => `${address}/${bits}`),
  fc.constantFrom(
    "0.0.0.0/0",
    "0.0.0.0/1",
    "128.0.0.0/1",
    "AzureCloud",
    "Internet",
    "not-a-prefix",
    "::/0",
    "2001:db8::/32",
    "",
  ),
);
const hopType = fc.constantFrom(
  "VirtualAppliance",
  "VirtualApplianceEcmp",
  "Internet",
  "None",
  "VnetLocal",
  "VirtualNetworkGateway",
  "Teleport",
  "",
);
const names = fc.constantFrom("a", "b", "c", "d");
const id = (kind: string, name: string) => netId(kind, name);

/** A Standard static public IP as the mapper gives it. */
const publicIp = (id: string, ipAddress: string | null): PublicIpAddress => ({
  id,
  name: id.split("/").pop() ?? "",
  ipAddress,
  sku: "Standard",
  tier: null,
  allocationMethod: "Static",
  version: null,
  ipConfigurationId: null,
  natGatewayId: null,
  publicIpPrefixId: null,
  tags: {},
});

const graphs = fc
  .record({
    outboundType: fc.constantFrom(
      "loadBalancer",
      "userDefinedRouting",
      "userAssignedNATGateway",
      "managedNATGateway",
      "none",
      "block",
      "somethingNew",
    ),
    subnetNames: fc.uniqueArray(names, { minLength: 1, maxLength: 3 }),
    routes: fc.array(fc.tuple(prefix, hopType, fc.option(ipv4, { nil: null })), { maxLength: 6 }),
    withRouteTable: fc.boolean(),
    natGateway: fc.boolean(),
    defaultOutbound: fc.constantFrom(true, false, null),
    firewalls: fc.array(
      fc.record({
        name: names,
        ip: ipv4,
        pip: fc.option(ipv4, { nil: null }),
        hub: fc.boolean(),
        readPip: fc.boolean(),
      }),
      { maxLength: 3 },
    ),
    peered: fc.boolean(),
    forwarded: fc.boolean(),
    nodePublicIp: fc.boolean(),
    ips: fc.array(fc.option(ipv4, { nil: null }), { maxLength: 3 }),
    prefixText: fc.option(fc.constantFrom("20.1.0.0/30", "garbage", "2603:1020::/126"), { nil: null }),
  })
  .map((spec): ClusterGraph => {
    const builder = new GraphBuilder().withCluster({ outboundType: spec.outboundType });
    const rt = id("routeTables", "rt");
    const ng = id("natGateways", "ng");
    const subnetIds = spec.subnetNames.map((name) => `${id("virtualNetworks", "vnet-spoke")}/subnets/${name}`);
    subnetIds.forEach((subnet, index) => {
      builder.withPool(`pool${index}`, subnet, {
        enableNodePublicIp: spec.nodePublicIp,
        nodePublicIpPrefixId: spec.nodePublicIp ? id("publicIPPrefixes", "node") : null,
      });
      builder.withSubnet(subnet, {
        routeTableId: spec.withRouteTable ? rt : null,
        natGatewayId: spec.natGateway ? ng : null,
        defaultOutboundAccess: spec.defaultOutbound,
      });
    });
    const graph = builder.build();
    const maps = graph as unknown as {
      routeTables: Map<string, RouteTable>;
      firewalls: Map<string, AzureFirewall>;
      publicIps: Map<string, PublicIpAddress>;
      publicIpPrefixes: Map<string, PublicIpPrefix>;
      virtualNetworks: Map<string, VirtualNetwork>;
      subnets: Map<string, Subnet>;
    };
    if (spec.withRouteTable && spec.routes.length > 0)
      maps.routeTables.set(resourceKey(rt), {
        id: rt,
        name: "rt",
        disableBgpRoutePropagation: false,
        routes: spec.routes.map(([addressPrefix, nextHopType, nextHopIpAddress], index) => ({
          name: `r${index}`,
          addressPrefix,
          nextHopType,
          nextHopIpAddress,
        })),
      });
    spec.ips.forEach((address, index) => {
      const pipId = id("publicIPAddresses", `pip${index}`);
      maps.publicIps.set(resourceKey(pipId), publicIp(pipId, address));
    });
    if (spec.prefixText !== null) {
      const prefixId = id("publicIPPrefixes", "node");
      maps.publicIpPrefixes.set(resourceKey(prefixId), {
        id: prefixId,
        name: "node",
        ipPrefix: spec.prefixText,
        prefixLength: null,
        sku: null,
        natGatewayId: null,
      });
    }
    spec.firewalls.forEach((firewall, index) => {
      const firewallId = id("azureFirewalls", `${firewall.name}${index}`);
      const pipId = id("publicIPAddresses", `fw${index}`);
      if (firewall.readPip && firewall.pip) maps.publicIps.set(resourceKey(pipId), publicIp(pipId, firewall.pip));
      maps.firewalls.set(resourceKey(firewallId), {
        id: firewallId,
        name: firewall.name,
        skuName: null,
        skuTier: null,
        ipConfigurations: firewall.hub
          ? []
          : [
              {
                name: "c",
                privateIpAddress: firewall.ip,
                publicIpAddressId: pipId,
                subnetId: `${id("virtualNetworks", "vnet-hub")}/subnets/AzureFirewallSubnet`,
              },
            ],
        hubPrivateIpAddress: firewall.hub ? firewall.ip : null,
        hubPublicIpAddresses: firewall.hub && firewall.pip ? [firewall.pip] : [],
        firewallPolicyId: null,
        virtualHubId: firewall.hub ? id("virtualHubs", "hub") : null,
      });
    });
    const spoke = maps.virtualNetworks.get(resourceKey(id("virtualNetworks", "vnet-spoke")));
    if (spoke && spec.peered)
      maps.virtualNetworks.set(resourceKey(spoke.id), {
        ...spoke,
        peerings: [
          {
            id: `${spoke.id}/virtualNetworkPeerings/p`,
            name: "p",
            remoteVirtualNetworkId: id("virtualNetworks", "vnet-hub"),
            remoteAddressPrefixes: ["10.0.0.0/16"],
            state: "Connected",
            allowForwardedTraffic: spec.forwarded,
            useRemoteGateways: false,
            allowGatewayTransit: false,
          },
        ],
      });
    return graph;
  });

/** Every address or range the graph holds, as the resolver may report it. */
function readSources(graph: ClusterGraph): Set<string> {
  const known = new Set<string>();
  for (const address of graph.publicIps.values()) {
    const cidr = addressCidr(address.ipAddress);
    if (cidr) known.add(cidr);
  }
  for (const prefix of graph.publicIpPrefixes.values()) if (prefix.ipPrefix) known.add(prefix.ipPrefix);
  for (const firewall of graph.firewalls.values())
    for (const address of firewall.hubPublicIpAddresses) {
      const cidr = addressCidr(address);
      if (cidr) known.add(cidr);
    }
  return known;
}

describe("the resolver on arbitrary graphs", () => {
  it("never throws, and never reports a source it did not read", () => {
    fc.assert(
      fc.property(graphs, (graph) => {
        const egress = resolveClusterEgress(graph);
        drawEgressFindings(graph, egress);
        const known = readSources(graph);
        for (const pool of egress.nodePools) {
          for (const cidr of pool.sourceCidrs) expect(known.has(cidr)).toBe(true);
          if (pool.sources.state !== "known") expect(pool.sourceCidrs).toEqual([]);
          if (pool.sources.state !== "known") expect(pool.sources.reason).toEqual(expect.any(String));
        }
      }),
      { numRuns: 300 },
    );
  });
});
