import { describe, expect, it } from "@jest/globals";
import type { DiagnosticSetting, LoadBalancer } from "../../../src/core/azure/model.js";
import { drawEgressFindings } from "../../../src/core/egress/draw-egress-findings.js";
import { egressKinds } from "../../../src/core/egress/egress-model.js";
import { resolveClusterEgress } from "../../../src/core/egress/resolve-cluster-egress.js";
import { GraphBuilder, netId, sub, subnetId } from "../../support/graph-builder.js";

const nodes = subnetId("snet-nodes");
const rt = netId("routeTables", "rt-egress");
const ng = netId("natGateways", "ng-egress");
const pip = (name: string) => netId("publicIPAddresses", name);
const lb = `${sub}/resourceGroups/MC_rg-prod_aks-test_westeurope/providers/Microsoft.Network/loadBalancers/kubernetes`;
const fw = netId("azureFirewalls", "afw-hub", "rg-hub");
const fwSubnet = `${netId("virtualNetworks", "vnet-hub", "rg-hub")}/subnets/AzureFirewallSubnet`;

const resolve = (builder: GraphBuilder) => resolveClusterEgress(builder.build());
const only = (builder: GraphBuilder) => {
  const [pool] = resolve(builder).nodePools;
  if (!pool) throw new Error("no pool");
  return pool;
};
const codes = (builder: GraphBuilder) => {
  const graph = builder.build();
  return drawEgressFindings(graph, resolveClusterEgress(graph))
    .map((finding) => finding.code)
    .sort();
};

// The precedence cases (load balancer, NAT gateway, firewall, forced tunnel, blackhole, node public
// IPs, default outbound access) are proven from ARM JSON worlds through the real mappers in
// resolver-worlds.test.ts; what stays here are the vocabulary and the findings' arithmetic.
describe("the egress resolver, by Azure's precedence", () => {
  it("natGatewayVnet: a VNet-level StandardV2 NAT gateway", () => {
    const pool = only(
      new GraphBuilder()
        .withCluster({ outboundType: "userAssignedNATGateway" })
        .withPool("system", nodes)
        .withSubnet(nodes)
        .withVnet(netId("virtualNetworks", "vnet-spoke"), [nodes], { defaultPublicNatGatewayId: ng })
        .withNatGateway(ng, [pip("ng-1")])
        .withPublicIp(pip("ng-1"), "20.2.2.2"),
    );
    expect([pool.egress.kind, pool.egress.snatBy, pool.sourceCidrs, pool.matchesOutboundType]).toEqual([
      "natGatewayVnet",
      { type: "natGateway", resourceId: ng },
      ["20.2.2.2/32"],
      true,
    ]);
  });

  it("virtualWanHubFirewall: hub firewall IPs are plain addresses", () => {
    const hubFw = netId("azureFirewalls", "afw-vwan", "rg-vwan");
    const pool = only(
      new GraphBuilder()
        .withCluster({ outboundType: "userDefinedRouting" })
        .withPool("system", nodes)
        .withSubnet(nodes, { routeTableId: rt })
        .withRouteTable(rt, [["0.0.0.0/0", "VirtualAppliance", "10.100.0.132"]])
        .withFirewall(hubFw, {
          skuName: "AZFW_Hub",
          hubPrivateIpAddress: "10.100.0.132",
          hubPublicIpAddresses: ["52.10.0.5", "52.10.0.4"],
          virtualHubId: netId("virtualHubs", "hub-weu", "rg-vwan"),
        }),
    );
    expect([pool.egress.kind, pool.egress.snatBy.type, pool.sourceCidrs]).toEqual([
      "virtualWanHubFirewall",
      "azureFirewall",
      ["52.10.0.4/32", "52.10.0.5/32"],
    ]);
  });

  it("virtualAppliance: a next hop that is no visible firewall", () => {
    const builder = new GraphBuilder()
      .withCluster({ outboundType: "userDefinedRouting" })
      .withPool("system", nodes)
      .withSubnet(nodes, { routeTableId: rt })
      .withRouteTable(rt, [["0.0.0.0/0", "VirtualAppliance", "10.9.9.9"]]);
    const pool = only(builder);
    expect([pool.egress.kind, pool.egress.snatBy, pool.sourceCidrs, pool.egress.nextHopIp]).toEqual([
      "virtualAppliance",
      { type: "unknown", resourceId: null },
      [],
      "10.9.9.9",
    ]);
    expect(codes(builder)).toEqual(["NEXT_HOP_NOT_RESOLVED"]);
  });

  it("virtualNetworkGateway: a forced tunnel, SNAT on premises", () => {
    const pool = only(
      new GraphBuilder()
        .withCluster({ outboundType: "userDefinedRouting" })
        .withPool("system", nodes)
        .withSubnet(nodes, { routeTableId: rt })
        .withRouteTable(rt, [["0.0.0.0/0", "VirtualNetworkGateway"]]),
    );
    expect([pool.egress.kind, pool.egress.snatBy.type, pool.matchesOutboundType]).toEqual([
      "virtualNetworkGateway",
      "onPremises",
      true,
    ]);
  });

  it("unknown: a subnet that could not be read, with an outbound type that needs it", () => {
    const pool = only(new GraphBuilder().withCluster({ outboundType: "userDefinedRouting" }).withPool("system", nodes));
    expect(pool.egress.kind).toBe("unknown");
  });

  it("covers every egress kind of the vocabulary", () => {
    expect(egressKinds).toEqual([
      "loadBalancer",
      "natGateway",
      "natGatewayVnet",
      "azureFirewall",
      "virtualWanHubFirewall",
      "virtualAppliance",
      "virtualNetworkGateway",
      "instancePublicIp",
      "defaultOutbound",
      "none",
      "unknown",
    ]);
  });
});

describe("several pools, pods and the API server", () => {
  it("resolves each pool on its own subnet, and pods on their pod subnet", () => {
    const batch = subnetId("snet-batch");
    const pods = subnetId("snet-pods");
    const builder = new GraphBuilder()
      .withCluster({ outboundType: "userAssignedNATGateway" })
      .withPool("system", nodes)
      .withPool("batch", batch, { podSubnetId: pods })
      .withSubnet(nodes, { natGatewayId: ng })
      .withSubnet(batch, { natGatewayId: ng })
      .withSubnet(pods, { routeTableId: rt })
      .withRouteTable(rt, [["0.0.0.0/0", "VirtualNetworkGateway"]])
      .withNatGateway(ng, [pip("ng-1")])
      .withPublicIp(pip("ng-1"), "20.2.2.2");
    const [system, batchPool] = resolve(builder).nodePools;
    expect(system?.podEgress).toBeNull();
    expect([
      batchPool?.egress.kind,
      batchPool?.podEgress?.kind,
      batchPool?.podSourceCidrs,
      batchPool?.matchesOutboundType,
    ]).toEqual(["natGateway", "virtualNetworkGateway", [], false]);
  });

  it("flags pools that leave differently", () => {
    const other = subnetId("snet-other");
    const builder = new GraphBuilder()
      .withPool("a", nodes)
      .withPool("b", other)
      .withSubnet(nodes)
      .withSubnet(other, { natGatewayId: ng })
      .withNatGateway(ng, [pip("ng-1")])
      .withPublicIp(pip("ng-1"), "20.2.2.2")
      .withPublicIp(pip("lb-1"), "20.1.1.1")
      .withLoadBalancer(lb, [pip("lb-1")]);
    expect(codes(builder)).toContain("MIXED_EGRESS_ACROSS_NODE_POOLS");
  });

  it("checks the API server's authorized ranges against the union of the ranges, as AKS documents them", () => {
    // A NAT gateway cluster: AKS adds nothing to the ranges itself, the sources must be listed.
    const nat = () =>
      new GraphBuilder()
        .withPool("system", nodes)
        .withSubnet(nodes, { natGatewayId: ng })
        .withNatGateway(ng, [], [netId("publicIPPrefixes", "ippre")])
        .withPublicIpPrefix(netId("publicIPPrefixes", "ippre"), "20.3.3.0/30");
    const withRanges = (ranges: string[], patch = {}) =>
      codes(nat().withCluster({ outboundType: "userAssignedNATGateway", authorizedIpRanges: ranges, ...patch }));
    const code = "AUTHORIZED_IP_RANGES_MISSING_EGRESS_IP";
    expect(withRanges(["198.51.100.0/24"])).toContain(code);
    // The /30 split into four /32 entries is covered by their union.
    expect(withRanges(["20.3.3.0/32", "20.3.3.1/32", "20.3.3.2/32", "20.3.3.3/32"])).not.toContain(code);
    expect(withRanges(["20.3.3.0/32", "20.3.3.1/32", "20.3.3.3/32"])).toContain(code);
    // Reached privately: a private cluster, or API server VNet integration.
    expect(withRanges(["198.51.100.0/24"], { privateCluster: true })).not.toContain(code);
    expect(withRanges(["198.51.100.0/24"], { apiServerVnetIntegration: true })).not.toContain(code);
    // Load balancer egress: AKS allows the outbound IPs itself; 0.0.0.0/32 means "only those".
    const lbCluster = (ranges: string[]) =>
      codes(
        new GraphBuilder()
          .withCluster({ authorizedIpRanges: ranges })
          .withPool("system", nodes)
          .withSubnet(nodes)
          .withPublicIp(pip("lb-1"), "20.1.1.1")
          .withLoadBalancer(lb, [pip("lb-1")]),
      );
    expect(lbCluster(["0.0.0.0/32"])).not.toContain(code);
    expect(lbCluster(["198.51.100.0/24"])).not.toContain(code);
  });

  it("counts SNAT ports per IP family: IPv6 addresses add nothing to IPv4 capacity", () => {
    const dualStack = (v6Prefix: string | null) =>
      new GraphBuilder()
        .withCluster({ outboundType: "userAssignedNATGateway" })
        .withPool("big", nodes, { count: 50, maxCount: 100, maxSurge: "10%" })
        .withSubnet(nodes, { natGatewayId: ng })
        .withNatGateway(ng, [pip("ng-v4")], v6Prefix ? [netId("publicIPPrefixes", "v6")] : [])
        .withPublicIp(pip("ng-v4"), "20.5.5.5")
        .withPublicIpPrefix(netId("publicIPPrefixes", "v6"), v6Prefix ?? "2603:1020::/124");
    const snat = (builder: GraphBuilder) => {
      const graph = builder.build();
      return drawEgressFindings(graph, resolveClusterEgress(graph)).filter(
        (finding) => finding.code === "SNAT_PORTS_INSUFFICIENT",
      );
    };
    // One IPv4 address for 110 nodes is tight whether or not sixteen IPv6 addresses sit beside it.
    expect(snat(dualStack(null)).map((finding) => finding.detail)).toEqual([
      expect.stringMatching(/^NAT gateway ng-egress: /),
    ]);
    expect(snat(dualStack("2603:1020::/124")).map((finding) => finding.detail)).toEqual([
      expect.stringMatching(/^NAT gateway ng-egress: /),
    ]);
  });

  it("counts SNAT ports: explicit ports that outgrow the IPs are an error", () => {
    const builder = new GraphBuilder()
      .withPool("big", nodes, { count: 10, maxCount: 100, maxSurge: "10%" })
      .withSubnet(nodes)
      .withPublicIp(pip("lb-1"), "20.1.1.1")
      .withLoadBalancer(lb, [pip("lb-1")], 1024);
    const graph = builder.build();
    const [finding] = drawEgressFindings(graph, resolveClusterEgress(graph));
    expect(finding).toMatchObject({
      code: "SNAT_PORTS_INSUFFICIENT",
      severity: "error",
      detail:
        "1024 ports per node × 110 nodes at full scale with surge = 112640; 1 outbound IP(s) give 64000 (62 nodes fit).",
    });
  });

  it("warns about public load balancer services behind a firewall path, and unstable source IPs", () => {
    const builder = new GraphBuilder()
      .withCluster({ outboundType: "userDefinedRouting" })
      .withPool("system", nodes)
      .withSubnet(nodes, { routeTableId: rt })
      // The firewall is reachable: the spoke is peered with the hub (connected, forwarded traffic allowed).
      .withVnet(netId("virtualNetworks", "vnet-spoke"), [nodes], {
        peerings: [
          {
            id: `${netId("virtualNetworks", "vnet-spoke")}/virtualNetworkPeerings/to-hub`,
            name: "to-hub",
            remoteVirtualNetworkId: netId("virtualNetworks", "vnet-hub", "rg-hub"),
            remoteAddressPrefixes: ["10.0.0.0/16"],
            state: "Connected",
            allowForwardedTraffic: true,
            useRemoteGateways: false,
            allowGatewayTransit: false,
          },
        ],
      })
      .withRouteTable(rt, [["0.0.0.0/0", "VirtualAppliance", "10.0.1.4"]])
      .withFirewall(fw, {
        ipConfigurations: [
          { name: "c1", privateIpAddress: "10.0.1.4", publicIpAddressId: pip("fw-1"), subnetId: fwSubnet },
        ],
      })
      .withPublicIp(pip("fw-1"), "51.1.1.10", { allocationMethod: "Dynamic", sku: "Basic" })
      // The reader reads the firewall's own subnet too: it decides where the firewall sends traffic.
      .withSubnet(fwSubnet, { addressPrefixes: ["10.0.1.0/26"] })
      .withPublicIp(pip("svc"), "20.8.8.8")
      .withLoadBalancer(lb, [], 0, 2);
    const graph = builder.build();
    (graph.loadBalancers as Map<string, LoadBalancer>).forEach((balancer, key, map) =>
      map.set(key, {
        ...balancer,
        frontends: [
          {
            id: `${lb}/frontendIPConfigurations/svc`,
            name: "svc",
            publicIpAddressId: pip("svc"),
            publicIpPrefixId: null,
            privateIpAddress: null,
          },
        ],
      }),
    );
    expect(
      drawEgressFindings(graph, resolveClusterEgress(graph))
        .map((finding) => finding.code)
        .sort(),
    ).toEqual(["ASYMMETRIC_ROUTING_RISK", "SOURCE_IP_NOT_STABLE"]);
  });
});

describe("messy data", () => {
  it("takes unknown outbound types and next-hop types without throwing", () => {
    const future = only(
      new GraphBuilder()
        .withCluster({ outboundType: "managedEgressGatewayV9" })
        .withPool("system", nodes)
        .withSubnet(nodes, { routeTableId: rt, natGatewayId: ng })
        .withRouteTable(rt, [["0.0.0.0/0", "SomethingNew"]])
        .withNatGateway(ng, [pip("ng-1")])
        .withPublicIp(pip("ng-1"), "20.2.2.2"),
    );
    expect([future.egress.kind, future.sourceCidrs, future.matchesOutboundType]).toEqual([
      "natGateway",
      ["20.2.2.2/32"],
      true,
    ]);
  });
  it("flags an egress firewall that sends no logs to a workspace", () => {
    const graph = new GraphBuilder()
      .withCluster({ outboundType: "userDefinedRouting" })
      .withPool("system", nodes)
      .withSubnet(nodes, { routeTableId: rt })
      .withRouteTable(rt, [["0.0.0.0/0", "VirtualAppliance", "10.0.1.4"]])
      .withFirewall(fw, {
        ipConfigurations: [
          { name: "c1", privateIpAddress: "10.0.1.4", publicIpAddressId: pip("fw-1"), subnetId: fwSubnet },
        ],
      })
      .withPublicIp(pip("fw-1"), "51.1.1.10")
      .build();
    (graph.diagnosticSettings as Map<string, readonly DiagnosticSetting[]>).set(fw.toLowerCase(), [
      {
        id: `${fw}/providers/Microsoft.Insights/diagnosticSettings/metrics-only`,
        name: "metrics-only",
        workspaceId: null,
        enabledCategories: [],
        destinationType: null,
      },
    ]);
    expect(drawEgressFindings(graph, resolveClusterEgress(graph)).map((finding) => finding.code)).toContain(
      "FIREWALL_LOGS_NOT_CONFIGURED",
    );
  });
});
