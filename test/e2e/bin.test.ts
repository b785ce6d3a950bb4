import { describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

// These run the built bin file (`npm test` builds first), as users and CI gates do.
const bin = "dist/adapters/cli/main.js";
const egress = (...args: string[]) => {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, NO_COLOR: "1" },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
};
const clusterId =
  "/subscriptions/3f2c9a4e-8b1d-4c6e-9f0a-2d7b5e8c1a94/resourceGroups/rg-example/providers/Microsoft.ContainerService/managedClusters/aks-example";

describe("the egress bin", () => {
  it("is built and executable", () => {
    expect(existsSync(bin)).toBe(true);
  });
  it("prints help", () => {
    const { code, out } = egress("help", "whois");
    expect(code).toBe(0);
    expect(out.split("\n")[0]).toBe("whois <ip>");
  });
  it("exits 2 on a usage error", () => {
    expect(egress("whois", "nope")).toMatchObject({
      code: 2,
      err: expect.stringContaining('egress: "nope" is not a valid ip'),
    });
  });
  it("lints the built-in and example runbooks cleanly", () => {
    expect(egress("runbook", "lint")).toMatchObject({ code: 0, err: "runbooks: no problems\n" });
    expect(egress("runbook", "lint", "runbooks/examples")).toMatchObject({ code: 0 });
  });
  it("runs the example runbook against the example world and gates on findings", () => {
    const args = [
      "runbook",
      "test",
      "runbooks/examples/cluster-route-check.yaml",
      `clusterId=${clusterId}`,
      "--world",
      "worlds/example-udr.yaml",
    ];
    const shown = egress(...args);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain("EXAMPLE_NO_DEFAULT_ROUTE_ROW");
    expect(shown.out).toContain("SIMULATED");
    expect(egress(...args, "--fail-on", "error").code).toBe(1);
  });
});
