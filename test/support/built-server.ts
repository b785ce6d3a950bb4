import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { findPackageRoot } from "../../src/app/package-root.js";

/** A built server process (`dist/adapters/server/main.js`) and the port it listens on. */
export interface BuiltServer {
  readonly child: ChildProcess;
  readonly port: number;
  /** Everything the process wrote to stdout so far (its JSON log lines). */
  output(): string;
}

/**
 * Starts the built server as `npm start` and the image do, with `PORT=0` and the given environment
 * (PATH is passed on); resolves once its start-up log names the port.
 */
export async function startBuiltServer(
  env: Readonly<Record<string, string>>,
  options: { readonly nodeFlags?: readonly string[]; readonly cwd?: string } = {},
): Promise<BuiltServer> {
  const child = spawn(
    process.execPath,
    [...(options.nodeFlags ?? []), join(findPackageRoot(), "dist", "adapters", "server", "main.js")],
    {
      env: { PATH: process.env.PATH, PORT: "0", EGRESS_CONFIG: "", ...env },
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let buffer = "";
  child.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
  });
  const port = await new Promise<number>((resolve, reject) => {
    const listening = (): void => {
      const match = /"port":(\d+)/.exec(buffer);
      if (!match) return;
      child.stdout.off("data", listening);
      resolve(Number(match[1]));
    };
    child.stdout.on("data", listening);
    child.once("exit", () => reject(new Error(`server exited: ${buffer}`)));
  });
  return { child, port, output: () => buffer };
}
