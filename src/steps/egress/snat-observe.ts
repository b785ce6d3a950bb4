import { z } from "zod";
import { defineStep } from "../../core/engine/step-type.js";
import { findingsCatalog } from "../../core/egress/findings-catalog.js";
import type { MetricSeries } from "../../core/azure/model.js";
import { checkDuration } from "../../core/commands/value-syntax.js";
import { EgressError, ErrorCode } from "../../core/errors.js";

const metricsByKind = {
  loadBalancer: [
    { names: ["SnatConnectionCount"], aggregation: "Total", filter: "ConnectionState eq '*'" },
    {
      names: ["UsedSnatPorts", "AllocatedSnatPorts"],
      aggregation: "Average,Maximum",
      filter: "BackendIPAddress eq '*'",
    },
  ],
  natGateway: [
    { names: ["SNATConnectionCount"], aggregation: "Total", filter: "ConnectionState eq '*'" },
    { names: ["PacketDropCount"], aggregation: "Total" },
  ],
  azureFirewall: [{ names: ["SNATPortUtilization"], aggregation: "Average,Maximum" }],
} as const;

const sum = (
  series: readonly MetricSeries[],
  metric: string,
  where: (dimensions: Readonly<Record<string, string>>) => boolean = () => true,
): number =>
  series
    .filter((entry) => entry.metric.toLowerCase() === metric.toLowerCase() && where(entry.dimensions))
    .flatMap((entry) => entry.points)
    .reduce((total, point) => total + (point.total ?? 0), 0);
const peak = (series: readonly MetricSeries[], metric: string): number | null => {
  const values = series
    .filter((entry) => entry.metric.toLowerCase() === metric.toLowerCase())
    .flatMap((entry) => entry.points)
    .map((point) => point.maximum ?? point.average)
    .filter((value): value is number => value !== null);
  return values.length > 0 ? Math.max(...values) : null;
};

/** Reads the SNAT metrics of the resource that translates a cluster's egress, and judges them. */
export const snatObserve = defineStep({
  type: "egress.snat.observe",
  summary: "Read SNAT metrics (load balancer, NAT gateway or firewall) over a window and judge them.",
  access: "read",
  params: z.strictObject({
    kind: z.enum(["loadBalancer", "natGateway", "azureFirewall"]),
    resourceId: z
      .string()
      .regex(/^\/subscriptions\//i)
      .describe("The load balancer, NAT gateway or firewall"),
    since: z
      .string()
      .regex(/^\d{1,9}(m|h|d)$/)
      .default("1h"),
    nodePools: z.array(z.string()).default([]).describe("Pools that leave through it, named in the finding"),
  }),
  outputs: z.object({ snat: z.record(z.string(), z.unknown()) }),
  defaults: { timeoutInMs: 30_000, attempts: 2 },
  async run(params, context) {
    const since = checkDuration(params.since, 30 * 86_400_000, "30d");
    if (!since.ok) throw new EgressError(ErrorCode.InputInvalid, `since "${params.since}": ${since.reason}.`);
    const end = context.clock.now();
    const timespan = `${new Date(end - since.value).toISOString()}/${new Date(end).toISOString()}`;
    const series: MetricSeries[] = [];
    const evidenceIds: string[] = [];
    for (const request of metricsByKind[params.kind]) {
      const read = await context.azure.getMetrics(
        {
          resourceId: params.resourceId,
          metricNames: request.names,
          aggregation: request.aggregation,
          timespan,
          interval: "PT5M",
          ...("filter" in request ? { filter: request.filter } : {}),
        },
        { abortSignal: context.abortSignal },
      );
      series.push(...read.value);
      evidenceIds.push(
        context.record({
          summary: `${request.names.join(", ")} of ${params.resourceId.split("/").pop() ?? ""} over ${params.since}`,
          data: read.value,
          source: read.source,
        }),
      );
    }
    const failed = sum(
      series,
      params.kind === "natGateway" ? "SNATConnectionCount" : "SnatConnectionCount",
      (dimensions) => (dimensions.ConnectionState ?? "").toLowerCase() === "failed",
    );
    const attempted = sum(
      series,
      params.kind === "natGateway" ? "SNATConnectionCount" : "SnatConnectionCount",
      (dimensions) => (dimensions.ConnectionState ?? "").toLowerCase() !== "failed",
    );
    const drops = sum(series, "PacketDropCount");
    const used = peak(series, "UsedSnatPorts");
    const allocated = peak(series, "AllocatedSnatPorts");
    const utilization = peak(series, "SNATPortUtilization");
    const problems = [
      ...(failed > 0 ? [`${failed} failed SNAT connection(s) against ${attempted} successful`] : []),
      ...(drops > 0 ? [`${drops} dropped packet(s)`] : []),
      ...(used !== null && allocated
        ? used / allocated >= 0.8
          ? [`a node used ${used} of its ${allocated} SNAT ports`]
          : []
        : []),
      ...(utilization !== null && utilization >= 80 ? [`SNAT port utilization peaked at ${utilization}%`] : []),
    ];
    const verdict = problems.length > 0 ? `exhaustion observed: ${problems.join("; ")}` : "no SNAT pressure observed";
    const entry = findingsCatalog.SNAT_PORTS_INSUFFICIENT;
    return {
      outputs: {
        snat: {
          kind: params.kind,
          resourceId: params.resourceId,
          window: params.since,
          failedConnections: failed,
          connections: attempted,
          droppedPackets: drops,
          peakUsedPorts: used,
          allocatedPorts: allocated,
          peakUtilizationPercent: utilization,
          verdict,
        },
      },
      findings:
        problems.length > 0
          ? [
              {
                code: "SNAT_PORTS_INSUFFICIENT",
                severity: "error" as const,
                title: `${entry.title} (observed)`,
                detail: `Over the last ${params.since}, ${params.resourceId.split("/").pop() ?? ""} shows ${problems.join("; ")}.`,
                remediation: entry.remediation,
                resourceIds: [params.resourceId],
                nodePools: params.nodePools,
                evidenceIds,
              },
            ]
          : [],
    };
  },
});
