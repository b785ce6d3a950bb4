#!/usr/bin/env node
// The `egress` command. Only the parser and help load eagerly; the rest is imported on first use.
import { enableCompileCache } from "node:module";

// V8 keeps the code it compiled for the SDKs' hundreds of modules between runs (Node ≥ 22.1): a
// short-lived command spends much of its CPU compiling otherwise. Older Node has no such cache.
(enableCompileCache as typeof enableCompileCache | undefined)?.();
const { runCli } = await import("./run-cli.js");

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
