import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import {
  buildAnswerView,
  createService,
  openStateStore,
  parseCommand,
  pathPicture,
  type EgressService,
  type EvidenceBundle,
} from "../../src/index.js";
import { readSections } from "../../src/core/egress/report/sections.js";
import { readResultSections } from "../../src/core/egress/report/result-sections.js";
import { validateWorld, type WorldFile } from "../../src/simulated/world.js";
import {
  addNatGatewayToSubnet,
  addPoolOnNewSubnet,
  copyOfWorld,
  declareOutboundType,
  detachAddedNatGateway,
  fleetCluster,
  fleetWorld,
  movePool,
  peerWithHub,
  removePool,
  routeToAppliance,
} from "../support/fleet-world.js";
import { azureOverWorld } from "../support/world-azure.js";

// What-if is only worth its name if it says what the network would really do: each case asks
// `whatif` on a world, then makes the change in the ARM JSON and asks `show cluster` on that world.
const options = { clusters: 8, subscriptions: 2 };

/** A command runner over a world, with a store of its own. */
async function runnerOver(world: WorldFile) {
  const validated = validateWorld(world);
  if (!validated.ok) throw new Error(JSON.stringify(validated.issues.slice(0, 3)));
  const service = await createService({
    azurePort: azureOverWorld(validated.world, { now: () => Date.now() }).port,
    store: await openStateStore(":memory:"),
  });
  return (text: string) => ask(service, text);
}

async function run(world: WorldFile, text: string): Promise<EvidenceBundle> {
  return (await runnerOver(world))(text);
}

async function ask(service: EgressService, text: string): Promise<EvidenceBundle> {
  const parsed = parseCommand(text);
  if (!parsed.ok) throw new Error(parsed.error.reason);
  const result = await service.runCommand(parsed.command, {
    requestedBy: { platform: "cli", user: "test", channel: null, thread: null },
  });
  if (result.kind !== "bundle") throw new Error("no bundle");
  return result.bundle;
}

type Pool = {
  name: string;
  egress: { kind: string; snatBy: { type: string } };
  sources: { state: string };
  sourceCidrs: readonly string[];
};
const summary = (pools: readonly Pool[]) =>
  pools.map((pool) => [
    pool.name,
    pool.egress.kind,
    pool.egress.snatBy.type,
    pool.sources.state,
    [...pool.sourceCidrs],
  ]);

/** `whatif` on `before` against `show cluster` on `after`: the same pools, kinds, owners and sources. */
async function expectWhatIfToMatch(before: WorldFile, after: WorldFile, cluster: string, flags: string) {
  const predicted = readResultSections(await run(before, `whatif ${cluster} ${flags}`)).whatif;
  const real = readSections(await run(after, `show cluster ${cluster}`)).nodePools;
  expect(summary(predicted?.after ?? [])).toEqual(summary(real));
  return predicted;
}

describe("whatif matches a world where the change was really made", () => {
  it("a NAT gateway put on a load balancer cluster's subnet", async () => {
    const after = copyOfWorld(fleetWorld(options));
    addNatGatewayToSubnet(after, 1, options, "20.99.1.1");
    declareOutboundType(after, 1, options, "userAssignedNATGateway");
    const before = copyOfWorld(after);
    const gateway = detachAddedNatGateway(before, 1, options);
    declareOutboundType(before, 1, options, "loadBalancer");
    const predicted = await expectWhatIfToMatch(
      before,
      after,
      "aks-1",
      `--outbound-type userAssignedNATGateway --nat-gateway ${gateway}`,
    );
    expect(predicted?.after.map((pool) => pool.sourceCidrs)).toEqual([["20.99.1.1/32"], ["20.99.1.1/32"]]);
  });

  it("one pool moved to another subnet", async () => {
    const after = copyOfWorld(fleetWorld(options));
    addPoolOnNewSubnet(after, 0, options, "20.99.1.2");
    removePool(after, 0, options, "batch");
    const before = copyOfWorld(after);
    const subnet = `${fleetCluster(0, options).vnet}/subnets/snet-batch`;
    movePool(after, 0, options, "apps", subnet);
    const predicted = await expectWhatIfToMatch(
      before,
      after,
      "aks-0",
      `--outbound-type userAssignedNATGateway --pool apps --subnet ${subnet}`,
    );
    expect(predicted?.after.map((pool) => [pool.name, pool.sourceCidrs])).toEqual([
      ["system", ["20.64.0.0/30"]],
      ["apps", ["20.99.1.2/32"]],
    ]);
  });

  it("a default route to the hub firewall for a cluster peered with the hub", async () => {
    const before = copyOfWorld(fleetWorld(options));
    peerWithHub(before, 1, options);
    const after = copyOfWorld(before);
    routeToAppliance(after, 1, options, "10.0.1.4");
    const predicted = await expectWhatIfToMatch(
      before,
      after,
      "aks-1",
      "--outbound-type userDefinedRouting --udr-to 10.0.1.4",
    );
    expect(predicted?.after.map((pool) => pool.egress.kind)).toEqual(["azureFirewall", "azureFirewall"]);
  });

  it("the demo's broken cluster with its default route back: the firewall is not reachable from an unpeered VNet", async () => {
    const demo = parse(readFileSync("worlds/demo.yaml", "utf8")) as WorldFile;
    const after = copyOfWorld(demo);
    const table =
      "/subscriptions/7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b/resourceGroups/rg-broken-dev-network/providers/Microsoft.Network/routeTables/rt-dev-egress";
    const routes = (after.resources[table] as { properties: { routes: unknown[] } }).properties.routes;
    routes.push({
      name: "default",
      id: `${table}/routes/default`,
      properties: { addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.1.4" },
    });
    const predicted = await expectWhatIfToMatch(
      demo,
      after,
      "aks-broken-dev",
      "--outbound-type userDefinedRouting --udr-to 10.0.1.4",
    );
    expect(predicted?.after[0]?.sources.state).not.toBe("known");
  });
});

describe("whatif says what would break", () => {
  it("names the partner whose allowlist the change breaks, the CIDRs it leaves idle, and writes nothing", async () => {
    const world = copyOfWorld(fleetWorld(options));
    addNatGatewayToSubnet(world, 1, options, "20.99.1.1");
    const gateway = detachAddedNatGateway(world, 1, options);
    const askWorld = await runnerOver(world);
    await askWorld('source-ips aks-1 --partner "Contoso" --record');
    const bundle = await askWorld(`whatif aks-1 --outbound-type userAssignedNATGateway --nat-gateway ${gateway}`);
    const whatif = readResultSections(bundle).whatif;
    expect(whatif?.drift.breaks).toEqual([
      expect.objectContaining({ partner: "Contoso", uncovered: ["20.99.1.1/32"], pools: ["system", "apps"] }),
    ]);
    expect(whatif?.drift.idle).toEqual([expect.objectContaining({ partner: "Contoso", idle: ["20.64.0.4/32"] })]);
    expect(bundle.findings.map((finding) => finding.code)).toContain("PARTNER_ALLOWLIST_BROKEN");
    expect(bundle.findings.find((finding) => finding.code === "PARTNER_ALLOWLIST_BROKEN")?.detail).toMatch(
      /^After the change: Contoso allowlists rg-aks-1\/aks-1/,
    );
    // Nothing was written to Azure: the world still has the gateway unattached.
    const again = readSections(await askWorld("show cluster aks-1")).nodePools;
    expect(again.map((pool) => pool.egress.kind)).toEqual(["loadBalancer", "loadBalancer"]);
  });

  it("the findings only the changed network draws: authorized ranges, firewall rules for AKS, firewall SNAT", async () => {
    const plantNodes =
      "/subscriptions/7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b/resourceGroups/rg-plant-network/providers/Microsoft.Network/virtualNetworks/vnet-plant-weu/subnets/snet-plant-nodes";
    const demo = parse(readFileSync("worlds/demo.yaml", "utf8")) as WorldFile;
    const today = await run(demo, "show cluster aks-claims-prod");
    const bundle = await run(demo, `whatif aks-claims-prod --outbound-type userDefinedRouting --subnet ${plantNodes}`);
    const codes = (findings: EvidenceBundle["findings"]) => findings.map((finding) => finding.code).sort();
    expect(codes(today.findings)).toEqual([]);
    expect(codes(bundle.findings)).toEqual([
      "AUTHORIZED_IP_RANGES_MISSING_EGRESS_IP",
      // The plant VNet's custom DNS servers come with the move.
      "CUSTOM_DNS_SERVERS",
      "FIREWALL_SNAT_CAPACITY_LOW",
      "REQUIRED_ENDPOINT_NOT_ALLOWED",
    ]);
    expect(bundle.findings.every((finding) => finding.detail?.startsWith("After the change: "))).toBe(true);
  });

  it("firewall rules that matched the old subnet and would not match the new one", async () => {
    const demo = parse(readFileSync("worlds/demo.yaml", "utf8")) as WorldFile;
    const vnetId =
      "/subscriptions/7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b/resourceGroups/rg-plant-network/providers/Microsoft.Network/virtualNetworks/vnet-plant-weu";
    const vnet = demo.resources[vnetId] as {
      properties: { addressSpace: { addressPrefixes: string[] }; subnets: Record<string, unknown>[] };
    };
    vnet.properties.addressSpace.addressPrefixes.push("10.40.0.0/16");
    vnet.properties.subnets.push({
      name: "snet-plant-new",
      id: `${vnetId}/subnets/snet-plant-new`,
      properties: {
        addressPrefix: "10.40.0.0/22",
        routeTable: {
          id: "/subscriptions/7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b/resourceGroups/rg-plant-network/providers/Microsoft.Network/routeTables/rt-plant-egress",
        },
        defaultOutboundAccess: false,
      },
    });
    const whatif = readResultSections(
      await run(
        demo,
        `whatif aks-plant-prod --outbound-type userDefinedRouting --subnet ${vnetId}/subnets/snet-plant-new`,
      ),
    ).whatif;
    expect(whatif?.firewallRules.length).toBeGreaterThan(0);
    expect(whatif?.firewallRules[0]).toEqual(
      expect.objectContaining({
        firewall: "afw-hub-weu",
        sources: "10.20.0.0/16 10.30.0.0/16",
        reason: expect.stringContaining("not the new one (10.40.0.0/22"),
      }),
    );
  });

  it("shows before and after as one picture in chat: each pool's path today above its path after", async () => {
    const after = copyOfWorld(fleetWorld(options));
    addNatGatewayToSubnet(after, 1, options, "20.99.1.1");
    const gateway = detachAddedNatGateway(after, 1, options);
    const view = buildAnswerView(
      await run(after, `whatif aks-1 --outbound-type userAssignedNATGateway --nat-gateway ${gateway}`),
    );
    const paths = view.sections.find((section) => section.kind === "paths");
    expect(paths?.kind === "paths" && paths.pools.map((pool) => `${pool.name}: ${pool.kind}`)).toEqual([
      "system before: loadBalancer",
      "system after: natGateway",
      "apps before: loadBalancer",
      "apps after: natGateway",
    ]);
    const svg = pathPicture(view) ?? "";
    expect(svg).toContain("system before");
    expect(svg).toContain("ng-added-1");
  });

  it("refuses a pool the cluster does not have, naming the pools", async () => {
    const bundle = await run(fleetWorld(options), "whatif aks-1 --outbound-type loadBalancer --pool nope");
    expect(bundle.status).toBe("failed");
    expect(bundle.steps[0]?.error?.message).toBe('aks-1 has no node pool "nope" (pools: system, apps).');
  });
});
