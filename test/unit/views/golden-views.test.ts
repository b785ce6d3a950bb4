import { describe, expect, it } from "@jest/globals";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { runCli } from "../../../adapters/cli/run-cli.js";
import { formatViewText } from "../../../adapters/cli/format-view-text.js";
import { renderSummary } from "../../../adapters/slack/render-blocks.js";
import { renderSummaryCards } from "../../../adapters/teams/render-card.js";
import { buildAnswerView, formatBundleMarkdown, type EvidenceBundle } from "../../../src/index.js";
import { FakeClock } from "../../support/fake-clock.js";
import { sequentialIds } from "../../support/fixed-ids.js";
import { memoryIo } from "../../support/memory-io.js";

// Every built-in command on the demo world, through every renderer of the one answer view. The
// golden files show the same content in each; UPDATE_GOLDEN=1 rewrites them after a deliberate change.
const commands: [string, string[], string[]][] = [
  // name, command, what every renderer must show (the command's own answer)
  ["show-cluster", ["show", "cluster", "aks-plant-prod"], ["afw-hub-weu", "51.124.77.10/32", "rt-plant-egress"]],
  [
    "triage",
    ["triage", "aks-plant-prod", "--dest", "api.vendor.example:443"],
    [
      "critical",
      "packages.aks.azure.com is required by AKS",
      "api.vendor.example:443",
      "665",
      "no SNAT pressure observed",
    ],
  ],
  [
    "denies",
    ["denies", "aks-plant-prod", "--since", "1d"],
    ["packages.aks.azure.com:443", "HTTPS", "203.0.113.50:8443"],
  ],
  ["source-ips", ["source-ips", "aks-claims-prod", "--partner", "Contoso"], ["Contoso", "aks-claims-prod"]],
  ["whois", ["whois", "20.31.18.41"], ["ippre-claims-egress", "ng-claims-egress", "aks-claims-prod", "system, claims"]],
];

async function bundleOf(args: string[]): Promise<EvidenceBundle> {
  const io = memoryIo({ USER: "tester" });
  const clock = new FakeClock();
  await runCli([...args, "--world", "demo", "--output", "json"], io, {
    ids: sequentialIds(),
    clock,
    azure: { now: () => clock.now() },
  });
  return JSON.parse(io.out()) as EvidenceBundle;
}

// Wall-clock parts of a run (durations) and digests are not content.
// Evidence is numbered in the order reads finish, which varies: the numbers are not content either.
const stable = (text: string): string =>
  text
    .replace(/sha256:[0-9a-f]{64}/g, "sha256:…")
    .replace(/\b\d+ms\b/g, "…ms")
    .replace(/\b([a-zA-Z]+)-\d+\b(?=[,)\]"|\s_]|$)/gm, (match, prefix: string) =>
      /^(egress|whois|natSnat|loadBalancerSnat|firewallSnat)$/.test(prefix) ? `${prefix}-#` : match,
    );
const plain = (_style: string, text: string): string => text;

const renderers: Record<string, (bundle: EvidenceBundle) => string> = {
  slack: (bundle) => JSON.stringify(renderSummary(buildAnswerView(bundle), ["k1", "k2", "k3"]), null, 2),
  teams: (bundle) =>
    JSON.stringify(
      renderSummaryCards(buildAnswerView(bundle), ["k1", "k2", "k3"], "https://egress.example/b"),
      null,
      2,
    ),
  cli: (bundle) => formatViewText(buildAnswerView(bundle), plain).join("\n"),
  // The view's part of the Markdown; the data, steps and evidence after it are the bundle's own.
  markdown: (bundle) => formatBundleMarkdown(bundle).split("\n## Data\n")[0] ?? "",
};

describe("one view, every renderer: golden files of the built-in commands", () => {
  it.each(commands)("%s", async (name, args, mustShow) => {
    const bundle = await bundleOf(args);
    for (const [renderer, render] of Object.entries(renderers)) {
      const output = stable(render(bundle));
      // Every platform shows the answer, not just a finding about it.
      for (const text of mustShow) expect({ renderer, has: output.includes(text) }).toEqual({ renderer, has: true });
      const file = `test/fixtures/golden/${name}.${renderer}.${renderer === "slack" || renderer === "teams" ? "json" : "txt"}`;
      if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) writeFileSync(file, output);
      expect(output).toBe(readFileSync(file, "utf8"));
    }
  });
});
