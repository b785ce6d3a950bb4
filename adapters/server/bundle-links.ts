import { createHmac, timingSafeEqual } from "node:crypto";
import type { EvidenceBundle, StateStore } from "../../src/index.js";

/** How long a bundle link works. */
export const bundleLinkTtlInMs = 24 * 60 * 60 * 1000;

/**
 * Expiring, signed download links for evidence bundles (Teams bots can't post files into channels).
 * The link carries the run ID, an expiry and an HMAC-SHA256 over both. Bundles are kept in the state
 * store for the link's lifetime, and the signing key is `EGRESS_LINK_KEY` or, without it, a key the
 * store shares: a link one replica signs opens on another, and after a restart.
 */
export class BundleLinks {
  private key: Promise<Buffer> | null = null;

  constructor(
    private readonly publicUrl: string | null,
    private readonly now: () => number,
    private readonly store: StateStore,
    private readonly configuredKey?: string,
  ) {}

  /** Keeps the bundle and returns its link, or null when no public URL is configured. */
  async linkFor(bundle: EvidenceBundle): Promise<string | null> {
    if (!this.publicUrl) return null;
    const now = this.now();
    await this.store.putBundle(bundle.runId, bundle, now, bundleLinkTtlInMs);
    const expires = now + bundleLinkTtlInMs;
    return `${this.publicUrl}/bundles/${encodeURIComponent(bundle.runId)}?expires=${expires}&signature=${await this.sign(bundle.runId, expires)}`;
  }

  /** The bundle a link names, or why it can't be given. */
  async open(
    runId: string,
    expires: string,
    signature: string,
  ): Promise<{ ok: true; bundle: EvidenceBundle } | { ok: false; status: 403 | 404 | 410 }> {
    const expiresAt = Number(expires);
    const expected = Buffer.from(await this.sign(runId, expiresAt));
    const given = Buffer.from(signature);
    if (!Number.isFinite(expiresAt) || given.length !== expected.length || !timingSafeEqual(given, expected))
      return { ok: false, status: 403 };
    if (this.now() > expiresAt) return { ok: false, status: 410 };
    const bundle = (await this.store.getBundle(runId, this.now())) as EvidenceBundle | undefined;
    return bundle ? { ok: true, bundle } : { ok: false, status: 404 };
  }

  private async sign(runId: string, expires: number): Promise<string> {
    this.key ??= this.configuredKey
      ? Promise.resolve(Buffer.from(this.configuredKey, "utf8"))
      : this.store.sharedKey("bundle-links").then((value) => Buffer.from(value, "utf8"));
    return createHmac("sha256", await this.key)
      .update(`${runId}\n${expires}`)
      .digest("base64url");
  }
}
