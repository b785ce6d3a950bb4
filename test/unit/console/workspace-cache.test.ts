import { describe, expect, it } from "@jest/globals";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtinRunbooksFolder, type ChatCommandHandler, type EgressService } from "../../../src/index.js";
import { workspaceCache } from "../../../adapters/console/workspace-cache.js";

// Services and handlers are stand-ins: the cache only hands them around.
const fakeService = (label: string) => ({ label }) as unknown as EgressService;
const fakeHandler = (service: EgressService) => ({ service }) as unknown as ChatCommandHandler;

describe("console workspaces", () => {
  it("reuses the server's own workspace, builds others once, and rebuilds after a file is saved", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "workspace-")), "runbook.yaml");
    writeFileSync(file, "one");
    const built: string[] = [];
    const server = { service: fakeService("server"), handler: fakeHandler(fakeService("server")) };
    const open = workspaceCache({
      serverWorld: "demo",
      serverWorkspace: server,
      createService: (world, runbookPaths) => {
        built.push(`${world ?? "live"}+${runbookPaths?.join(",") ?? "built-in"}`);
        return Promise.resolve(fakeService(`${built.length}`));
      },
      createHandler: fakeHandler,
    });
    expect(await open({ world: "demo", runbookFile: null })).toBe(server);
    const first = await open({ world: "demo", runbookFile: file });
    expect(await open({ world: "demo", runbookFile: file })).toBe(first);
    writeFileSync(file, "two, longer");
    const second = await open({ world: "demo", runbookFile: file });
    expect(second).not.toBe(first);
    expect(built).toEqual([`demo+${file},${builtinRunbooksFolder()}`, `demo+${file},${builtinRunbooksFolder()}`]);
  });

  it("does not keep a failed build, so fixing a broken world file is enough", async () => {
    let attempts = 0;
    const open = workspaceCache({
      serverWorld: "demo",
      serverWorkspace: { service: fakeService("server"), handler: fakeHandler(fakeService("server")) },
      createService: () =>
        ++attempts === 1
          ? Promise.reject(new Error("world file: bad YAML at 3:1"))
          : Promise.resolve(fakeService("fixed")),
      createHandler: fakeHandler,
    });
    await expect(open({ world: "/nowhere/world.yaml", runbookFile: null })).rejects.toThrow("bad YAML at 3:1");
    await expect(open({ world: "/nowhere/world.yaml", runbookFile: null })).resolves.toMatchObject({
      service: { label: "fixed" },
    });
  });
});
