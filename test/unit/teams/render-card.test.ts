import { describe, expect, it } from "@jest/globals";
import type { AnswerView } from "../../../src/index.js";
import { cardBudget, renderSummaryCards } from "../../../adapters/teams/render-card.js";
import { cardProblems } from "../../support/adaptive-card-validator.js";
import { natGatewaySystemPool } from "../../support/pool-paths.js";

const finding = (index: number) => ({
  code: "DESTINATION_DENIED",
  severity: "warning" as const,
  title: `Finding ${index}`,
  detail: `detail ${index} `.repeat(20),
  remediation: "y".repeat(200),
  evidenceIds: [`egress-${index}`],
});
const view = (findings: number, denies: number): AnswerView => ({
  title: "denies for aks",
  verdict: { level: "warning", text: "warning: many" },
  headline: "denies for aks: warning: many",
  about: null,
  runStatus: "succeeded",
  simulated: false,
  asOf: "2026-11-24T10:00:00.000Z",
  runId: "run-1",
  digest: "sha256:x",
  sections: [
    {
      kind: "denies",
      window: "1d",
      firewalls: ["afw"],
      logs: null,
      total: denies,
      more: 0,
      rows: Array.from({ length: denies }, (_, index) => ({
        destination: `host-${index}.example:443`,
        protocol: "HTTPS",
        count: 1,
        firstSeen: "2026-11-24T09:00:00.000Z",
        lastSeen: "2026-11-24T09:59:00.000Z",
        rule: "No rule matched. Proceeding with default action",
        requiredEndpoint: null,
      })),
    },
    { kind: "findings", items: Array.from({ length: findings }, (_, index) => finding(index)) },
  ],
  next: [{ label: "Triage", command: "triage aks" }],
});

describe("Teams card limits", () => {
  it("splits a large answer into cards within Teams' size, never cutting a row or a finding", () => {
    const cards = renderSummaryCards(view(50, 200), ["k1"], "https://egress.example/b");
    expect(cards.length).toBeGreaterThan(1);
    for (const card of cards) {
      expect(JSON.stringify(card).length).toBeLessThanOrEqual(cardBudget + 2_000);
      expect(cardProblems(card)).toEqual([]);
    }
    const all = JSON.stringify(cards);
    for (const index of [0, 99, 199]) expect(all).toContain(`host-${index}.example:443`);
    for (const index of [0, 25, 49]) expect(all).toContain(`Finding ${index}`);
    // Buttons and the bundle link come once, on the last card.
    expect(cards.slice(0, -1).every((card) => !("actions" in card))).toBe(true);
    expect(JSON.stringify(cards.at(-1)?.actions)).toContain("https://egress.example/b");
    expect(JSON.stringify(cards[1])).toContain("denies for aks (continued)");
  });

  it("keeps a small answer in one card", () => {
    expect(renderSummaryCards(view(2, 3), [], null)).toHaveLength(1);
  });
});

describe("the path picture in a card", () => {
  it("puts the picture behind the bundle's signed link, with the same signature", async () => {
    const { pictureLinkOf } = await import("../../../adapters/teams/teams-surface.js");
    expect(pictureLinkOf("https://egress.example/bundles/run-1?expires=1&signature=abc")).toBe(
      "https://egress.example/bundles/run-1/path.png?expires=1&signature=abc",
    );
  });

  it("shows the picture right under the node pools heading", () => {
    const base = view(0, 0);
    const cards = renderSummaryCards(
      {
        ...base,
        sections: [
          {
            kind: "paths",
            pools: [natGatewaySystemPool],
          },
        ],
      },
      [],
      null,
      { url: "data:image/png;base64,iVBORw0KGgo=", altText: "Egress paths of denies for aks" },
    );
    const body = JSON.stringify(cards[0]?.body);
    expect(body).toContain('"text":"Node pools"');
    expect(body.indexOf('"type":"Image"')).toBeGreaterThan(body.indexOf('"text":"Node pools"'));
    expect(body).toContain('"altText":"Egress paths of denies for aks"');
  });
});
