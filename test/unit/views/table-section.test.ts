import { describe, expect, it } from "@jest/globals";
import type { AnswerView } from "../../../src/index.js";
import { renderSummary } from "../../../adapters/slack/render-blocks.js";
import { renderSummaryCards } from "../../../adapters/teams/render-card.js";
import { cardProblems } from "../../support/adaptive-card-validator.js";

// A fleet of 45 pools, one of them with a name that tries mrkdwn and HTML: every renderer shows the
// same summary, the first 30 rows in chat, and says where the rest is.
const view = (): AnswerView => ({
  title: "fleet of 45 cluster(s)",
  verdict: { level: "ok", text: "no findings" },
  headline: "fleet of 45 cluster(s): no findings",
  about: null,
  runStatus: "succeeded",
  simulated: true,
  asOf: "2026-11-24T10:00:00.000Z",
  runId: "run-1",
  digest: "sha256:x",
  sections: [
    {
      kind: "table",
      title: "Fleet egress",
      summary: "45 cluster(s), 45 node pool(s) in 1 subscription(s)",
      table: {
        headers: ["CLUSTER", "POOL", "SOURCES"],
        rows: Array.from({ length: 45 }, (_, index) => [
          `rg/aks-${index}`,
          index === 0 ? "<!channel> *bold*" : "system",
          `20.0.0.${index}/32`,
        ]),
      },
      note: "rg/aks-3: configured routes only",
    },
  ],
  next: [],
});

describe("a result table in chat", () => {
  it("Slack: the summary, 30 rows in code blocks, escaped, and where the other 15 are", () => {
    const text = JSON.stringify(renderSummary(view(), []).flatMap((message) => message.blocks));
    expect(text).toContain("*Fleet egress*: 45 cluster(s), 45 node pool(s) in 1 subscription(s)");
    expect(text).toContain("rg/aks-29");
    expect(text).not.toContain("rg/aks-30 ");
    expect(text).toContain("… 15 more row(s): the evidence bundle has them all");
    expect(text).toContain("&lt;!channel&gt;");
    expect(text).not.toContain("<!channel>");
    expect(text).toContain("_rg/aks-3: configured routes only_");
  });
  it("Teams: the same rows in valid cards", () => {
    const cards = renderSummaryCards(view(), [], null);
    for (const card of cards) expect(cardProblems(card)).toEqual([]);
    const text = JSON.stringify(cards);
    expect(text).toContain("Fleet egress: 45 cluster(s), 45 node pool(s) in 1 subscription(s)");
    expect(text).toContain("rg/aks-29");
    expect(text).not.toContain('rg/aks-30"');
    expect(text).toContain("… 15 more row(s)");
  });
});
