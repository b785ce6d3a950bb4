/** Where a piece of evidence came from, so anyone can re-check it. */
export interface EvidenceSource {
  /** The operation, e.g. `Microsoft.Network/natGateways/read` or `builtin.note`. */
  readonly operation: string;
  readonly resourceId: string | null;
  readonly apiVersion: string | null;
  /** The query text (KQL, Resource Graph), when the evidence came from a query. */
  readonly query: string | null;
  /** The time window a query covered, ISO-8601 interval. */
  readonly timespan?: string | null;
}

/** A fact with provenance, as it appears in the bundle. */
export interface Evidence {
  readonly id: string;
  readonly stepId: string;
  readonly summary: string;
  readonly data: unknown;
  readonly source: EvidenceSource;
}

/** What a step records; the engine assigns the id and step. */
export interface EvidenceDraft {
  readonly summary: string;
  readonly data: unknown;
  readonly source: Partial<EvidenceSource> & { readonly operation: string };
}
