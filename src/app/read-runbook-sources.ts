import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative } from "node:path";
import type { RunbookSource } from "../core/runbooks/load-runbook.js";

const isRunbookFile = (name: string): boolean => [".yaml", ".yml"].includes(extname(name).toLowerCase());

/** One path that could not be read. */
export interface ReadProblem {
  readonly file: string;
  readonly message: string;
}

/**
 * Reads runbook files: each path is a file, or a folder whose `*.yaml`/`*.yml` files (not sub-folders)
 * are read. File names are shown relative to `cwd`.
 */
export function readRunbookSources(
  paths: readonly string[],
  cwd: string = process.cwd(),
): { sources: RunbookSource[]; problems: ReadProblem[] } {
  const sources: RunbookSource[] = [];
  const problems: ReadProblem[] = [];
  const read = (file: string): void => {
    sources.push({ file: relative(cwd, file) || file, text: readFileSync(file, "utf8") });
  };
  for (const path of paths) {
    try {
      if (statSync(path).isDirectory()) {
        readdirSync(path)
          .filter(isRunbookFile)
          .sort()
          .forEach((name) => read(join(path, name)));
      } else {
        read(path);
      }
    } catch (error) {
      problems.push({
        file: path,
        message: (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or folder" : String(error),
      });
    }
  }
  return { sources, problems };
}
