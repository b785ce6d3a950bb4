import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { EgressError, ErrorCode } from "../core/errors.js";
import { validateWorld, type WorldFile } from "../simulated/world.js";

/** What `--world` and `EGRESS_WORLD` accept in this build. */
export const acceptedWorlds = "a world file (egress.world/v1 YAML, e.g. worlds/example-udr.yaml)";

/**
 * Reads and validates a world file. `demo` is refused with what is accepted instead: the built-in
 * demo world is not part of this build.
 */
export function readWorld(reference: string): WorldFile {
  if (reference === "demo") {
    throw new EgressError(ErrorCode.WorldInvalid, `The built-in demo world is not available in this build; --world accepts ${acceptedWorlds}.`);
  }
  let document: unknown;
  try {
    document = parse(readFileSync(reference, "utf8"), { maxAliasCount: 100 });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new EgressError(ErrorCode.WorldInvalid, `Cannot read world ${reference}: ${reason}. --world accepts ${acceptedWorlds}.`, { cause: error });
  }
  const result = validateWorld(document);
  if (!result.ok) {
    const lines = result.issues.map((issue) => `  ${reference}: ${issue.path}: ${issue.message}`);
    throw new EgressError(ErrorCode.WorldInvalid, `World ${reference} is invalid:\n${lines.join("\n")}`, { details: { issues: result.issues } });
  }
  return result.world;
}
