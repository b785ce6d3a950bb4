import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { RecentBundles, type EvidenceBundle } from "../../src/index.js";

/** How long a bundle link works. */
export const bundleLinkTtlInMs = 24 * 60 * 60 * 1000;

/**
 * Expiring, signed download links for evidence bundles (Teams bots can't post files into channels).
 * The link carries the run ID, an expiry and an HMAC-SHA256 over both; bundles are kept in memory
 * (the newest 500), so a link outlives neither its expiry nor a restart.
 */
export class BundleLinks {
  private readonly bundles = new RecentBundles(500);
  private readonly key: Buffer;

  constructor(
    private readonly publicUrl: string | null,
    private readonly now: () => number,
    key?: string,
  ) {
    this.key = key ? Buffer.from(key, "utf8") : randomBytes(32);
  }

  /** Keeps the bundle and returns its link, or null when no public URL is configured. */
  linkFor(bundle: EvidenceBundle): string | null {
    if (!this.publicUrl) return null;
    this.bundles.keep(bundle);
    const expires = this.now() + bundleLinkTtlInMs;
    return `${this.publicUrl}/bundles/${encodeURIComponent(bundle.runId)}?expires=${expires}&signature=${this.sign(bundle.runId, expires)}`;
  }

  /** The bundle a link names, or why it can't be given. */
  open(
    runId: string,
    expires: string,
    signature: string,
  ): { ok: true; bundle: EvidenceBundle } | { ok: false; status: 403 | 404 | 410 } {
    const expiresAt = Number(expires);
    const expected = Buffer.from(this.sign(runId, expiresAt));
    const given = Buffer.from(signature);
    if (!Number.isFinite(expiresAt) || given.length !== expected.length || !timingSafeEqual(given, expected))
      return { ok: false, status: 403 };
    if (this.now() > expiresAt) return { ok: false, status: 410 };
    const bundle = this.bundles.get(runId);
    return bundle ? { ok: true, bundle } : { ok: false, status: 404 };
  }

  private sign(runId: string, expires: number): string {
    return createHmac("sha256", this.key).update(`${runId}\n${expires}`).digest("base64url");
  }
}
