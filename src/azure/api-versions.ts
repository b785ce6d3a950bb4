/** The api-versions the pinned SDKs send, recorded in evidence (checked by a test against recorded requests). */
export const apiVersions = {
  containerService: "2026-06-01",
  network: "2026-01-01",
  diagnosticSettings: "2021-05-01-preview",
  metrics: "2024-02-01",
  resourceGraph: "2024-04-01",
  operationalInsights: "2023-09-01",
} as const;

/** The api-version used for a generic GET of a resource, by provider. */
export function apiVersionForProvider(provider: string): string | undefined {
  switch (provider.toLowerCase()) {
    case "microsoft.containerservice":
      return apiVersions.containerService;
    case "microsoft.network":
      return apiVersions.network;
    case "microsoft.operationalinsights":
      return apiVersions.operationalInsights;
    default:
      return undefined;
  }
}
