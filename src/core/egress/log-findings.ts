import type { Destination } from "../commands/value-syntax.js";
import type { FindingDraft } from "../evidence/finding.js";
import { findingsCatalog } from "./findings-catalog.js";
import type { DenyGroup } from "./read-firewall-denies.js";

const draft = (
  code: "REQUIRED_ENDPOINT_DENIED" | "DESTINATION_DENIED",
  detail: string,
  resourceIds: readonly string[],
  evidenceIds: readonly string[],
): FindingDraft => ({
  code,
  severity: findingsCatalog[code].severity,
  title: findingsCatalog[code].title,
  detail,
  remediation: findingsCatalog[code].remediation,
  resourceIds,
  nodePools: [],
  evidenceIds,
});

const describe = (group: DenyGroup, window: string): string =>
  `${group.denies} deny(ies) of ${group.destination} (${group.protocol}) over ${window} from ${group.sources.slice(0, 5).join(", ")}${group.sources.length > 5 ? ` and ${group.sources.length - 5} more` : ""}; last at ${group.lastSeen ?? "?"}${group.reasons.length > 0 ? `; reason: ${group.reasons.slice(0, 2).join("; ")}` : ""}.`;

/** Findings from firewall denies: AKS-required endpoints denied (critical), and the triage destination denied. */
export function drawLogFindings(
  groups: readonly DenyGroup[],
  destination: Destination | undefined,
  window: string,
  firewallId: string,
  evidenceIds: readonly string[],
): FindingDraft[] {
  const findings: FindingDraft[] = [];
  for (const group of groups) {
    if (group.requiredEndpoint)
      findings.push(
        draft(
          "REQUIRED_ENDPOINT_DENIED",
          `${group.requiredEndpoint} is required by AKS: ${describe(group, window)}`,
          [firewallId],
          evidenceIds,
        ),
      );
    const [host, port] = [
      group.destination.slice(0, group.destination.lastIndexOf(":")),
      Number(group.destination.slice(group.destination.lastIndexOf(":") + 1)),
    ];
    if (
      destination &&
      host.toLowerCase() === destination.host &&
      (destination.port === null || destination.port === port)
    )
      findings.push(draft("DESTINATION_DENIED", describe(group, window), [firewallId], evidenceIds));
  }
  return findings;
}
