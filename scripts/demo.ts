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
const captured = join(mkdtempSync(join(tmpdir(), "egress-demo-")), "aks-plant-prod.yaml");

const demos: { say: string; args: string[] }[] = [
  { say: "The command grammar, shared by chat and terminal:", args: ["help"] },
  { say: "Bad input gets one line and the usage line (exit 2):", args: ["triage", "aks-prod", "--since", "45d"] },
  {
    say: "How does aks-plant-prod really leave, and which IPs does the world see? (the built-in demo world: simulated Azure)",
    args: ["show", "cluster", "aks-plant-prod", "--world", "demo"],
  },
  {
    say: "Guided triage of a failing vendor API: the proof set, firewall denies and DNS, then next steps:",
    args: ["triage", "aks-plant-prod", "--dest", "api.vendor.example:443", "--world", "demo"],
  },
  {
    say: "A partner allowlist with provenance and a stability grade:",
    args: ["source-ips", "aks-claims-prod", "--partner", "Acme Payments", "--world", "demo"],
  },
  {
    say: "The same run as an evidence bundle (JSON, with a digest), first lines:",
    args: ["source-ips", "aks-claims-prod", "--world", "demo", "--output", "json"],
  },
  {
    say: "Runbooks are validated up front; every problem would be reported as file:line:col:",
    args: ["runbook", "lint"],
  },
  { say: "Who am I to Azure, what may I read, are the chat settings complete:", args: ["doctor", "--world", "demo"] },
  {
    say: "Record what reading a cluster reads into a world file, to replay an incident without access:",
    args: ["capture", "cluster", "aks-plant-prod", "--world", "demo", "--out", captured],
  },
];

for (const demo of demos) {
  process.stdout.write(
    `\n${styleText("bold", `# ${demo.say}`)}\n$ egress ${demo.args.map((arg) => (arg.length > 60 ? `${arg.slice(0, 57)}…` : arg)).join(" ")}\n`,
  );
  const result = spawnSync(process.execPath, [bin, ...demo.args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? "1" : undefined },
  });
  const output = `${result.stdout}${result.stderr}`;
  const lines = output.split("\n");
  process.stdout.write(demo.args.includes("json") ? `${lines.slice(0, 14).join("\n")}\n  …\n` : output);
  process.stdout.write(`${styleText("dim", `(exit ${result.status ?? "?"})`)}\n`);
}
process.stdout.write(
  "\nEverything above read a simulated world and says so. The chat server (Slack, Teams) is not part of this build yet; see README.md.\n",
);
