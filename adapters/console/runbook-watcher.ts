import type { EgressService } from "../../src/index.js";
import { fileVersion } from "./file-version.js";
import type { RunbookIssueView } from "./web/console-protocol.js";

/** What loading a runbook file gave: its name and inputs, or where it is wrong. */
export interface RunbookFileState {
  readonly name: string | null;
  readonly inputs: readonly string[];
  readonly issues: readonly RunbookIssueView[];
}

type Listener = (state: RunbookFileState) => void;

interface Watch {
  readonly listeners: Set<Listener>;
  readonly timer: NodeJS.Timeout;
  version: string;
}

/**
 * Watches the runbook files people are trying and tells their pages on every save. It polls the
 * file's stat itself rather than using `fs.watch` (editors that save by renaming a new file over
 * the old one end such a watch) or `fs.watchFile` (whose first look happens later, so a save right
 * after picking the file could be missed): the version is taken before the file is read, so no
 * save between the two goes unseen.
 */
export class RunbookWatcher {
  private readonly watched = new Map<string, Watch>();

  constructor(
    private readonly load: EgressService["loadRunbookFile"],
    private readonly intervalInMs = 250,
  ) {}

  /** Loads the file now. */
  read(file: string): RunbookFileState {
    const loaded = this.load(file);
    if (loaded.ok)
      return { name: loaded.runbook.name, inputs: loaded.runbook.inputs.map((input) => input.name), issues: [] };
    return {
      name: null,
      inputs: [],
      issues: loaded.issues.map((issue) => ({ line: issue.line, column: issue.column, message: issue.message })),
    };
  }

  /** Reads the file, then calls `listener` with its state after every change; `stop` ends that. */
  watch(file: string, listener: Listener): { readonly state: RunbookFileState; readonly stop: () => void } {
    let watch = this.watched.get(file);
    if (!watch) {
      const listeners = new Set<Listener>();
      const created: Watch = {
        listeners,
        version: fileVersion(file),
        timer: setInterval(() => {
          const version = fileVersion(file);
          if (version === created.version) return;
          created.version = version;
          const state = this.read(file);
          for (const notify of listeners) notify(state);
        }, this.intervalInMs).unref(),
      };
      watch = created;
      this.watched.set(file, created);
    }
    watch.listeners.add(listener);
    const state = this.read(file);
    return {
      state,
      stop: () => {
        const current = this.watched.get(file);
        if (!current) return;
        current.listeners.delete(listener);
        if (current.listeners.size === 0) {
          clearInterval(current.timer);
          this.watched.delete(file);
        }
      },
    };
  }

  /** Stops every watch (shutdown). */
  closeAll(): void {
    for (const watch of this.watched.values()) clearInterval(watch.timer);
    this.watched.clear();
  }
}
