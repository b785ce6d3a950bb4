import { describe, expect, it } from "@jest/globals";
import {
  buildAnswerView,
  createService,
  openStateStore,
  parseCommand,
  runDriftTick,
  silentLogger,
  type AnswerView,
  type StateStore,
} from "../../src/index.js";
import type { WorldFile } from "../../src/simulated/world.js";
import { validateWorld } from "../../src/simulated/world.js";
import {
  addNatGatewayToSubnet,
  addPoolOnNewSubnet,
  changeToLoadBalancer,
  copyOfWorld,
  fleetAddress,
  fleetCluster,
  fleetWorld,
  swapNatGatewayAddress,
} from "../support/fleet-world.js";
import { azureOverWorld } from "../support/world-azure.js";

// Eight clusters in two subscriptions: 0 and 4 behind NAT gateway prefixes, 1 and 5 load balancers,
// 2 and 6 routed to their subscription's hub firewall, 3 and 7 behind NAT gateways with two IPs.
const options = { clusters: 8, subscriptions: 2 };
const baseline = fleetWorld(options);

/** A service over a world (real SDK clients, simulated Azure over HTTP) sharing the test's store. */
function serviceOver(world: WorldFile, store: StateStore) {
  const validated = validateWorld(world);
  if (!validated.ok) throw new Error(JSON.stringify(validated.issues.slice(0, 3)));
  return createService({ azurePort: azureOverWorld(validated.world, { now: () => Date.now() }).port, store });
}

/** One drift tick over a world, with what it posted. */
async function tick(world: WorldFile, store: StateStore) {
  const posts: AnswerView[] = [];
  const result = await runDriftTick({
    service: await serviceOver(world, store),
    store,
    log: silentLogger,
    post: (view) => {
      posts.push(view);
      return Promise.resolve();
    },
  });
  return { posts, result };
}

/** Records cluster i's list as handed to a partner, as `source-ips … --record` does. */
async function handOver(world: WorldFile, store: StateStore, index: number, partner: string): Promise<void> {
  const parsed = parseCommand(`source-ips ${fleetCluster(index, options).name} --partner "${partner}" --record`);
  if (!parsed.ok) throw new Error(parsed.error.reason);
  const result = await (
    await serviceOver(world, store)
  ).runCommand(parsed.command, {
    requestedBy: { platform: "slack", user: "U0NETSEC", channel: "C1", thread: null },
  });
  if (result.kind !== "bundle" || result.notices?.[0]?.level !== "ok") throw new Error("the handover was not recorded");
}

/** The text of a posted view's tables, row by row. */
const rowsOf = (view: AnswerView, title: string): string[] =>
  view.sections.flatMap((section) =>
    section.kind === "table" && section.title === title ? section.table.rows.map((row) => row.join(" | ")) : [],
  );

/** A store with the baseline snapshots kept and one partner's handover of cluster i recorded. */
async function watched(index: number, partner: string): Promise<StateStore> {
  const store = await openStateStore(":memory:");
  await handOver(baseline, store, index, partner);
  const first = await tick(baseline, store);
  expect(first.result.report?.baseline).toBe(false);
  expect(first.result.snapshotsKept).toBe(8);
  // The first tick only records, unless an allowlist is already broken.
  expect(first.posts).toEqual([]);
  const quiet = await tick(baseline, store);
  expect([quiet.posts, quiet.result.report?.changes]).toEqual([[], []]);
  return store;
}

describe("the drift watch over a fleet", () => {
  it("an IP swap: one message naming the swapped address and the partner it breaks", async () => {
    const store = await watched(3, "Contoso");
    const changed = copyOfWorld(baseline);
    swapNatGatewayAddress(changed, 3, options, "20.99.0.1");
    const { posts, result } = await tick(changed, store);
    expect(posts).toHaveLength(1);
    const [view] = posts as [AnswerView];
    const old = `${fleetAddress(12)}/32`;
    expect(rowsOf(view, "Egress drift")).toEqual([
      `rg-aks-3/aks-3 | system: natGateway, ${old} ${fleetAddress(13)}/32 → natGateway, ${fleetAddress(13)}/32 20.99.0.1/32 | ${old} ${fleetAddress(13)}/32 | ${fleetAddress(13)}/32 20.99.0.1/32`,
      ` | apps: natGateway, ${old} ${fleetAddress(13)}/32 → natGateway, ${fleetAddress(13)}/32 20.99.0.1/32 |  | `,
    ]);
    expect(rowsOf(view, "Partner allowlists broken")).toEqual([
      expect.stringMatching(/^Contoso \| rg-aks-3\/aks-3 \| 20\.99\.0\.1\/32 \| system, apps \| /),
    ]);
    expect(rowsOf(view, "Allowlisted CIDRs now idle")).toEqual([`Contoso | rg-aks-3/aks-3 | ${old}`]);
    expect(result.bundle.findings.map((finding) => finding.code)).toEqual(["PARTNER_ALLOWLIST_BROKEN"]);
    expect(view.verdict.level).toBe("error");
    // The change is kept: the next tick is quiet, and the cluster's history has both snapshots.
    expect((await tick(changed, store)).posts).toEqual([]);
    expect(
      (await store.listSnapshots(fleetCluster(3, options).id)).map((snapshot) => snapshot.pools[0]?.sourceCidrs),
    ).toEqual([
      [`${fleetAddress(13)}/32`, "20.99.0.1/32"],
      [old, `${fleetAddress(13)}/32`],
    ]);
  });

  it("a NAT gateway added to a load balancer cluster's subnet: one message, the kind and sources changed", async () => {
    const store = await watched(1, "Fabrikam");
    const changed = copyOfWorld(baseline);
    addNatGatewayToSubnet(changed, 1, options, "20.99.0.2");
    const { posts } = await tick(changed, store);
    expect(posts).toHaveLength(1);
    const [view] = posts as [AnswerView];
    expect(rowsOf(view, "Egress drift")[0]).toBe(
      `rg-aks-1/aks-1 | system: loadBalancer, ${fleetAddress(4)}/32 → natGateway, 20.99.0.2/32 | ${fleetAddress(4)}/32 | 20.99.0.2/32`,
    );
    expect(rowsOf(view, "Partner allowlists broken")).toEqual([
      expect.stringMatching(/^Fabrikam \| rg-aks-1\/aks-1 \| 20\.99\.0\.2\/32 \| system, apps/),
    ]);
  });

  it("a new pool on another subnet: one message naming the pool and the source it adds", async () => {
    const store = await watched(0, "Northwind");
    const changed = copyOfWorld(baseline);
    addPoolOnNewSubnet(changed, 0, options, "20.99.0.3");
    const { posts } = await tick(changed, store);
    expect(posts).toHaveLength(1);
    const [view] = posts as [AnswerView];
    expect(rowsOf(view, "Egress drift")).toEqual([
      `rg-aks-0/aks-0 | new node pool batch: natGateway, 20.99.0.3/32 | ${fleetAddress(0)}/30 | ${fleetAddress(0)}/30 20.99.0.3/32`,
    ]);
    // The old pools still leave through the handed prefix: only the new source is uncovered, nothing idle.
    expect(rowsOf(view, "Partner allowlists broken")).toEqual([
      expect.stringMatching(/^Northwind \| rg-aks-0\/aks-0 \| 20\.99\.0\.3\/32 \| batch \| /),
    ]);
    expect(rowsOf(view, "Allowlisted CIDRs now idle")).toEqual([]);
  });

  it("an outbound type change: one message with the type and the new path", async () => {
    const store = await watched(2, "Tailspin");
    const changed = copyOfWorld(baseline);
    changeToLoadBalancer(changed, 2, options, "20.99.0.4");
    const { posts } = await tick(changed, store);
    expect(posts).toHaveLength(1);
    const [view] = posts as [AnswerView];
    const firewall = `${fleetAddress(0x300000)}/32`;
    expect(rowsOf(view, "Egress drift")).toEqual([
      `rg-aks-2/aks-2 | outbound type userDefinedRouting → loadBalancer | ${firewall} | 20.99.0.4/32`,
      ` | system: azureFirewall, ${firewall} → loadBalancer, 20.99.0.4/32 |  | `,
      ` | apps: azureFirewall, ${firewall} → loadBalancer, 20.99.0.4/32 |  | `,
    ]);
    expect(rowsOf(view, "Partner allowlists broken")).toEqual([
      expect.stringMatching(/^Tailspin \| rg-aks-2\/aks-2 \| 20\.99\.0\.4\/32/),
    ]);
    expect(rowsOf(view, "Allowlisted CIDRs now idle")).toEqual([`Tailspin | rg-aks-2/aks-2 | ${firewall}`]);
  });

  it("a change no partner allowlists is still posted, and breaks nothing", async () => {
    const store = await watched(3, "Contoso");
    const changed = copyOfWorld(baseline);
    swapNatGatewayAddress(changed, 7, options, "20.99.0.7");
    const { posts, result } = await tick(changed, store);
    expect(posts).toHaveLength(1);
    expect(result.report?.breaks).toEqual([]);
    expect(rowsOf(posts[0] as AnswerView, "Egress drift")[0]).toMatch(/^rg-aks-7\/aks-7 \| system: /);
  });

  it("a tick that cannot read the fleet keeps no snapshot and posts nothing", async () => {
    const store = await watched(3, "Contoso");
    const refused = { ...copyOfWorld(baseline), faults: [{ match: "Microsoft\\.ResourceGraph", status: 403 }] };
    const { posts, result } = await tick(refused, store);
    expect([result.outcome, posts.length, result.snapshotsKept]).toEqual(["failed", 0, 0]);
  });

  it("titles the posted answer with the clusters scanned", async () => {
    const store = await watched(3, "Contoso");
    const changed = copyOfWorld(baseline);
    swapNatGatewayAddress(changed, 3, options, "20.99.0.1");
    const { result } = await tick(changed, store);
    expect(buildAnswerView(result.bundle).title).toBe("drift of 8 cluster(s)");
  });
});
