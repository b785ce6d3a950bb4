import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  builtinRunbooksFolder,
  createService,
  findPackageRoot,
  openStateStore,
  type StateStore,
} from "../../src/index.js";
import type { BotServer } from "../../adapters/server/create-server.js";
import { workspaceCache } from "../../adapters/console/workspace-cache.js";
import { WorldChoices } from "../../adapters/console/world-choices.js";
import { testBotServer, testChatHandler } from "./bot-under-test.js";

/** A running server with the console on the demo world, and its folders (copies, free to edit). */
export interface ConsoleUnderTest {
  readonly server: BotServer;
  readonly store: StateStore;
  /** Where the console is: the admin listener when there is one, else the bot's port. */
  readonly base: string;
  /** The bot's own port (Slack, Teams, health; the console too unless there is an admin listener). */
  readonly botBase: string;
  /** A copy of the example runbooks, offered by the runbook picker. */
  readonly runbookFolder: string;
  /** Holds `udr.yaml`, a copy of the example UDR world. */
  readonly worldsFolder: string;
  close(): Promise<void>;
}

/** Starts the real server with the console mounted as `main.ts` mounts it (built page from `dist/console-web`). */
export async function startConsole(
  options: {
    readonly allowRemote?: boolean;
    readonly adminPort?: number;
    readonly metricsPort?: number;
    readonly production?: boolean;
  } = {},
): Promise<ConsoleUnderTest> {
  const root = mkdtempSync(join(tmpdir(), "egress-console-"));
  const runbookFolder = join(root, "runbooks");
  const worldsFolder = join(root, "worlds");
  mkdirSync(runbookFolder);
  mkdirSync(worldsFolder);
  const examples = join(builtinRunbooksFolder(), "examples");
  for (const file of readdirSync(examples)) copyFileSync(join(examples, file), join(runbookFolder, file));
  copyFileSync(join(findPackageRoot(), "worlds", "example-udr.yaml"), join(worldsFolder, "udr.yaml"));

  const store = await openStateStore(":memory:");
  const service = await createService({ azure: { world: "demo" }, store });
  const handler = testChatHandler(service, store);
  const server = testBotServer(
    { service, handler, store },
    {
      console: {
        allowRemote: options.allowRemote ?? false,
        worlds: new WorldChoices("demo", worldsFolder),
        runbookFolder,
        assetsFolder: join(findPackageRoot(), "dist", "console-web"),
        openWorkspace: workspaceCache({
          serverWorld: "demo",
          serverWorkspace: { service, handler },
          createService: (world, runbookPaths) =>
            createService({ azure: world === null ? {} : { world }, store, ...(runbookPaths ? { runbookPaths } : {}) }),
          createHandler: (other) => testChatHandler(other, store),
        }),
        watchIntervalInMs: 50,
      },
      ...(options.adminPort === undefined ? {} : { adminPort: options.adminPort }),
      ...(options.metricsPort === undefined ? {} : { metricsPort: options.metricsPort, metricsHost: "127.0.0.1" }),
      ...(options.production ? { production: true } : {}),
    },
  );
  const port = await server.listen(0, "127.0.0.1");
  return {
    server,
    store,
    base: `http://127.0.0.1:${server.adminPort() ?? port}`,
    botBase: `http://127.0.0.1:${port}`,
    runbookFolder,
    worldsFolder,
    close: async () => {
      await server.close(2000);
      await store.close();
    },
  };
}
