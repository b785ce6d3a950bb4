import { describe, expect, it } from "@jest/globals";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WorldChoices } from "../../../adapters/console/world-choices.js";

const folder = (): string => {
  const root = mkdtempSync(join(tmpdir(), "worlds-"));
  for (const name of ["b.yaml", "a.yml", "c.json", "notes.txt"]) writeFileSync(join(root, name), "{}");
  mkdirSync(join(root, "sub.yaml"));
  return root;
};

describe("world choices", () => {
  it("offers live Azure only when the server reads live Azure, then demo and the folder's world files", () => {
    const root = folder();
    expect(new WorldChoices(null, root).list().map((choice) => [choice.id, choice.simulated])).toEqual([
      ["live", false],
      ["demo", true],
      ["file:a.yml", true],
      ["file:b.yaml", true],
      ["file:c.json", true],
    ]);
    expect(new WorldChoices("demo", null).list().map((choice) => choice.id)).toEqual(["demo"]);
    const configured = new WorldChoices("/srv/worlds/plant.yaml", null);
    expect(configured.list()).toEqual([
      { id: "server", label: "plant.yaml (the server's world)", simulated: true },
      { id: "demo", label: "demo (built-in)", simulated: true },
    ]);
    expect(configured.defaultId).toBe("server");
    expect(new WorldChoices(null, null).defaultId).toBe("live");
  });

  it("resolves only what it offers: never live Azure on a simulated server, never a path outside the folder", () => {
    const root = folder();
    const choices = new WorldChoices("demo", root);
    expect(choices.resolve("demo")).toBe("demo");
    expect(choices.resolve("file:b.yaml")).toBe(join(root, "b.yaml"));
    for (const id of [
      "live",
      "server",
      "file:../b.yaml",
      "file:notes.txt",
      "file:sub.yaml",
      `file:${join(root, "b.yaml")}`,
      "b.yaml",
    ])
      expect(choices.resolve(id)).toBeUndefined();
    expect(new WorldChoices(null, null).resolve("live")).toBeNull();
  });
});
