import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { KqlUnsupportedError, type KqlQuery } from "./kql-ast.js";
import { kqlAstFromText } from "./kql-ast-codec.js";
import { parseKql } from "./parse-kql.js";

/** What the main thread sends the parser's worker. */
export interface KqlParseRequest {
  readonly id: number;
  readonly query: string;
}

/** What the worker answers: the AST as text, or why the query could not be parsed. */
export type KqlParseReply =
  | { readonly id: number; readonly ast: string }
  | { readonly id: number; readonly error: string; readonly unsupported: boolean };

interface Waiting {
  /** The worker the parse was sent to: only its failure fails the parse. */
  readonly worker: Worker;
  resolve(query: KqlQuery): void;
  reject(error: Error): void;
}

/** The built worker beside this module; absent when the code runs from its TypeScript sources (tests). */
export const defaultKqlWorkerUrl = new URL("./kql-parser-worker.js", import.meta.url);

/**
 * Parses KQL on a worker thread. Microsoft's Kusto language service spends about a second of CPU building
 * its grammar and then milliseconds per query; on the event loop that second held every chat request
 * (Slack's 3 s ack window included). One worker, started on first use, parses every
 * query in turn; it holds the process open only while a parse is waiting, so a CLI exits when its run
 * ends, and it stops after `idleInMs` without work, giving its memory back. A worker that dies fails
 * the parses waiting on it, and the next parse starts a new one.
 */
export class OffThreadKqlParser {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private parsedOffThread = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  /**
   * @param workerUrl the worker's built module; null, or a file that does not exist, parses on this thread.
   * @param idleInMs how long the worker may sit idle before it is stopped: the language service holds
   *   about 100 MB, and the parse cache means most processes need it for their first queries only.
   */
  constructor(
    private readonly workerUrl: URL | null = defaultKqlWorkerUrl,
    private readonly idleInMs = 30_000,
  ) {}

  /** How many queries the worker has parsed (for tests and diagnostics). */
  get offThreadParses(): number {
    return this.parsedOffThread;
  }

  /** True while a worker thread is running (between the first parse and the idle stop). */
  get running(): boolean {
    return this.worker !== null;
  }

  /** True when parses go to a worker thread (the built code), false when they run on this thread. */
  get usesWorker(): boolean {
    return this.workerUrl !== null && existsSync(fileURLToPath(this.workerUrl));
  }

  /** Parses one query; rejects with {@link KqlUnsupportedError} for syntax errors and unsupported constructs. */
  parse(query: string): Promise<KqlQuery> {
    if (!this.usesWorker) return Promise.resolve().then(() => parseKql(query));
    const worker = this.started();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const id = this.nextId++;
    return new Promise<KqlQuery>((resolve, reject) => {
      this.waiting.set(id, { worker, resolve, reject });
      worker.ref();
      worker.postMessage({ id, query } satisfies KqlParseRequest);
    });
  }

  /** Stops the worker (the next parse starts a new one); waiting parses fail. */
  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerUrl as URL);
    worker.unref();
    worker.on("message", (reply: KqlParseReply) => this.answer(reply, worker));
    worker.on("error", (error: Error) => this.failAll(worker, error));
    worker.on("exit", (code) => this.failAll(worker, new Error(`the KQL parser's worker thread exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  private answer(reply: KqlParseReply, worker: Worker): void {
    const waiting = this.waiting.get(reply.id);
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) {
      worker.unref();
      this.idleTimer = setTimeout(() => void this.close(), this.idleInMs);
      this.idleTimer.unref();
    }
    if (!waiting) return;
    if ("ast" in reply) {
      this.parsedOffThread++;
      waiting.resolve(kqlAstFromText(reply.ast));
    } else waiting.reject(reply.unsupported ? new KqlUnsupportedError(reply.error) : new Error(reply.error));
  }

  private failAll(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = null;
    // A worker stopped while idle exits after a new one may have started: only its own parses fail.
    for (const [id, waiting] of this.waiting) {
      if (waiting.worker !== worker) continue;
      this.waiting.delete(id);
      waiting.reject(error);
    }
  }
}
