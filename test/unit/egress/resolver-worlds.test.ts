import { describe, expect, it } from "@jest/globals";
import { showCluster } from "../../support/egress-worlds.js";
import type { EvidenceBundle } from "../../../src/index.js";
import { createAzureAccess } from "../../../src/app/create-azure-access.js";
import { readClusterGraph } from "../../../src/core/azure/read-cluster-graph.js";
import { checkDestination } from "../../../src/core/commands/value-syntax.js";
import { resolveClusterEgress } from "../../../src/core/egress/resolve-cluster-egress.js";

// Each world is ARM JSON shaped like Azure's REST API examples (test/fixtures/worlds/egress/), read
// through the real SDK clients and mappers: nothing here builds the resolver's graph by hand.
const show = (world: string): Promise<EvidenceBundle> => showCluster(world);

interface PoolView {
  kind: string;
  snatBy: string;
  sources: string[];
  state: string;
  reason: string | null;
}
const poolOf = (bundle: EvidenceBundle): PoolView => {
  const pools = (
    bundle as unknown as {
      nodePools: {
        egress: { kind: string; snatBy: { type: string } };
        sourceCidrs: string[];
        sources: { state: string; reason: string | null };
      }[];
    }
  ).nodePools;
  const pool = pools[0];
  if (!pool) throw new Error("no pool");
  return {
    kind: pool.egress.kind,
    snatBy: pool.egress.snatBy.type,
    sources: pool.sourceCidrs,
    state: pool.sources.state,
    reason: pool.sources.reason,
  };
};
const codes = (bundle: EvidenceBundle): string[] => [...new Set(bundle.findings.map((finding) => finding.code))].sort();

describe("egress resolution from ARM JSON worlds", () => {
  it("split routes (0.0.0.0/1 + 128.0.0.0/1) to a firewall are one path through it", async () => {
    const bundle = await show("split-routes-to-firewall");
    expect(poolOf(bundle)).toMatchObject({
      kind: "azureFirewall",
      snatBy: "azureFirewall",
      sources: ["20.61.0.10/32", "20.61.0.11/32"],
      state: "known",
    });
    expect(codes(bundle)).not.toContain("UDR_DEFAULT_ROUTE_MISSING");
    expect(codes(bundle)).not.toContain("NO_EGRESS_PATH");
    expect(codes(bundle)).not.toContain("INTERNET_ROUTES_SPLIT");
  });

  it("a forced-tunnelled firewall: the source is on-premises and unknown, not the firewall's public IPs", async () => {
    const bundle = await show("forced-tunnel-firewall");
    const pool = poolOf(bundle);
    expect(pool).toMatchObject({ kind: "azureFirewall", snatBy: "onPremises", sources: [], state: "unknown" });
    expect(pool.reason).toMatch(/forced tunnelling.*virtual network gateway.*on-premises/);
    expect(codes(bundle)).toContain("FIREWALL_FORCED_TUNNEL");
    // Unknown never feeds arithmetic: no SNAT or authorized-range finding is drawn from it.
    expect(codes(bundle)).not.toContain("FIREWALL_SNAT_CAPACITY_LOW");
    expect(codes(bundle)).not.toContain("NO_EGRESS_PATH");
  });

  it.each([
    [
      "next-hop-internal-load-balancer",
      "lb-nva",
      "10.0.2.4 is internal load balancer lb-nva, in front of network virtual appliances",
    ],
    [
      "next-hop-appliance-nic",
      "nic-nva-01",
      "10.0.2.10 is network interface nic-nva-01, a network virtual appliance's",
    ],
  ])(
    "%s: a next hop no firewall owns is named by the resource that holds the address, and the source is unknown beyond it",
    async (world, owner, reason) => {
      const bundle = await show(world);
      const pool = poolOf(bundle);
      expect(pool).toMatchObject({ kind: "virtualAppliance", snatBy: "unknown", sources: [], state: "unknown" });
      expect(pool.reason).toBe(
        `${reason}: the appliances translate traffic on their own public side, which Azure does not show`,
      );
      const via = (bundle as unknown as { nodePools: { egress: { via: string[] } }[] }).nodePools[0]?.egress.via ?? [];
      expect(via.map((id) => id.split("/").pop())).toEqual(["snet-nodes", "rt-spoke", owner]);
      // Resolved, so not "not resolved"; unknown, so no arithmetic on it.
      expect(codes(bundle)).not.toContain("NEXT_HOP_NOT_RESOLVED");
      expect(codes(bundle)).not.toContain("AUTHORIZED_IP_RANGES_MISSING_EGRESS_IP");
      expect(codes(bundle)).toContain("PROOF_SET_INCOMPLETE");
    },
  );

  it("a NAT gateway on AzureFirewallSubnet is what the world sees", async () => {
    const bundle = await show("firewall-subnet-nat-gateway");
    expect(poolOf(bundle)).toMatchObject({
      kind: "azureFirewall",
      snatBy: "natGateway",
      sources: ["20.61.0.50/32"],
      state: "known",
    });
    expect(codes(bundle)).toContain("FIREWALL_SUBNET_NAT_GATEWAY");
  });

  it("a next-hop IP belongs to the firewall the packet can reach, not the first one that has the address", async () => {
    const bundle = await show("next-hop-in-unconnected-vnet");
    expect(poolOf(bundle)).toMatchObject({ kind: "azureFirewall", sources: ["20.61.0.10/32", "20.61.0.11/32"] });
    expect(JSON.stringify(bundle.nodePools)).toContain("afw-hub");
    expect(JSON.stringify(bundle.nodePools)).not.toContain("afw-lab");
  });

  it.each(["next-hop-unreachable", "peering-without-forwarded-traffic"])(
    "%s: an owner the packet cannot reach is not the answer",
    async (world) => {
      const bundle = await show(world);
      expect(poolOf(bundle)).toMatchObject({
        kind: "virtualAppliance",
        snatBy: "unknown",
        sources: [],
        state: "unknown",
      });
      expect(poolOf(bundle).reason).toMatch(/not connected to/);
      expect(codes(bundle)).toContain("NEXT_HOP_UNREACHABLE");
      expect(codes(bundle)).not.toContain("NO_EGRESS_PATH");
    },
  );

  it("load balancer frontends on an outbound IP prefix give the whole prefix, and no false 'no outbound IP'", async () => {
    const bundle = await show("load-balancer-outbound-prefix");
    expect(poolOf(bundle)).toMatchObject({ kind: "loadBalancer", sources: ["20.62.10.0/30"], state: "known" });
    expect(codes(bundle)).not.toContain("SNAT_PORTS_INSUFFICIENT");
    expect(codes(bundle)).not.toContain("NO_EGRESS_PATH");
  });

  it("node public IPs from a prefix give the prefix", async () => {
    const bundle = await show("node-public-ip-prefix");
    expect(poolOf(bundle)).toMatchObject({ kind: "instancePublicIp", sources: ["20.63.0.0/28"], state: "known" });
  });

  it("outbound type none with no path is isolation by design (info), not an error", async () => {
    const bundle = await show("outbound-none-isolated");
    expect(poolOf(bundle)).toMatchObject({ kind: "none", state: "none", sources: [] });
    expect(codes(bundle)).toContain("OUTBOUND_ISOLATED_BY_DESIGN");
    expect(codes(bundle)).not.toContain("NO_EGRESS_PATH");
    expect(bundle.findings.find((finding) => finding.code === "OUTBOUND_ISOLATED_BY_DESIGN")?.severity).toBe("info");
  });

  it("outbound type none on an old subnet that still allows default outbound access leaks, and says so", async () => {
    const bundle = await show("outbound-none-leaking");
    expect(poolOf(bundle)).toMatchObject({ kind: "defaultOutbound", state: "unknown" });
    expect(poolOf(bundle).reason).toMatch(/implicit public IP/);
    expect(codes(bundle)).toContain("EGRESS_LEAKS_UNDER_ISOLATION");
  });

  it("a route table that could not be read makes the path unknown with the reason, never 'no egress'", async () => {
    const bundle = await show("route-table-unreadable");
    const pool = poolOf(bundle);
    expect(pool).toMatchObject({ kind: "unknown", state: "unknown", sources: [] });
    expect(pool.reason).toMatch(/rt-spoke could not be read \(AZURE_FORBIDDEN\)/);
    // The reason names the role and the scope to grant.
    expect(pool.reason).toMatch(/Grant the bot's identity the .+ role on /);
    expect(codes(bundle)).not.toContain("NO_EGRESS_PATH");
    expect(codes(bundle)).not.toContain("UDR_DEFAULT_ROUTE_MISSING");
    expect(bundle.status).not.toBe("succeeded");
  });

  it("a hub firewall that could not be read is unknown with the role to grant, never 'no firewall'", async () => {
    const bundle = await show("firewall-unreadable");
    const pool = poolOf(bundle);
    expect(pool).toMatchObject({ state: "unknown", sources: [] });
    expect(codes(bundle)).not.toContain("NO_EGRESS_PATH");
    expect(JSON.stringify(bundle)).toMatch(/afw-hub/);
    expect(bundle.status).not.toBe("succeeded");
  });

  it("a NAT gateway left idle by a route is named", async () => {
    const bundle = await show("nat-gateway-idle-by-route");
    expect(poolOf(bundle)).toMatchObject({ kind: "azureFirewall", sources: ["20.61.0.10/32", "20.61.0.11/32"] });
    expect(codes(bundle)).toContain("NAT_GATEWAY_IDLE_BY_ROUTE");
  });

  it("routes that split the internet between paths name each part", async () => {
    const bundle = await show("internet-split-between-paths");
    expect(poolOf(bundle).kind).toBe("azureFirewall");
    const split = bundle.findings.find((finding) => finding.code === "INTERNET_ROUTES_SPLIT");
    expect(split?.detail).toMatch(/20\.0\.0\.0\/8 .*→ Internet/);
    expect(split?.detail).toMatch(/→ VirtualAppliance 10\.0\.1\.4/);
  });

  it("a route sending the firewall's own public IP to the internet (the documented asymmetric-routing fix) is not a split", async () => {
    const bundle = await showCluster("demo", "aks-plant-prod");
    expect(codes(bundle)).not.toContain("INTERNET_ROUTES_SPLIT");
    expect(poolOf(bundle)).toMatchObject({
      kind: "azureFirewall",
      sources: ["51.124.77.10/32", "51.124.77.11/32"],
    });
  });

  it("a public IP with no address allocated makes the sources unknown rather than short", async () => {
    const bundle = await show("public-ip-unallocated");
    expect(poolOf(bundle)).toMatchObject({ kind: "azureFirewall", state: "unknown", sources: [] });
    expect(poolOf(bundle).reason).toMatch(/pip-afw-hub-2 has no address allocated/);
  });

  it("a 0.0.0.0/0 → None route drops traffic even with a NAT gateway on the subnet", async () => {
    const bundle = await show("blackhole-route");
    expect(poolOf(bundle)).toMatchObject({ kind: "none", snatBy: "none", state: "none", sources: [] });
    expect(codes(bundle)).toEqual(expect.arrayContaining(["NO_EGRESS_PATH", "NAT_GATEWAY_IDLE_BY_ROUTE"]));
  });

  it("Virtual WAN routing intent injects a default route to the hub firewall that no route table shows", async () => {
    const bundle = await show("virtual-wan-routing-intent");
    expect(poolOf(bundle)).toMatchObject({
      kind: "virtualWanHubFirewall",
      snatBy: "azureFirewall",
      sources: ["20.70.0.1/32", "20.70.0.2/32"],
      state: "known",
    });
    expect(codes(bundle)).not.toContain("UDR_DEFAULT_ROUTE_MISSING");
    expect(codes(bundle)).not.toContain("NO_EGRESS_PATH");
    const graph = await graphOf("virtual-wan-routing-intent");
    const destination = checkDestination("93.184.216.34");
    if (!destination.ok) throw new Error(destination.reason);
    expect(
      resolveClusterEgress(graph, { destination: destination.value }).nodePools[0]?.destinationRoute,
    ).toMatchObject({
      prefix: "0.0.0.0/0",
      nextHopType: "VirtualAppliance",
      nextHopIps: ["10.100.64.132"],
      origin: "bgp",
    });
  });

  it("a hub secured through Firewall Manager (0.0.0.0/0 to the firewall in its route table, no routing intent) injects the route too", async () => {
    const bundle = await show("virtual-wan-secured-hub-route-table");
    expect(poolOf(bundle)).toMatchObject({
      kind: "virtualWanHubFirewall",
      sources: ["20.70.0.1/32", "20.70.0.2/32"],
      state: "known",
    });
    expect(codes(bundle)).not.toContain("NO_EGRESS_PATH");
  });

  it("a route table that disables gateway route propagation keeps the hub's default route out", async () => {
    const bundle = await show("virtual-wan-propagation-disabled");
    expect(poolOf(bundle)).toMatchObject({ kind: "none", state: "none" });
    expect(codes(bundle)).toEqual(expect.arrayContaining(["UDR_DEFAULT_ROUTE_MISSING", "NO_EGRESS_PATH"]));
  });

  it("a dual-stack subnet behind a StandardV2 NAT gateway has sources of both families (IPv6 as /128)", async () => {
    const bundle = await show("dual-stack-nat-gateway");
    expect(poolOf(bundle)).toMatchObject({
      kind: "natGateway",
      sources: ["20.64.0.5/32", "2603:1020:200::1f/128"],
      state: "known",
    });
    const graph = await graphOf("dual-stack-nat-gateway");
    const [node] = [...resolveClusterEgress(graph).details.values()].map((detail) => detail.node);
    expect(node?.internetPathsV6.map((path) => path.nextHopType)).toEqual(["Internet"]);
  });

  it("--dest: the route Azure selects for that destination, by longest prefix", async () => {
    const graph = await graphOf("internet-split-between-paths");
    const routeFor = (text: string) => {
      const destination = checkDestination(text);
      if (!destination.ok) throw new Error(destination.reason);
      return resolveClusterEgress(graph, { destination: destination.value }).nodePools[0]?.destinationRoute;
    };
    expect(routeFor("20.1.2.3:443")).toEqual({
      destination: "20.1.2.3:443",
      prefix: "20.0.0.0/8",
      nextHopType: "Internet",
      nextHopIps: [],
      origin: "user",
      route: "azure-direct",
    });
    expect(routeFor("8.8.8.8")).toMatchObject({
      prefix: "0.0.0.0/0",
      nextHopType: "VirtualAppliance",
      nextHopIps: ["10.0.1.4"],
    });
    expect(routeFor("10.30.1.9")).toMatchObject({ prefix: "10.30.0.0/16", nextHopType: "VnetLocal", origin: "system" });
    expect(routeFor("api.partner.example:443")).toEqual({
      destination: "api.partner.example:443",
      unknown: "api.partner.example is a name: the route depends on the address it resolves to",
    });
  });
});

/** The graph as the resolver gets it, read from a world through the real SDK clients and mappers. */
async function graphOf(world: string) {
  const { port } = createAzureAccess({ world: `test/fixtures/worlds/egress/${world}.json` });
  return readClusterGraph(port, "aks-egress");
}
