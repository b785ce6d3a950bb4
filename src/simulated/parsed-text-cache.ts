import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** Where parsed texts are kept between processes: `$XDG_CACHE_HOME/egress-bot` (or `~/.cache/egress-bot`). */
export function defaultParseCacheDirectory(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "egress-bot");
}

/** How one kind of parsed text is cached. */
export interface ParsedTextCacheOptions {
  /** The folder under the cache directory (`kql`, `worlds`). */
  readonly namespace: string;
  /**
   * What an entry depends on besides the text: the parser's version or source. Computed once, on
   * first use; changing it means old entries are never read.
   */
  readonly fingerprint: () => string;
  /** The cache directory; null keeps entries in memory only. @default {@link defaultParseCacheDirectory} */
  readonly directory?: string | null;
  /**
   * For values that are not plain JSON: `tag` gives a value its stored form (or undefined to store
   * it as JSON would, `toJSON` included), `reviver` turns the stored form back.
   */
  readonly tag?: (value: unknown) => unknown;
  readonly reviver?: (key: string, value: unknown) => unknown;
}

/**
 * Parsed text (KQL, world YAML), kept in memory and on disk, keyed by a hash of the text and the
 * parser's fingerprint. Parsers that build a grammar or walk a large document on a cold JIT cost
 * far more than reading their result back: a later process reads the result instead. Only
 * successful parses are kept; a cache that cannot be read or written is skipped, never an error.
 */
export class ParsedTextCache<T> {
  private readonly memory = new Map<string, T>();
  private readonly inFlight = new Map<string, Promise<T>>();
  private fingerprint: string | null = null;
  private readonly directory: string | null;

  constructor(private readonly options: ParsedTextCacheOptions) {
    const base = options.directory === undefined ? defaultParseCacheDirectory() : options.directory;
    this.directory = base === null ? null : join(base, options.namespace);
  }

  /** The text's parse: from memory, from disk, or parsed now (and kept). */
  parse(text: string, parse: (text: string) => T): T {
    const remembered = this.memory.get(text);
    if (remembered !== undefined) return remembered;
    const key = this.keyOf(text);
    const stored = this.read(key);
    return this.keep(text, key, stored ?? parse(text), stored !== undefined);
  }

  /**
   * The text's parse, where parsing is asynchronous (a worker thread): from memory, from disk, or
   * parsed now. Concurrent callers with the same text share one parse; a failed parse is not kept.
   */
  async parseAsync(text: string, parse: (text: string) => Promise<T>): Promise<T> {
    const remembered = this.memory.get(text);
    if (remembered !== undefined) return remembered;
    const running = this.inFlight.get(text);
    if (running) return running;
    const parsing = this.parseOnce(text, parse).finally(() => this.inFlight.delete(text));
    this.inFlight.set(text, parsing);
    return parsing;
  }

  private async parseOnce(text: string, parse: (text: string) => Promise<T>): Promise<T> {
    const key = this.keyOf(text);
    const stored = this.read(key);
    return this.keep(text, key, stored ?? (await parse(text)), stored !== undefined);
  }

  /** The disk key of a text: its hash with the parser's fingerprint. */
  private keyOf(text: string): string {
    this.fingerprint ??= this.options.fingerprint();
    return createHash("sha256").update(`${this.fingerprint}\n${text}`).digest("hex");
  }

  /** Remembers a parse in memory, and on disk unless it came from there. */
  private keep(text: string, key: string, value: T, fromDisk: boolean): T {
    this.memory.set(text, value);
    if (!fromDisk) this.write(key, value);
    return value;
  }

  private read(key: string): T | undefined {
    if (!this.directory) return undefined;
    try {
      return JSON.parse(readFileSync(join(this.directory, `${key}.json`), "utf8"), this.options.reviver) as T;
    } catch {
      return undefined;
    }
  }

  private write(key: string, value: T): void {
    if (!this.directory) return;
    try {
      mkdirSync(this.directory, { recursive: true });
      // Written aside, then renamed: a concurrent reader sees the whole entry or none.
      const temporary = join(this.directory, `${key}.${process.pid}.${Date.now()}.tmp`);
      writeFileSync(temporary, stringifyTagged(value, this.options.tag));
      renameSync(temporary, join(this.directory, `${key}.json`));
    } catch {
      // A read-only home or a full disk costs the next process a parse, nothing more.
    }
  }
}

/**
 * JSON text of a value, where `tag` may give any value a stored form of its own (undefined keeps JSON's
 * own, `toJSON` included): how values that hold class instances are written and sent between threads.
 */
export function stringifyTagged(value: unknown, tag?: (value: unknown) => unknown): string {
  if (!tag) return JSON.stringify(value);
  // A replacer sees a value after its toJSON; the holder still has the original.
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, serialised: unknown): unknown {
    return tag(this[key]) ?? serialised;
  });
}
