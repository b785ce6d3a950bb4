import { builtinRunbooksFolder, type ChatCommandHandler, type EgressService } from "../../src/index.js";
import { fileVersion } from "./file-version.js";
import type { ConsoleWorkspace, OpenWorkspace } from "./mount-console.js";
import type { WorldArgument } from "./world-choices.js";

/** How {@link workspaceCache} builds a workspace it does not have yet. */
export interface WorkspaceFactory {
  /** The server's own world and workspace, used as they are when nothing else is asked for. */
  readonly serverWorld: WorldArgument;
  readonly serverWorkspace: ConsoleWorkspace;
  /** A service reading `world` with these runbook files and folders (null: the built-in runbooks). */
  readonly createService: (world: WorldArgument, runbookPaths: readonly string[] | null) => Promise<EgressService>;
  /** A handler like the server's own (same store, limits and hooks) for another service. */
  readonly createHandler: (service: EgressService) => ChatCommandHandler;
  /** Workspaces kept. @default 8 */
  readonly limit?: number;
}

// A save changes a file's version, so the next run builds a fresh service from the new text (that is
// the runbook picker's live reload). `demo` is built in and never changes.
const versionOf = (file: string | null): string => (file === null || file === "demo" ? "" : fileVersion(file));

/** Opens workspaces for the console, building each world and runbook file version once. */
export function workspaceCache(factory: WorkspaceFactory): OpenWorkspace {
  const cache = new Map<string, Promise<ConsoleWorkspace>>();
  const limit = factory.limit ?? 8;
  return ({ world, runbookFile }) => {
    if (world === factory.serverWorld && runbookFile === null) return Promise.resolve(factory.serverWorkspace);
    const key = JSON.stringify([world, versionOf(world), runbookFile, versionOf(runbookFile)]);
    let workspace = cache.get(key);
    if (!workspace) {
      // The file under trial comes first, so it wins a name clash with a built-in runbook.
      workspace = factory
        .createService(world, runbookFile === null ? null : [runbookFile, builtinRunbooksFolder()])
        .then((service) => ({ service, handler: factory.createHandler(service) }));
      // A failed build (a broken world file) is not kept: the next run tries again after the fix.
      void workspace.catch(() => cache.delete(key));
      cache.set(key, workspace);
      if (cache.size > limit) {
        const [oldest] = cache.keys();
        if (oldest !== undefined) cache.delete(oldest);
      }
    }
    return workspace;
  };
}
