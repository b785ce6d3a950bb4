import type { ReportNodePool } from "../egress/report/egress-report.js";
import type { WhatIfReport } from "../whatif/what-if-report.js";
import type { ViewSection } from "./answer-view.js";
import { allowlistSections } from "./drift-view.js";
import { describeSources, pathOf } from "./pool-path.js";

const sideOf = (pool: ReportNodePool | undefined): string =>
  pool ? `${pool.egress.kind}, ${describeSources(pathOf(pool).sources)}` : "(no such pool)";

/**
 * The sections of a what-if answer: the change and each pool before and after, one picture with
 * both paths of every pool (before above after), then what would break for partners and the firewall
 * rules the move would stop matching. The findings only the changed network draws are the answer's
 * findings.
 */
export function whatIfSections(whatif: WhatIfReport | null): ViewSection[] {
  if (!whatif) return [];
  const names = [...new Set([...whatif.before, ...whatif.after].map((pool) => pool.name))];
  const before = new Map(whatif.before.map((pool) => [pool.name, pool]));
  const after = new Map(whatif.after.map((pool) => [pool.name, pool]));
  const sections: ViewSection[] = [
    {
      kind: "table",
      title: `What if: ${whatif.change.join("; ")}`,
      summary: `${whatif.cluster}: each node pool before and after (nothing was changed in Azure)`,
      table: {
        headers: ["POOL", "BEFORE", "AFTER"],
        rows: names.map((name) => [name, sideOf(before.get(name)), sideOf(after.get(name))]),
      },
      note: whatif.caveats.join("\n") || null,
    },
    {
      kind: "paths",
      pools: names.flatMap((name) => {
        const pair = [before.get(name), after.get(name)];
        return pair.flatMap((pool, index) =>
          pool ? [{ ...pathOf(pool), name: `${name} ${index === 0 ? "before" : "after"}` }] : [],
        );
      }),
    },
    ...allowlistSections(whatif.drift),
  ];
  if (whatif.firewallRules.length > 0)
    sections.push({
      kind: "table",
      title: "Firewall rules that would stop matching",
      summary: "traffic these rules allow today would meet the policy's default deny",
      table: {
        headers: ["FIREWALL", "RULE", "SOURCES", "WHY"],
        rows: whatif.firewallRules.map((rule) => [rule.firewall, rule.rule, rule.sources, rule.reason]),
      },
      note: null,
    });
  return sections;
}
