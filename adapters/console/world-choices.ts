import { basename } from "node:path";
import type { WorldChoice } from "./web/console-protocol.js";
import { FolderFiles } from "./folder-files.js";

/** The world a console run reads: live Azure (`null`), `demo`, or a world file's path. */
export type WorldArgument = string | null;

const worldFilePrefix = "file:";

/**
 * The worlds the console offers: the server's own (live Azure or its configured world), the built-in
 * demo, and the world files of the configured folder. Live Azure is offered only when the server
 * itself reads live Azure: picking a world never turns simulated data into live reads, and the
 * page labels every simulated choice.
 */
export class WorldChoices {
  private readonly folder: FolderFiles;

  constructor(
    private readonly serverWorld: WorldArgument,
    worldsFolder: string | null,
  ) {
    this.folder = new FolderFiles(worldsFolder, [".yaml", ".yml", ".json"]);
  }

  /** The choice the page starts on: the server's own world. */
  get defaultId(): string {
    if (this.serverWorld === null) return "live";
    return this.serverWorld === "demo" ? "demo" : "server";
  }

  list(): WorldChoice[] {
    const choices: WorldChoice[] = [];
    if (this.serverWorld === null)
      choices.push({ id: "live", label: "Live Azure (the bot's identity)", simulated: false });
    else if (this.serverWorld !== "demo")
      choices.push({ id: "server", label: `${basename(this.serverWorld)} (the server's world)`, simulated: true });
    choices.push({ id: "demo", label: "demo (built-in)", simulated: true });
    for (const name of this.folder.list())
      choices.push({ id: `${worldFilePrefix}${name}`, label: name, simulated: true });
    return choices;
  }

  /** The world an ID stands for; `undefined` when the ID is not offered. */
  resolve(id: string): WorldArgument | undefined {
    if (id === "live") return this.serverWorld === null ? null : undefined;
    if (id === "demo") return "demo";
    if (id === "server") return this.serverWorld !== null && this.serverWorld !== "demo" ? this.serverWorld : undefined;
    if (id.startsWith(worldFilePrefix)) return this.folder.resolve(id.slice(worldFilePrefix.length)) ?? undefined;
    return undefined;
  }
}
