// `npm start` until the chat server exists: shows what the egress CLI can do, by running the built
// bin the way a user would. Every Azure read comes from an example world and is labelled SIMULATED.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { styleText } from "node:util";
import { findPackageRoot } from "../src/app/package-root.js";

const root = findPackageRoot();
const bin = join(root, "dist", "adapters", "cli", "main.js");
const clusterId = "/subscriptions/3f2c9a4e-8b1d-4c6e-9f0a-2d7b5e8c1a94/resourceGroups/rg-example/providers/Microsoft.ContainerService/managedClusters/aks-example";
const example = ["runbook", "test", "runbooks/examples/cluster-route-check.yaml", `clusterId=${clusterId}`, "--world", "worlds/example-udr.yaml"];
const captured = join(mkdtempSync(join(tmpdir(), "egress-demo-")), "aks-plant-prod.yaml");

const demos: { say: string; args: string[] }[] = [
  { say: "The command grammar, shared by chat and terminal:", args: ["help"] },
  { say: "Bad input gets one line and the usage line (exit 2):", args: ["triage", "aks-prod", "--since", "45d"] },
  { say: "Runbooks are validated up front; every problem is reported as file:line:col:", args: ["runbook", "lint", "runbooks/examples"] },
  { say: "A runbook run against a simulated world (an example UDR cluster that lost its default route):", args: example },
  { say: "The same run as an evidence bundle (JSON, with a digest), first lines:", args: [...example, "--output", "json"] },
  { say: "The built-in demo world: a cluster found by name through Resource Graph, read by the real Azure SDK clients:", args: ["runbook", "test", "runbooks/examples/cluster-summary.yaml", "cluster=aks-analytics-prod", "--world", "demo"] },
  { say: "Who am I to Azure, what may I read, are the chat settings complete:", args: ["doctor", "--world", "demo"] },
  { say: "Record what reading a cluster reads into a world file, to replay an incident without access:", args: ["capture", "cluster", "aks-plant-prod", "--world", "demo", "--out", captured] },
];

for (const demo of demos) {
  process.stdout.write(`\n${styleText("bold", `# ${demo.say}`)}\n$ egress ${demo.args.map((arg) => (arg.length > 60 ? `${arg.slice(0, 57)}…` : arg)).join(" ")}\n`);
  const result = spawnSync(process.execPath, [bin, ...demo.args], { cwd: root, encoding: "utf8", env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? "1" : undefined } });
  const output = `${result.stdout}${result.stderr}`;
  const lines = output.split("\n");
  process.stdout.write(demo.args.includes("json") ? `${lines.slice(0, 14).join("\n")}\n  …\n` : output);
  process.stdout.write(`${styleText("dim", `(exit ${result.status ?? "?"})`)}\n`);
}
process.stdout.write("\nEverything above read a simulated world and says so. The chat server (Slack, Teams) and the built-in egress runbooks are not part of this build yet; see README.md.\n");
