import type { CliIo } from "../../adapters/cli/cli-io.js";

/** In-memory CLI streams that collect what was written. */
export function memoryIo(
  env: Record<string, string | undefined> = {},
  tty = false,
): CliIo & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    stdout: { write: (text: string) => (out += text), isTTY: tty },
    stderr: { write: (text: string) => (err += text), isTTY: tty },
    env,
    out: () => out,
    err: () => err,
  };
}
