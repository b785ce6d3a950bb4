import { readdirSync } from "node:fs";
import { extname, join } from "node:path";

/**
 * The files of one folder with given extensions, by bare file name. A name the page sends back is
 * only ever matched against this listing, so no path from the browser reaches the file system.
 */
export class FolderFiles {
  constructor(
    readonly folder: string | null,
    private readonly extensions: readonly string[],
  ) {}

  /** File names, sorted; none when there is no folder or it cannot be read. */
  list(): string[] {
    if (!this.folder) return [];
    try {
      return readdirSync(this.folder, { withFileTypes: true })
        .filter((entry) => entry.isFile() && this.extensions.includes(extname(entry.name).toLowerCase()))
        .map((entry) => entry.name)
        .sort((a, b) => a.localeCompare(b));
    } catch {
      return [];
    }
  }

  /** The full path of a listed file name, or null when it is not one. */
  resolve(name: string): string | null {
    return this.folder && this.list().includes(name) ? join(this.folder, name) : null;
  }
}
