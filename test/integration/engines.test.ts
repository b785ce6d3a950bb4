import { describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import semver from "semver";

interface Lock {
  packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }>;
}
const manifest = JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } };
const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as Lock;
// Every package `npm ci` installs, with the Node versions it declares it runs on.
const ranges = Object.entries(lock.packages)
  .map(([path, entry]) => [path || "(root)", Array.isArray(entry.engines) ? undefined : entry.engines?.node] as const)
  .filter(
    (pair): pair is readonly [string, string] => typeof pair[1] === "string" && semver.validRange(pair[1]) !== null,
  );
const floor = semver.minVersion(manifest.engines.node)?.version ?? "0.0.0";

describe("the Node floor in package.json", () => {
  it("is met by every package the lockfile installs", () => {
    expect(ranges.length).toBeGreaterThan(50);
    expect(ranges.filter(([, range]) => !semver.satisfies(floor, range))).toEqual([]);
  });

  it("is the real floor: the Node release before it fails some package's requirement", () => {
    const previous = `${semver.major(floor)}.${semver.minor(floor) - 1}.0`;
    expect(ranges.filter(([, range]) => !semver.satisfies(previous, range)).length).toBeGreaterThan(0);
  });
});

describe("the launcher behind npm start and npm test", () => {
  const oldNode = "/usr/bin/node";
  const version = existsSync(oldNode)
    ? spawnSync(oldNode, ["-p", "process.versions.node"]).stdout.toString().trim()
    : "";
  const prefix = process.env.EGRESS_NODE_PREFIX || join(homedir(), ".cache", "egress-bot", "node24");
  // Runs only where the machine's own Node is older than the floor and Node 24 was already fetched
  // (as .ci/run does), so the test never downloads anything.
  const runnable =
    version !== "" &&
    semver.lt(version, floor) &&
    existsSync(join(prefix, "node_modules", `node-${process.platform}-${process.arch}`, "bin", "node"));
  (runnable ? it : it.skip)("runs the command on Node 24 when started by an older Node", () => {
    const result = spawnSync(oldNode, ["scripts/use-node.mjs", "node", "-p", "process.versions.node"], {
      env: { ...process.env, EGRESS_NODE_PREFIX: prefix, PATH: "/usr/bin:/bin" },
    });
    expect(result.status).toBe(0);
    expect(semver.gte(result.stdout.toString().trim(), floor)).toBe(true);
  });

  it("passes the command's exit status through", () => {
    const result = spawnSync(process.execPath, ["scripts/use-node.mjs", "node", "-e", "process.exit(7)"]);
    expect(result.status).toBe(7);
  });
});
