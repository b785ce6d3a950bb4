import { describe, expect, it } from "@jest/globals";
import type { EvidenceBundle } from "../../../src/index.js";
import { showCluster, showClusterOverHttp } from "../../support/egress-worlds.js";
import { buildAnswerView } from "../../../src/core/views/answer-view.js";
import { renderSummary } from "../../../adapters/slack/render-blocks.js";
import { renderSummaryCards } from "../../../adapters/teams/render-card.js";
import { formatViewText } from "../../../adapters/cli/format-view-text.js";

// Worlds shaped like Azure's REST API examples (Network Interfaces - Get Effective Route Table): a
// standalone node NIC in the subnet's ipConfigurations, and its effective routes at
// `{nic}/effectiveRouteTable`, answered by the simulator as Azure does (202, then the poller's GET).

interface PoolView {
  egress: { kind: string; snatBy: { type: string }; routeBasis: string; effectiveRoutesOf: string | null };
  sourceCidrs: string[];
  sources: { state: string; reason: string | null };
}
const poolOf = (bundle: EvidenceBundle): PoolView => {
  const pool = (bundle as unknown as { nodePools: PoolView[] }).nodePools[0];
  if (!pool) throw new Error("no pool");
  return pool;
};
const codes = (bundle: EvidenceBundle): string[] => [...new Set(bundle.findings.map((finding) => finding.code))].sort();
const nic =
  "/subscriptions/3f2b8c1e-7d4a-4e59-9b6c-1a2d3e4f5a6b/resourceGroups/MC_rg-aks_aks-egress_westeurope/providers/Microsoft.Network/networkInterfaces/aks-system-31245786-nic-0";

describe("effective routes", () => {
  it("a BGP default route configuration cannot show: the answer rests on the effective routes, and says they differ", async () => {
    const bundle = await showCluster("effective-routes-bgp-default");
    const pool = poolOf(bundle);
    expect(pool.egress).toMatchObject({
      kind: "virtualNetworkGateway",
      snatBy: { type: "onPremises" },
      routeBasis: "effective",
      effectiveRoutesOf: nic,
    });
    expect(pool.sources.state).toBe("unknown");
    expect(pool.sources.reason).toMatch(/on-premises/);
    expect(pool.sourceCidrs).toEqual([]);
    const differ = bundle.findings.find((finding) => finding.code === "EFFECTIVE_ROUTES_DIFFER");
    expect(differ?.detail).toBe(
      "Pool system's route tables send public IPv4 destinations to Internet (100%), but the effective routes of aks-system-31245786-nic-0 send them to VirtualNetworkGateway (100%): the answer rests on the effective routes.",
    );
    expect(differ?.resourceIds).toContain(nic);
    // The configured answer (the load balancer's prefix) is not reported as the source.
    expect(codes(bundle)).toContain("EGRESS_DIFFERS_FROM_OUTBOUND_TYPE");
    expect(codes(bundle)).not.toContain("SNAT_PORTS_INSUFFICIENT");
    expect(bundle.status).toBe("succeeded");
    const proof = (bundle as unknown as { proofSet: { routeTable: { summary: string } } }).proofSet.routeTable.summary;
    expect(proof).toBe(
      "snet-nodes: no route table, public destinations (effective routes of aks-system-31245786-nic-0): 0.0.0.0/0 → VirtualNetworkGateway",
    );
  });

  it("every view says which routes the answer rests on", async () => {
    const effective = await showCluster("effective-routes-bgp-default");
    const configured = await showCluster("effective-routes-refused");
    const plain = (text: string): string => text;
    for (const [bundle, basis] of [
      [effective, "effective routes of aks-system-31245786-nic-0"],
      [configured, "configured routes"],
    ] as const) {
      const view = buildAnswerView(bundle);
      const paths = view.sections.find((section) => section.kind === "paths");
      expect(paths?.kind === "paths" ? paths.pools[0]?.routes : null).toBe(basis);
      expect(JSON.stringify(renderSummary(view, []))).toContain(`(${basis})`);
      expect(JSON.stringify(renderSummaryCards(view, [], null))).toContain(`(${basis})`);
      expect(formatViewText(view, (_style, text) => plain(text)).join("\n")).toContain(`(${basis})`);
    }
  });

  it("effective routes that agree with configuration: the same answer, on the effective basis, no finding", async () => {
    const bundle = await showCluster("effective-routes-agree");
    expect(poolOf(bundle)).toMatchObject({
      egress: { kind: "loadBalancer", routeBasis: "effective", effectiveRoutesOf: nic },
      sourceCidrs: ["20.62.10.0/30"],
      sources: { state: "known" },
    });
    expect(codes(bundle)).not.toContain("EFFECTIVE_ROUTES_DIFFER");
  });

  it("a refused effective-route read: the answer rests on configuration, and the run says what it could not read and what to grant", async () => {
    const bundle = await showCluster("effective-routes-refused");
    expect(poolOf(bundle)).toMatchObject({
      egress: { kind: "loadBalancer", routeBasis: "configured", effectiveRoutesOf: null },
      sourceCidrs: ["20.62.10.0/30"],
    });
    expect(bundle.status).toBe("partial");
    const reasons = JSON.stringify(bundle.steps.map((step) => (step as { reason?: string | null }).reason ?? null));
    expect(reasons).toMatch(/effective routes of aks-system-31245786-nic-0 \(AZURE_FORBIDDEN\)/);
    expect(codes(bundle)).not.toContain("EFFECTIVE_ROUTES_DIFFER");
    const proof = (bundle as unknown as { proofSet: { routeTable: { summary: string } } }).proofSet.routeTable.summary;
    expect(proof).toContain("from configuration only, as the effective routes could not be read");
    expect(proof).toContain(
      "Grant the bot's identity Microsoft.Network/networkInterfaces/effectiveRouteTable/action on /subscriptions/3f2b8c1e-7d4a-4e59-9b6c-1a2d3e4f5a6b/resourceGroups/MC_rg-aks_aks-egress_westeurope: the egress-bot reader",
    );
  });

  it("reads one NIC per subnet with the POST Azure documents, polls with GETs, and nothing else is written", async () => {
    const { http } = await showClusterOverHttp("effective-routes-bgp-default");
    const posts = http.requests.filter(
      (request) => request.method === "POST" && /effectiveRouteTable/i.test(request.url),
    );
    expect(posts).toHaveLength(1);
    expect(posts[0]?.url).toContain(`${nic}/effectiveRouteTable?api-version=`);
    expect(posts[0]?.status).toBe(202);
    const polls = http.requests.filter((request) => /\/operationResults\//i.test(request.url));
    expect(polls.length).toBeGreaterThanOrEqual(1);
    expect(polls.every((request) => request.method === "GET")).toBe(true);
    expect(
      http.requests.filter(
        (request) =>
          request.method !== "GET" &&
          !/effectiveRouteTable|resourcegraph\/resources|\/query$/i.test(new URL(request.url).pathname),
      ),
    ).toEqual([]);
  });

  it("scale set pools (AKS's default) have no standalone NIC: configuration only, and no POST is sent", async () => {
    const { bundle, http } = await showClusterOverHttp("load-balancer-outbound-prefix");
    expect(poolOf(bundle).egress.routeBasis).toBe("configured");
    expect(http.requests.some((request) => /effectiveRouteTable/i.test(request.url))).toBe(false);
  });
});
