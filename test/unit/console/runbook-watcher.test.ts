import { afterEach, describe, expect, it } from "@jest/globals";
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtinRunbooksFolder, createService } from "../../../src/index.js";
import { RunbookWatcher, type RunbookFileState } from "../../../adapters/console/runbook-watcher.js";
import { waitUntil } from "../../support/loopback-server.js";

let watcher: RunbookWatcher | null = null;
afterEach(() => watcher?.closeAll());

describe("runbook watcher", () => {
  it("reads a runbook's name and inputs, then reports each save (even one right after the watch starts), including saves that replace the file", async () => {
    const service = await createService({ azure: { world: "demo" } });
    const folder = mkdtempSync(join(tmpdir(), "watch-"));
    const file = join(folder, "summary.yaml");
    const good = readFileSync(join(builtinRunbooksFolder(), "examples", "cluster-summary.yaml"), "utf8");
    writeFileSync(file, good);
    watcher = new RunbookWatcher((path) => service.loadRunbookFile(path), 20);
    expect(watcher.read(file)).toEqual({ name: "cluster-summary", inputs: ["cluster"], issues: [] });

    const seen: RunbookFileState[] = [];
    const { state, stop } = watcher.watch(file, (changed) => seen.push(changed));
    expect(state.name).toBe("cluster-summary");
    writeFileSync(file, good.replace("    - id: cluster\n", "    - id: cluster\n      bogus: 1\n"));
    await waitUntil(
      () => seen.length === 1,
      () => `seen ${JSON.stringify(seen)}`,
      5000,
    );
    expect(seen[0]?.name).toBeNull();
    expect(seen[0]?.issues[0]).toMatchObject({
      line: 16,
      column: 7,
      message: expect.stringContaining("bogus") as unknown,
    });

    // Editors that save atomically write a new file and rename it over the old one.
    writeFileSync(join(folder, "summary.yaml.tmp"), good);
    renameSync(join(folder, "summary.yaml.tmp"), file);
    await waitUntil(
      () => seen.length === 2,
      () => `seen ${JSON.stringify(seen)}`,
      5000,
    );
    expect(seen[1]).toEqual({ name: "cluster-summary", inputs: ["cluster"], issues: [] });
    stop();
    writeFileSync(file, `${good}\n# after stop\n`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(seen).toHaveLength(2);
  });
});
