import type { EvidenceBundle } from "../../src/index.js";

/** The bundles of recent console runs, for download; the newest `limit` are kept (in memory). */
export class ConsoleBundles {
  private readonly bundles = new Map<string, EvidenceBundle>();

  constructor(private readonly limit = 200) {}

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
