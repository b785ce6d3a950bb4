// Benchmark of the one answer view: building it from a large bundle and rendering it to every
// platform (Slack Block Kit, Teams cards, terminal text, Markdown, the path picture's SVG).
import { formatViewText } from "../adapters/cli/format-view-text.js";
import { renderSummary } from "../adapters/slack/render-blocks.js";
import { renderSummaryCards } from "../adapters/teams/render-card.js";
import { buildAnswerView, formatBundleMarkdown, pathPicture, type EvidenceBundle } from "../src/index.js";
import { median } from "./median.js";

/** A denies bundle with `findings` findings and `rows` deny rows, and two node pools. */
function largeBundle(findings: number, rows: number): EvidenceBundle {
  const pool = (name: string) => ({
    name,
    mode: "User",
    count: 3,
    maxCount: 10,
    nodeSubnetId: "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v/subnets/nodes",
    podSubnetId: null,
    egress: {
      kind: "azureFirewall",
      snatBy: {
        type: "azureFirewall",
        resourceId: "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/azureFirewalls/afw",
      },
      via: [
        "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v/subnets/nodes",
        "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/routeTables/rt",
        "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/azureFirewalls/afw",
      ],
      routeTableId: "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/routeTables/rt",
      nextHopIp: "10.0.1.4",
      routeBasis: "configured",
      effectiveRoutesOf: null,
    },
    sourceCidrs: ["20.61.0.10/32", "20.61.0.11/32"],
    sources: { state: "known", reason: null },
    matchesOutboundType: true,
    podEgress: null,
    podSourceCidrs: null,
    podSources: null,
  });
  return {
    schema: "egress.evidence/v1",
    runId: "bench-1",
    runbook: { name: "denies", version: "1.0.0" },
    simulated: true,
    status: "succeeded",
    startedAt: "2026-11-24T10:00:00.000Z",
    finishedAt: "2026-11-24T10:00:01.000Z",
    requestedBy: { platform: "cli", user: null, channel: null, thread: null },
    cluster: {
      id: "/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerService/managedClusters/aks",
      name: "aks",
      resourceGroup: "r",
      subscriptionId: "s",
      location: "westeurope",
      outboundType: "userDefinedRouting",
      privateCluster: false,
      authorizedIpRanges: [],
    },
    nodePools: [pool("system"), pool("user")],
    denies: {
      window: "1d",
      logs: "resource-specific tables",
      firewalls: [{ name: "afw" }],
      sourceCidrs: ["10.20.0.0/22"],
      more: 0,
      groups: Array.from({ length: rows }, (_, index) => ({
        destination: `host-${index}.example.com:443`,
        protocol: "HTTPS",
        denies: index + 1,
        firstSeen: "2026-11-24T09:00:00.000Z",
        lastSeen: "2026-11-24T09:59:00.000Z",
        sources: ["10.20.0.5"],
        reasons: ["No rule matched. Proceeding with default action"],
        requiredEndpoint: index % 20 === 0 ? "packages.aks.azure.com" : null,
      })),
    },
    findings: Array.from({ length: findings }, (_, index) => ({
      code: "DESTINATION_DENIED",
      severity: index === 0 ? "critical" : "warning",
      title: `The firewall denied destination ${index}`,
      detail: `${index + 1} deny(ies) of host-${index}.example.com:443 (HTTPS) over 1d from 10.20.0.5; reason: No rule matched.`,
      remediation: "If the destination is intended, add an allow rule for the cluster's subnets.",
      resourceIds: [],
      nodePools: ["system"],
      evidenceIds: [`egress-${index}`],
    })),
    steps: [],
    evidence: [],
    next: [{ label: "Triage", command: "triage r/aks" }],
    digest: "sha256:bench",
  } as unknown as EvidenceBundle;
}

/** Median time to build the view of a 50-finding, 200-deny bundle and render it to every platform. */
export function viewBenchmarks(): [string, string, string, boolean][] {
  const bundle = largeBundle(50, 200);
  const plain = (_style: string, text: string): string => text;
  const timings: number[] = [];
  for (let round = 0; round < 25; round++) {
    const started = performance.now();
    const view = buildAnswerView(bundle);
    renderSummary(view, ["k1"]);
    renderSummaryCards(view, ["k1"], "https://egress.example/b");
    formatViewText(view, plain);
    formatBundleMarkdown(bundle);
    pathPicture(view);
    timings.push(performance.now() - started);
  }
  const time = median(timings.slice(5));
  return [
    [
      "render one answer (50 findings, 200 deny rows) to Slack, Teams, terminal text, Markdown and the path SVG",
      `${time.toFixed(1)} ms`,
      "< 20 ms",
      time < 20,
    ],
  ];
}
