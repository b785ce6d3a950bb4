import { describe, expect, it } from "@jest/globals";
import type { AnswerView } from "../../../src/index.js";
import { renderProgress, renderSummary } from "../../../adapters/slack/render-blocks.js";
import { chunkLines, escapeMrkdwn } from "../../../adapters/slack/slack-text.js";
import { natGatewaySystemPool } from "../../support/pool-paths.js";

const finding = (index: number) => ({
  code: "SNAT_PORTS_INSUFFICIENT",
  severity: "error" as const,
  title: `Finding ${index} <script>&`,
  detail: null,
  remediation: "x".repeat(400),
  evidenceIds: [],
});
const summary = (
  findings: ReturnType<typeof finding>[],
  next = [{ label: "Triage", command: "triage aks" }],
  problems: { step: string; message: string }[] = [],
): AnswerView => ({
  title: "triage for aks",
  verdict:
    findings.length > 0
      ? { level: "error", text: "error: Finding 1" }
      : { level: "incomplete", text: "partial: no findings" },
  headline: `triage for aks: ${findings.length > 0 ? "error: Finding 1" : "partial: no findings"}`,
  about: null,
  runStatus: "partial",
  simulated: true,
  asOf: "2026-11-24T10:00:00.000Z",
  runId: "run-1",
  digest: "sha256:x",
  sections: [
    ...(problems.length > 0 ? [{ kind: "problems" as const, items: problems }] : []),
    {
      kind: "paths",
      pools: [natGatewaySystemPool],
    },
    { kind: "proof", items: [{ name: "outboundType", status: "collected", summary: "userAssignedNATGateway" }] },
    { kind: "findings", items: findings },
  ],
  next,
});

describe("Slack Block Kit rendering", () => {
  it("says why steps failed, escaped, before the proof set", () => {
    const [message] = renderSummary(
      summary([], [], [{ step: "cluster", message: "No cluster <aks> & none like it" }]),
      [],
    );
    const text = JSON.stringify(message?.blocks);
    expect(text).toContain("*What went wrong* (run partial)\\n❌ *cluster*: No cluster &lt;aks&gt; &amp; none like it");
    expect(text.indexOf("What went wrong")).toBeLessThan(text.indexOf("Proof set"));
  });

  it("shows status, SIMULATED, proof set, pools, findings and source IPs, escaping user-visible text", () => {
    const [message] = renderSummary(summary([finding(1)]), ["k1"]);
    const text = JSON.stringify(message?.blocks);
    expect(message?.text).toBe("triage for aks: error: Finding 1 (run partial) (SIMULATED)");
    expect(text).toContain("*SIMULATED*");
    expect(text).toContain("outboundType");
    expect(text).toContain("natGateway ng");
    expect(text).toContain("Finding 1 &lt;script&gt;&amp;");
    expect(text).toContain("`20.1.2.3/32`");
    expect(text).toContain("snet-nodes → ng → 20.1.2.3/32");
    expect(message?.blocks.at(-1)).toEqual({
      type: "actions",
      elements: [
        { type: "button", text: { type: "plain_text", text: "Triage" }, action_id: "egress_next_0", value: "k1" },
      ],
    });
  });

  it("splits long evidence across messages within 50 blocks and 3000 characters, losing nothing", () => {
    const many = Array.from({ length: 400 }, (_, index) => finding(index));
    const messages = renderSummary(summary(many), ["k1"]);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      for (const block of message.blocks) {
        const text = (block as { text?: { text?: string } }).text?.text ?? "";
        expect(text.length).toBeLessThanOrEqual(3000);
      }
    }
    const all = JSON.stringify(messages);
    for (const index of [0, 199, 399]) expect(all).toContain(`Finding ${index} `);
    expect(messages[messages.length - 1]?.text).toContain("(continued)");
  });

  it("renders progress with one line per step and the outcome", () => {
    const message = renderProgress({
      title: "triage aks",
      simulated: false,
      steps: [
        { id: "a", name: "Read cluster", status: "succeeded" },
        { id: "b", name: "Read logs", status: "running" },
      ],
      outcome: null,
    });
    expect(message.text).toBe("egress triage aks: running");
    expect(JSON.stringify(message.blocks)).toContain("✅ Read cluster\\n⏳ Read logs");
    expect(JSON.stringify(message.blocks)).not.toContain("SIMULATED");
  });

  it("escapes mrkdwn control characters and chunks only between lines", () => {
    expect(escapeMrkdwn("<@U1> & <!channel>")).toBe("&lt;@U1&gt; &amp; &lt;!channel&gt;");
    expect(chunkLines(["aaaa", "bbbb", "cccc"], 9)).toEqual(["aaaa\nbbbb", "cccc"]);
  });
});
