#!/usr/bin/env node
// Runs a command with a Node that meets package.json's `engines` floor. When the Node running this
// script is older (Node 20 is what many machines still ship), it fetches Node 24 from the npm
// registry (the `node-<platform>-<arch>` packages, no install scripts) into a cache folder once, and
// runs the command with that Node first on PATH, so `npm start` and `npm test` work as written.
// Plain JavaScript on purpose: it must run on the old Node, before anything is built.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// The `engines.node` range, read as text: this file has no types to give JSON.parse's result.
const engines =
  /"engines"\s*:\s*\{[^}]*"node"\s*:\s*"([^"]+)"/.exec(readFileSync(join(root, "package.json"), "utf8"))?.[1] ?? "";
const floor = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(engines.trim());
const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: node scripts/use-node.mjs <command> [args…]");
  process.exit(2);
}

/**
 * True when `version` (`22.19.0`) is at least the floor.
 * @param {string} version
 */
function meetsFloor(version) {
  if (!floor) return true;
  const have = version.split(".").map(Number);
  const want = floor.slice(1).map(Number);
  for (let index = 0; index < 3; index++) {
    if ((have[index] ?? 0) !== want[index]) return (have[index] ?? 0) > want[index];
  }
  return true;
}

const env = { ...process.env };
if (!meetsFloor(process.versions.node)) {
  /** @type {Record<string, string>} */
  const platforms = { linux: "linux", darwin: "darwin" };
  /** @type {Record<string, string>} */
  const arches = { x64: "x64", arm64: "arm64" };
  const platform = platforms[process.platform];
  const arch = arches[process.arch];
  if (!platform || !arch) {
    console.error(
      `egress-bot needs Node ${engines}; this is ${process.version} on ${process.platform}/${process.arch}, for which no Node package is fetched automatically. Install Node 24 LTS.`,
    );
    process.exit(1);
  }
  const prefix = process.env.EGRESS_NODE_PREFIX || join(homedir(), ".cache", "egress-bot", "node24");
  const bin = join(prefix, "node_modules", `node-${platform}-${arch}`, "bin");
  if (!existsSync(join(bin, "node"))) {
    console.error(
      `Node ${process.version} is older than ${engines}: fetching node-${platform}-${arch}@24 into ${prefix} (once)…`,
    );
    mkdirSync(prefix, { recursive: true });
    const fetched = spawnSync(
      "npm",
      [
        "install",
        "--prefix",
        prefix,
        "--no-save",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        `node-${platform}-${arch}@24`,
      ],
      { stdio: "inherit", shell: process.platform === "win32" },
    );
    if (fetched.status !== 0 || !existsSync(join(bin, "node"))) {
      console.error("Could not fetch Node 24 from the npm registry; install Node 24 LTS and run the command again.");
      process.exit(1);
    }
  }
  env.PATH = `${bin}${delimiter}${env.PATH ?? ""}`;
}
const result = spawnSync(command, args, { stdio: "inherit", env, shell: process.platform === "win32" });
if (result.error) {
  console.error(`${command}: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? (result.signal ? 1 : 0));
