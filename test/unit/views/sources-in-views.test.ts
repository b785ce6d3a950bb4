import { describe, expect, it } from "@jest/globals";
import { showCluster } from "../../support/egress-worlds.js";
import { buildAnswerView, readResultSections, readSections, type EvidenceBundle } from "../../../src/index.js";
import { formatViewText } from "../../../adapters/cli/format-view-text.js";
import { renderSummary } from "../../../adapters/slack/render-blocks.js";
import { renderSummaryCards } from "../../../adapters/teams/render-card.js";

// Known, unknown and none must read differently wherever the answer is shown: the same bundle
// through the chat summary (Slack and Teams) and the CLI.
const show = (world: string): Promise<EvidenceBundle> => showCluster(world);
const plain = (_style: string, text: string) => text;

describe("sources in every view", () => {
  it.each([
    [
      "split-routes-to-firewall",
      "sources `20.61.0.10/32` `20.61.0.11/32`",
      "sources 20.61.0.10/32 20.61.0.11/32",
      "azureFirewall afw-hub  20.61.0.10/32 20.61.0.11/32",
    ],
    [
      "forced-tunnel-firewall",
      "sources *unknown (forced tunnelling:",
      "sources unknown (forced tunnelling:",
      "system sources unknown (forced tunnelling:",
    ],
    [
      "blackhole-route",
      "sources *none (the route for public destinations goes to None",
      "sources none (the route for public destinations goes to None",
      "system sources none (the route for public destinations goes to None",
    ],
  ])("%s", async (world, slackText, teamsText, cliText) => {
    const bundle = await show(world);
    const view = buildAnswerView(bundle);
    const slack = renderSummary(view, [])
      .flatMap((message) => message.blocks)
      .map((block) => JSON.stringify(block))
      .join("\n");
    const teams = JSON.stringify(renderSummaryCards(view, [], null));
    const cli = formatViewText(view, plain).join("\n");
    expect(slack).toContain(slackText);
    expect(teams).toContain(teamsText);
    expect(cli).toContain(cliText);
  });

  it("reads the report through its schemas and says what did not parse instead of guessing", () => {
    const bundle = {
      nodePools: [{ name: "system", egress: { kind: "teleport" } }],
      cluster: { name: "aks" },
      proofSet: undefined,
    } as unknown as EvidenceBundle;
    const sections = readSections(bundle);
    expect(sections.nodePools).toEqual([]);
    expect(sections.cluster).toBeNull();
    expect(sections.problems).toEqual([
      expect.stringMatching(/^cluster\.id: /),
      expect.stringMatching(/^nodePools\.0\./),
    ]);
  });

  it("reads the result sections (denies, sourceIps, whois) through their schemas too", () => {
    const bundle = {
      sourceIps: { cluster: "aks", addresses: "not a list" },
      whois: { ip: "20.1.2.3", matches: [], note: null },
    } as unknown as EvidenceBundle;
    const results = readResultSections(bundle);
    expect(results.sourceIps).toBeNull();
    expect(results.whois).toEqual({ ip: "20.1.2.3", matches: [], note: null });
    expect(results.denies).toBeNull();
    expect(results.problems).toEqual([expect.stringMatching(/^sourceIps\./)]);
  });
});
