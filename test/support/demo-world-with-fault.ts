import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Writes the built-in demo world with one fault appended (a YAML flow mapping such as
 * `{ match: "natGateways$", status: 403 }`) to a fresh temporary folder and returns the file's path.
 * The demo world has no `faults:` key of its own, so appending one keeps the file valid.
 */
export function demoWorldWithFault(fault: string, folder = mkdtempSync(join(tmpdir(), "egress-fault-"))): string {
  const file = join(folder, "world.yaml");
  writeFileSync(file, `${readFileSync("worlds/demo.yaml", "utf8")}\nfaults:\n  - ${fault}\n`);
  return file;
}
