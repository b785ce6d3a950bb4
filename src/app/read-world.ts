import { readFileSync, statSync } from "node:fs";
import { describeYamlProblem } from "../core/yaml-problem.js";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parse } from "yaml";
import { ParsedTextCache } from "../simulated/parsed-text-cache.js";
import { EgressError, ErrorCode } from "../core/errors.js";
import { validateWorld, type WorldFile } from "../simulated/world.js";
import { findPackageRoot } from "./package-root.js";

/** What `--world` and `EGRESS_WORLD` accept. */
export const acceptedWorlds =
  "demo (the built-in demo world) or a world file (egress.world/v1 YAML, e.g. worlds/example-udr.yaml)";

const yamlOptions = { maxAliasCount: 100 } as const;

/** The largest world file read: a 2,000-cluster fleet is about 6 MB; a file past this is a mistake. */
export const maxWorldBytes = 64 * 1024 * 1024;

// The demo world is 77 KB of YAML: on a cold JIT its parse costs ~150 ms of a CLI run's CPU, reading
// the parsed document back ~3 ms. Validation still runs on every read.
const parsedWorlds = new ParsedTextCache<unknown>({
  namespace: "worlds",
  fingerprint: () => {
    const { version } = createRequire(import.meta.url)("yaml/package.json") as { version: string };
    return `yaml ${version} ${JSON.stringify(yamlOptions)}`;
  },
});

/** Reads and validates a world file; `demo` names the built-in demo world. */
export function readWorld(reference: string): WorldFile {
  const file = reference === "demo" ? join(findPackageRoot(), "worlds", "demo.yaml") : reference;
  let document: unknown;
  try {
    if (statSync(file).size > maxWorldBytes)
      throw new Error(`the file is larger than ${maxWorldBytes / 1024 / 1024} MiB`);
    document = parsedWorlds.parse(readFileSync(file, "utf8"), (text) => parse(text, yamlOptions) as unknown);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : describeYamlProblem(error);
    throw new EgressError(
      ErrorCode.WorldInvalid,
      `Cannot read world ${reference}: ${reason}. --world accepts ${acceptedWorlds}.`,
      { cause: error },
    );
  }
  const result = validateWorld(document);
  if (!result.ok) {
    const lines = result.issues.map((issue) => `  ${reference}: ${issue.path}: ${issue.message}`);
    throw new EgressError(ErrorCode.WorldInvalid, `World ${reference} is invalid:\n${lines.join("\n")}`, {
      details: { issues: result.issues },
    });
  }
  return result.world;
}
