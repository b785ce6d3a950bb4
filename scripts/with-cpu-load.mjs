#!/usr/bin/env node
// Runs a command while every core is kept busy by a spinning process: how CI proves the end-to-end,
// browser and reliability suites wait for events rather than for a quiet machine. The spinners are
// killed when the command ends; its exit code is this script's.
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: node scripts/with-cpu-load.mjs <command> [args…]");
  process.exit(2);
}
const spinners = Array.from({ length: availableParallelism() }, () =>
  spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }),
);
const stopSpinners = () => {
  for (const spinner of spinners) spinner.kill("SIGKILL");
};
process.on("exit", stopSpinners);
console.error(`with-cpu-load: ${spinners.length} spinning process(es) beside \`${[command, ...args].join(" ")}\``);
const child = spawn(command, args, { stdio: "inherit", shell: process.platform === "win32" });
child.on("exit", (code, signal) => {
  stopSpinners();
  process.exit(code ?? (signal ? 1 : 0));
});
