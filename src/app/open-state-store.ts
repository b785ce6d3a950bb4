import type { StateStore } from "../core/ports/state-store.js";
import { openSqliteStateStore } from "../store/sqlite-state-store.js";

/** The state store the bot runs with: the embedded node:sqlite store in `directory` (or `:memory:`). */
export function openStateStore(directory: string): StateStore {
  return openSqliteStateStore(directory);
}
