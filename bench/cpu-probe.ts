// Runs one `egress` command in this process, started as the `egress` binary starts, and prints the
// CPU it cost (user + system, ms) last.
import { enableCompileCache } from "node:module";
import type { CliIo } from "../adapters/cli/cli-io.js";

(enableCompileCache as typeof enableCompileCache | undefined)?.();
const { runCli } = await import("../adapters/cli/run-cli.js");

// The command's own output is dropped: only the CPU figure is printed.
const io: CliIo = {
  env: process.env,
  stdout: { write: () => true, isTTY: false },
  stderr: { write: () => true, isTTY: false },
};
const code = await runCli(process.argv.slice(2), io);
const usage = process.cpuUsage();
process.stdout.write(`${(usage.user + usage.system) / 1000}\n`);
process.exitCode = code === 0 || code === 1 ? 0 : code;
