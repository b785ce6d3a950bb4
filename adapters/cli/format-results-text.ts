import { readResultSections, type EvidenceBundle } from "../../src/index.js";
import type { Paint } from "./cli-io.js";
import { formatTable } from "./format-table.js";

/** Bundle keys rendered here, so the generic printer skips them. */
export const resultKeys = new Set(["denies", "sourceIps", "whois"]);

const gradeStyle: Record<string, Parameters<Paint>[0]> = {
  stable: "green",
  managed: "yellow",
  unstable: "red",
  unknown: "gray",
};

/** Denies, source IPs and whois results as tables for a terminal. */
export function formatResultsText(bundle: EvidenceBundle, paint: Paint): string[] {
  const lines: string[] = [];
  const results = readResultSections(bundle);
  const denies = results.denies;
  if (denies) {
    lines.push(
      "",
      paint(
        "bold",
        `Denies over ${denies.window} from ${denies.sourceCidrs.join(", ") || "the cluster"} (${denies.firewalls.map((firewall) => firewall.name).join(", ") || "no firewall"})`,
      ),
    );
    if (denies.groups.length === 0) lines.push("  none");
    else {
      const rows = denies.groups.map((group) => [
        group.destination,
        group.protocol,
        String(group.denies),
        group.lastSeen ?? "",
        group.requiredEndpoint ? "AKS-required" : "",
        group.reasons[0] ?? "",
      ]);
      const table = formatTable(["DESTINATION", "PROTO", "DENIES", "LAST SEEN", "", "REASON"], rows);
      lines.push(
        paint("gray", table[0] ?? ""),
        ...table.slice(1).map((line, index) => (denies.groups[index]?.requiredEndpoint ? paint("red", line) : line)),
      );
    }
    if (denies.more > 0)
      lines.push(paint("yellow", `  … ${denies.more} more destination(s); raise --top (up to 100) or narrow --since`));
  }
  const sourceIps = results.sourceIps;
  if (sourceIps) {
    lines.push(
      "",
      paint(
        "bold",
        `Source IPs of ${sourceIps.resourceGroup}/${sourceIps.cluster}${sourceIps.partner ? ` for ${sourceIps.partner}` : ""} (as of ${sourceIps.asOf})`,
      ),
    );
    lines.push(`  Allowlist: ${sourceIps.cidrs.join(", ") || "(none)"}`);
    const table = formatTable(
      ["CIDR", "GRADE", "FROM", "VIA", "POOLS"],
      sourceIps.addresses.map((address) => [
        address.cidr,
        address.grade,
        address.resourceName ?? "?",
        address.via,
        address.pools.join(", "),
      ]),
    );
    lines.push(
      paint("gray", table[0] ?? ""),
      ...table.slice(1).map((line, index) => {
        const grade = sourceIps.addresses[index]?.grade ?? "unknown";
        return line.replace(` ${grade} `, ` ${paint(gradeStyle[grade] ?? "gray", grade)} `);
      }),
    );
    for (const address of sourceIps.addresses.filter((entry) => entry.grade !== "stable"))
      lines.push(paint("yellow", `  ${address.cidr}: ${address.reason}`));
  }
  const whois = results.whois;
  if (whois) {
    lines.push("", paint("bold", `Who owns ${whois.ip}`));
    for (const match of whois.matches) {
      lines.push(`  ${match.kind} ${paint("bold", match.name)}${match.prefix ? ` (${match.prefix})` : ""}`);
      if (match.attachedTo)
        lines.push(`    attached to ${match.attachedTo.type} ${match.attachedTo.id.split("/").pop() ?? ""}`);
      if (match.cluster)
        lines.push(
          `    cluster ${match.cluster.resourceGroup ? `${match.cluster.resourceGroup}/` : ""}${match.cluster.name}`,
        );
      lines.push(paint("gray", `    ${match.resourceId}`));
    }
    if (whois.note) lines.push(`  ${whois.note}`);
  }
  for (const problem of results.problems) lines.push(paint("yellow", `  (not shown: ${problem})`));
  return lines;
}

/** `source-ips` as CSV: one row per address, quoted where needed. */
export function formatSourceIpsCsv(bundle: EvidenceBundle): string | undefined {
  const sourceIps = readResultSections(bundle).sourceIps;
  if (!sourceIps) return undefined;
  const cell = (value: string): string => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const rows = sourceIps.addresses.map((address) =>
    [
      address.cidr,
      address.grade,
      address.resourceName ?? "",
      address.via,
      address.pools.join(" "),
      address.reason,
      sourceIps.asOf,
    ]
      .map(cell)
      .join(","),
  );
  return `${["cidr", "grade", "resource", "via", "pools", "reason", "as_of"].join(",")}\n${rows.join("\n")}\n`;
}
