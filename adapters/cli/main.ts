#!/usr/bin/env node
// The `egress` command. Only the parser and help load eagerly; the rest is imported on first use.
import { runCli } from "./run-cli.js";

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
