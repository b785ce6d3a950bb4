import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder of egress-bot's package.json, found by walking up from this module: the same answer from
 * the TypeScript sources (tests) and from the built `dist/` tree.
 */
export function findPackageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let folder = from; ; folder = dirname(folder)) {
    const manifest = join(folder, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "egress-bot")
      return folder;
    if (dirname(folder) === folder) throw new Error("egress-bot: cannot find the package root");
  }
}

/** The folder of the built-in runbooks. */
export function builtinRunbooksFolder(): string {
  return join(findPackageRoot(), "runbooks");
}
