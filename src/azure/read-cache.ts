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

/** A read in flight: its promise, its own cancellation, and how many callers still wait for it. */
interface InFlight {
  readonly promise: Promise<Cached<unknown>>;
  readonly controller: AbortController;
  waiting: number;
}

/**
 * Coalesces identical reads in flight into one request and keeps answers for a short TTL. Failures
 * are not cached. Answers carry the time they were read, which a cache hit preserves. A shared read
 * has its own cancellation: a caller that cancels leaves it (its wait rejects at once as cancelled),
 * and the request itself is aborted only when every caller has left.
 */
export class ReadCache {
  private readonly inFlight = new Map<string, InFlight>();
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

  /**
   * The cached answer for `key`, or the result of `read` (shared with any identical read in flight).
   * `read` gets the shared request's signal; `callerSignal` cancels this caller's wait only.
   */
  async get<T>(
    key: string,
    read: (signal: AbortSignal) => Promise<T>,
    callerSignal?: AbortSignal,
    cancelled: () => Error = () => new Error("cancelled"),
  ): Promise<Cached<T>> {
    const answer = this.answers.get(key);
    if (answer && answer.expiresAt > this.now()) {
      this.stats.hits++;
      return answer.entry as Cached<T>;
    }
    if (callerSignal?.aborted) throw cancelled();
    let flight = this.inFlight.get(key);
    if (flight) this.stats.coalesced++;
    else {
      this.stats.misses++;
      const started = this.now();
      const controller = new AbortController();
      const promise = read(controller.signal)
        .then((value) => {
          const entry = { value, asOf: new Date(started).toISOString() };
          if (this.ttlInMs > 0) {
            if (this.answers.size >= this.maxEntries) this.answers.delete(this.answers.keys().next().value as string);
            this.answers.set(key, { expiresAt: this.now() + this.ttlInMs, entry });
          }
          return entry;
        })
        .finally(() => {
          if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
        });
      // Nobody may be waiting when it settles (every caller left): never an unhandled rejection.
      promise.catch(() => undefined);
      flight = { promise, controller, waiting: 0 };
      this.inFlight.set(key, flight);
    }
    const shared = flight;
    shared.waiting++;
    return new Promise<Cached<T>>((resolve, reject) => {
      let done = false;
      const leave = (): void => {
        if (done) return;
        done = true;
        callerSignal?.removeEventListener("abort", onAbort);
        shared.waiting--;
      };
      const onAbort = (): void => {
        leave();
        reject(cancelled());
        // The last caller out cancels the request; a new caller starts a fresh one.
        if (shared.waiting === 0) {
          if (this.inFlight.get(key) === shared) this.inFlight.delete(key);
          shared.controller.abort();
        }
      };
      callerSignal?.addEventListener("abort", onAbort, { once: true });
      shared.promise.then(
        (value) => {
          leave();
          resolve(value as Cached<T>);
        },
        (error: unknown) => {
          leave();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }
}
