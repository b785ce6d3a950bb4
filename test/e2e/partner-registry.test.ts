import { describe, expect, it } from "@jest/globals";
import { runCli } from "../../adapters/cli/run-cli.js";
import { createService, openStateStore, type StateStore } from "../../src/index.js";
import { testChatHandler } from "../support/bot-under-test.js";
import { FakeClock } from "../support/fake-clock.js";
import { sequentialIds } from "../support/fixed-ids.js";
import { memoryIo } from "../support/memory-io.js";
import { RecordingSurface } from "../support/recording-surface.js";

interface Handover {
  partner: string;
  cluster: string;
  cidrs: string[];
  addresses: { cidr: string; grade: string }[];
  handedBy: string;
  digest: string;
}
interface Bundle {
  status: string;
  digest: string;
  next: { label: string; command: string }[];
  partners?: { standing: Handover[] };
  partner?: { name: string; standing: Handover[]; history: Handover[] };
  steps: { error: { message: string } | null }[];
}

/** The CLI on the demo world with one in-memory store for the whole test. */
function egressWith(store: StateStore) {
  return async (args: string[], output = "json") => {
    const io = memoryIo({ USER: "tester" });
    const clock = new FakeClock();
    const code = await runCli([...args, "--world", "demo", "--output", output], io, {
      ids: sequentialIds(),
      clock,
      azure: { now: () => clock.now() },
      store,
    });
    const out = io.out();
    return { code, out, err: io.err(), bundle: (output === "json" && out ? JSON.parse(out) : {}) as Bundle };
  };
}

describe("the partner registry", () => {
  it("offers to record a partner's list, records it with its digest, and lists and shows it", async () => {
    const egress = egressWith(await openStateStore(":memory:"));
    const offered = await egress(["source-ips", "aks-claims-prod", "--partner", "Contoso Payments"]);
    expect(offered.bundle.next[0]).toEqual({
      label: "Record as handed to Contoso Payments",
      command: 'source-ips rg-claims-prod/aks-claims-prod --partner "Contoso Payments" --record',
    });
    expect((await egress(["partners"])).bundle.partners?.standing).toEqual([]);

    const recorded = await egress([
      "source-ips",
      "rg-claims-prod/aks-claims-prod",
      "--partner",
      "Contoso Payments",
      "--record",
    ]);
    expect(recorded.code).toBe(0);
    expect(recorded.err).toContain(
      `egress: Recorded as handed to Contoso Payments: 20.31.18.40/30 for rg-claims-prod/aks-claims-prod (evidence ${recorded.bundle.digest}).`,
    );
    // A recorded list offers no second recording.
    expect(recorded.bundle.next.map((suggestion) => suggestion.label)).not.toContain(
      "Record as handed to Contoso Payments",
    );
    const again = await egress(["source-ips", "aks-claims-prod", "--partner", "contoso  payments", "--record"]);
    expect(again.code).toBe(0);

    const listed = (await egress(["partners"])).bundle.partners?.standing;
    expect(listed).toEqual([
      expect.objectContaining({
        partner: "contoso  payments",
        cluster: "rg-claims-prod/aks-claims-prod",
        cidrs: ["20.31.18.40/30"],
        handedBy: expect.stringMatching(/ \(cli\)$/),
        digest: again.bundle.digest,
      }),
    ]);
    const shown = (await egress(["partners", "show", "CONTOSO PAYMENTS"])).bundle.partner;
    expect(shown?.standing).toHaveLength(1);
    expect(shown?.history.map((handover) => handover.digest)).toEqual([again.bundle.digest, recorded.bundle.digest]);
    expect(shown?.standing[0]?.addresses).toEqual([
      expect.objectContaining({ cidr: "20.31.18.40/30", grade: "stable" }),
    ]);
  });

  it("writes the onboarding document: CIDRs with grades and why, the path picture, as of and the digest", async () => {
    const egress = egressWith(await openStateStore(":memory:"));
    const recorded = await egress(["source-ips", "aks-plant-prod", "--partner", "Fabrikam", "--record"]);
    const markdown = (await egress(["partners", "show", "Fabrikam"], "markdown")).out;
    expect(markdown).toContain("## Allowlist for Fabrikam");
    expect(markdown).toMatch(/rg-plant-prod\/aks-plant-prod, as of \d{4}-\d\d-\d\dT/);
    expect(markdown).toContain("```\n51.124.77.10/31\n```");
    expect(markdown).toMatch(/\| 51\.124\.77\.10\/32 \| stable \| [^|]+ \| pip-afw-hub-weu-01/);
    expect(markdown).toContain("](data:image/svg+xml;base64,");
    expect(markdown).toContain(recorded.bundle.digest);
  });

  it("refuses to record a list that is not whole, and --record without a partner", async () => {
    const egress = egressWith(await openStateStore(":memory:"));
    const broken = await egress(["source-ips", "aks-broken-dev", "--partner", "Contoso", "--record"]);
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(
      /egress: Not recorded as handed to Contoso: the sources of system \(none: .*\) are not known/,
    );
    expect((await egress(["partners"])).bundle.partners?.standing).toEqual([]);
    const lonely = await egress(["source-ips", "aks-claims-prod", "--record"]);
    expect(lonely.code).toBe(2);
    expect(lonely.err).toContain("--record needs --partner");
    const nobody = await egress(["partners", "show", "Nobody"]);
    expect(nobody.bundle.status).toBe("failed");
    expect(nobody.bundle.steps[0]?.error?.message).toBe('Nothing was recorded as handed to "Nobody".');
  });

  it("in chat, records only for people the policy lets record for that cluster, and says so in the thread", async () => {
    const store = await openStateStore(":memory:");
    const service = await createService({ azure: { world: "demo" }, store });
    const rule = (runbooks: string[]) => ({
      slackUsers: ["U1"],
      slackUserGroups: [],
      entraObjectIds: [],
      channels: [],
      runbooks,
      clusters: ["rg-claims-prod/aks-claims-prod"],
      subscriptions: [],
    });
    const requester = { platform: "slack" as const, user: "U1", userGroups: [], entraObjectId: null, channel: "C1" };
    const text = 'source-ips aks-claims-prod --partner "Contoso" --record';
    const viewer = testChatHandler(service, store, {
      authorization: { contact: "#netsec", rules: [rule(["source-ips"])] },
    });
    const refusedSurface = new RecordingSurface();
    expect((await viewer.handle({ requester, thread: null, text }, refusedSurface)).status).toBe("refused");
    expect(refusedSurface.privately.join("\n")).toContain("record-partner");
    expect(await store.listHandovers()).toEqual([]);

    const recorder = testChatHandler(service, store, {
      authorization: { contact: null, rules: [rule(["source-ips", "record-partner"])] },
    });
    const surface = new RecordingSurface();
    expect((await recorder.handle({ requester, thread: null, text }, surface)).status).toBe("succeeded");
    const notice = surface.results[0]?.view.sections[0];
    expect(notice).toEqual({
      kind: "notice",
      level: "ok",
      text: expect.stringMatching(
        /^Recorded as handed to Contoso: 20\.31\.18\.40\/30 for rg-claims-prod\/aks-claims-prod/,
      ),
    });
    expect((await store.listHandovers()).map((handover) => [handover.partner, handover.handedBy])).toEqual([
      ["Contoso", { platform: "slack", user: "U1" }],
    ]);
  });
});
