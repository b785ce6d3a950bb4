import { statSync } from "node:fs";

/**
 * A file's version for change detection: a save changes its modification time or its size. A file
 * that cannot be read is the version `missing`.
 */
export function fileVersion(file: string): string {
  try {
    const stats = statSync(file);
    return `${stats.mtimeMs}:${stats.size}`;
  } catch {
    return "missing";
  }
}
