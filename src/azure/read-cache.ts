/** Options for {@link ReadCache}. */
export interface ReadCacheOptions {
  /** How long an answer is reused. 0 disables caching (in-flight reads still coalesce). @default 30000 */
  readonly ttlInMs?: number;
  /** The clock the TTL is measured on. @default Date.now */
  readonly now?: () => number;
  /** Most entries kept; the oldest go first. @default 5000 */
  readonly maxEntries?: number;
}

/** What the cache keeps: the value and when it was read, so answers can say "as of". */
export interface Cached<T> {
  readonly value: T;
  readonly asOf: string;
}

/**
 * Coalesces identical reads in flight into one request and keeps answers for a short TTL. Failures
 * are not cached. Answers carry the time they were read, which a cache hit preserves.
 */
export class ReadCache {
  private readonly inFlight = new Map<string, Promise<Cached<unknown>>>();
  private readonly answers = new Map<string, { expiresAt: number; entry: Cached<unknown> }>();
  private readonly ttlInMs: number;
  private readonly now: () => number;
  private readonly maxEntries: number;
  /** Reads answered from the cache or an in-flight request, and reads that went out. */
  readonly stats = { hits: 0, coalesced: 0, misses: 0 };

  constructor(options: ReadCacheOptions = {}) {
    this.ttlInMs = options.ttlInMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 5000;
  }

  /** The cached answer for `key`, or the result of `read` (shared with any identical read in flight). */
  async get<T>(key: string, read: () => Promise<T>): Promise<Cached<T>> {
    const answer = this.answers.get(key);
    if (answer && answer.expiresAt > this.now()) {
      this.stats.hits++;
      return answer.entry as Cached<T>;
    }
    const pending = this.inFlight.get(key);
    if (pending) {
      this.stats.coalesced++;
      return pending as Promise<Cached<T>>;
    }
    this.stats.misses++;
    const started = this.now();
    const request = read()
      .then((value) => {
        const entry = { value, asOf: new Date(started).toISOString() };
        if (this.ttlInMs > 0) {
          if (this.answers.size >= this.maxEntries) this.answers.delete(this.answers.keys().next().value as string);
          this.answers.set(key, { expiresAt: this.now() + this.ttlInMs, entry });
        }
        return entry;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, request);
    return request;
  }
}
