// `npm start` until the chat server exists: shows what the egress CLI can do, by running the built
// bin the way a user would. Every Azure read comes from an example world and is labelled SIMULATED.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { styleText } from "node:util";
import { findPackageRoot } from "../src/app/package-root.js";

const root = findPackageRoot();
const bin = join(root, "dist", "adapters", "cli", "main.js");
const clusterId = "/subscriptions/3f2c9a4e-8b1d-4c6e-9f0a-2d7b5e8c1a94/resourceGroups/rg-example/providers/Microsoft.ContainerService/managedClusters/aks-example";
const example = ["runbook", "test", "runbooks/examples/cluster-route-check.yaml", `clusterId=${clusterId}`, "--world", "worlds/example-udr.yaml"];

const demos: { say: string; args: string[] }[] = [
  { say: "The command grammar, shared by chat and terminal:", args: ["help"] },
  { say: "Bad input gets one line and the usage line (exit 2):", args: ["triage", "aks-prod", "--since", "45d"] },
  { say: "Runbooks are validated up front; every problem is reported as file:line:col:", args: ["runbook", "lint", "runbooks/examples"] },
  { say: "A runbook run against a simulated world (an example UDR cluster that lost its default route):", args: example },
  { say: "The same run as an evidence bundle (JSON, with a digest), first lines:", args: [...example, "--output", "json"] },
];

for (const demo of demos) {
  process.stdout.write(`\n${styleText("bold", `# ${demo.say}`)}\n$ egress ${demo.args.map((arg) => (arg.length > 60 ? `${arg.slice(0, 57)}…` : arg)).join(" ")}\n`);
  const result = spawnSync(process.execPath, [bin, ...demo.args], { cwd: root, encoding: "utf8", env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? "1" : undefined } });
  const output = `${result.stdout}${result.stderr}`;
  const lines = output.split("\n");
  process.stdout.write(demo.args.includes("json") ? `${lines.slice(0, 14).join("\n")}\n  …\n` : output);
  process.stdout.write(`${styleText("dim", `(exit ${result.status ?? "?"})`)}\n`);
}
process.stdout.write("\nThe chat server (Slack, Teams) and the built-in demo world are not part of this build yet; see README.md.\n");
