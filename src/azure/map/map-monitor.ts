import type { DiagnosticSettingsResource, Metric } from "@azure/arm-monitor";
import type { DiagnosticSetting, MetricSeries } from "../../core/azure/model.js";

/** Maps a diagnostic setting: destination workspace, table mode and enabled log categories. */
export function toDiagnosticSetting(setting: DiagnosticSettingsResource): DiagnosticSetting {
  return {
    id: setting.id ?? "",
    name: setting.name ?? "",
    workspaceId: setting.workspaceId ?? null,
    destinationType: setting.logAnalyticsDestinationType ?? null,
    enabledCategories: (setting.logs ?? [])
      .filter((log) => log.enabled)
      .map((log) => log.category ?? log.categoryGroup ?? "")
      .filter(Boolean),
  };
}

/** Maps metrics to one series per dimension combination. */
export function toMetricSeries(metrics: readonly Metric[]): MetricSeries[] {
  return metrics.flatMap((metric) =>
    (metric.timeseries ?? []).map((series) => ({
      metric: metric.name.value ?? "",
      unit: metric.unit ?? null,
      dimensions: Object.fromEntries(
        (series.metadatavalues ?? []).map((entry) => [entry.name?.value ?? "", entry.value ?? ""]),
      ),
      points: (series.data ?? []).map((point) => ({
        timeStamp: point.timeStamp instanceof Date ? point.timeStamp.toISOString() : String(point.timeStamp),
        total: point.total ?? null,
        average: point.average ?? null,
        maximum: point.maximum ?? null,
        minimum: point.minimum ?? null,
        count: point.count ?? null,
      })),
    })),
  );
}
