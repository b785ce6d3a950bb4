import { unwatchFile, watchFile, type Stats } from "node:fs";
import type { EgressService } from "../../src/index.js";
import type { RunbookIssueView } from "./web/console-protocol.js";

/** What loading a runbook file gave: its name and inputs, or where it is wrong. */
export interface RunbookFileState {
  readonly name: string | null;
  readonly inputs: readonly string[];
  readonly issues: readonly RunbookIssueView[];
}

type Listener = (state: RunbookFileState) => void;

/**
 * Watches the runbook files people are trying and tells their pages on every save. Polls the file's
 * stat rather than using `fs.watch`: editors that save by writing a new file and renaming it over
 * the old one would otherwise stop the watch after the first save.
 */
export class RunbookWatcher {
  private readonly watched = new Map<string, Set<Listener>>();

  constructor(
    private readonly load: EgressService["loadRunbookFile"],
    private readonly intervalInMs = 250,
  ) {}

  /** Loads the file now. */
  read(file: string): RunbookFileState {
    const loaded = this.load(file);
    if (loaded.ok) return { name: loaded.runbook.name, inputs: loaded.runbook.inputs.map((input) => input.name), issues: [] };
    return { name: null, inputs: [], issues: loaded.issues.map((issue) => ({ line: issue.line, column: issue.column, message: issue.message })) };
  }

  /** Calls `listener` with the file's state after every change; returns the function that stops it. */
  watch(file: string, listener: Listener): () => void {
    let listeners = this.watched.get(file);
    if (!listeners) {
      const current = new Set<Listener>();
      listeners = current;
      this.watched.set(file, current);
      watchFile(file, { interval: this.intervalInMs, persistent: false }, (now: Stats, before: Stats) => {
        if (now.mtimeMs === before.mtimeMs && now.size === before.size) return;
        const state = this.read(file);
        for (const notify of current) notify(state);
      });
    }
    listeners.add(listener);
    return () => {
      const set = this.watched.get(file);
      if (!set) return;
      set.delete(listener);
      if (set.size === 0) {
        this.watched.delete(file);
        unwatchFile(file);
      }
    };
  }

  /** Stops every watch (shutdown). */
  closeAll(): void {
    for (const file of this.watched.keys()) unwatchFile(file);
    this.watched.clear();
  }
}
