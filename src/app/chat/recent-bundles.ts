import type { EvidenceBundle } from "../../core/evidence/bundle.js";

/** The newest bundles by run ID, kept in memory for download links; the oldest goes first past `limit`. */
export class RecentBundles {
  private readonly bundles = new Map<string, EvidenceBundle>();

  constructor(private readonly limit: number) {}

  keep(bundle: EvidenceBundle): void {
    this.bundles.delete(bundle.runId);
    this.bundles.set(bundle.runId, bundle);
    if (this.bundles.size > this.limit) {
      const [oldest] = this.bundles.keys();
      if (oldest !== undefined) this.bundles.delete(oldest);
    }
  }

  get(runId: string): EvidenceBundle | undefined {
    return this.bundles.get(runId);
  }
}
