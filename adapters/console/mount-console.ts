import express, { type Application, type Request, type Response } from "express";
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { join } from "node:path";
import {
  bundleFileName,
  commandDefinitions,
  fleetCsv,
  fleetSummary,
  fleetTable,
  parseCommand,
  readResultSections,
  type FleetReport,
  formatBundleMarkdown,
  formatUsage,
  RecentBundles,
  type ChatCommandHandler,
  type EgressService,
  type Logger,
} from "../../src/index.js";
import { consoleGuard } from "./console-guard.js";
import { ConsoleHub } from "./console-hub.js";
import { buttonBody, commandBody, parseBody, runbookFileBody, sessionId } from "./console-requests.js";
import type { ConsoleRenderers } from "./console-renderers.js";
import { ConsoleSurface } from "./console-surface.js";
import { FolderFiles } from "./folder-files.js";
import { RunbookWatcher, type RunbookFileState } from "./runbook-watcher.js";
import type { ConsoleCatalog, FleetPageData } from "./web/console-protocol.js";
import type { WorldArgument, WorldChoices } from "./world-choices.js";

/** A world and runbook file to run in: the handler and service built for them. */
export interface ConsoleWorkspace {
  readonly handler: ChatCommandHandler;
  readonly service: EgressService;
}

/** Builds (or reuses) the workspace for a world and, when one is being tried, a runbook file. */
export type OpenWorkspace = (choice: {
  readonly world: WorldArgument;
  readonly runbookFile: string | null;
}) => Promise<ConsoleWorkspace>;

/** What the console is built from. */
export interface ConsoleOptions {
  /** Serve peers other than loopback (config `console.allowRemote`). */
  readonly allowRemote: boolean;
  readonly worlds: WorldChoices;
  /** The folder whose runbook files the page offers to try. */
  readonly runbookFolder: string | null;
  readonly openWorkspace: OpenWorkspace;
  /** The server's own service: the runbook catalog for completion and the runbook file loader. */
  readonly service: EgressService;
  /** The server's own handler: `next` buttons are looked up in the state store it shares with every workspace. */
  readonly handler: ChatCommandHandler;
  readonly renderers: ConsoleRenderers;
  /** The built page (`dist/console-web`). */
  readonly assetsFolder: string;
  readonly log: Logger;
  readonly track: (work: Promise<unknown>) => void;
  readonly shutdownSignal: AbortSignal;
  readonly newId?: () => string;
  /** How often a watched runbook file is checked for changes. @default 250 */
  readonly watchIntervalInMs?: number;
}

/** Stops the console's streams and file watches (shutdown). */
export interface ConsoleHandle {
  close(): void;
}

const vendorFiles: Record<string, string> = {
  "adaptivecards.js": "adaptivecards/dist/adaptivecards.min.js",
  "markdown-it.js": "markdown-it/dist/markdown-it.min.js",
};
const pagePolicy =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Mounts the local web console: the page at `/`, its assets under `/console/`, and a small JSON API
 * whose runs go through the same {@link ChatCommandHandler} as Slack and Teams, with a
 * {@link ConsoleSurface} streaming each reply to the page over server-sent events.
 */
export function mountConsole(app: Application, options: ConsoleOptions): ConsoleHandle {
  const hub = new ConsoleHub();
  const bundles = new RecentBundles(200);
  const runbookFiles = new FolderFiles(options.runbookFolder, [".yaml", ".yml"]);
  const watcher = new RunbookWatcher((file) => options.service.loadRunbookFile(file), options.watchIntervalInMs);
  const stopWatching = new Map<string, () => void>();
  const newId = options.newId ?? randomUUID;
  const requireModule = createRequire(import.meta.url);
  const guard = consoleGuard(options.allowRemote);
  const json = express.json({ limit: "16kb" });

  const page =
    (file: string) =>
    (_request: Request, response: Response): void => {
      response
        .set({
          "content-security-policy": pagePolicy,
          "cache-control": "no-store",
          "x-content-type-options": "nosniff",
        })
        .sendFile(join(options.assetsFolder, file));
    };
  app.get("/", guard, page("index.html"));
  app.get("/fleet", guard, page("fleet.html"));
  app.use("/console", guard);
  app.use("/console/assets", express.static(options.assetsFolder, { index: false, fallthrough: false }));
  app.get("/console/vendor/:file", (request, response) => {
    const module = vendorFiles[request.params.file];
    if (!module) {
      response.status(404).json({ error: "not found" });
      return;
    }
    response.type("application/javascript").sendFile(requireModule.resolve(module));
  });

  app.get("/console/api/catalog", (_request, response) => {
    const catalog: ConsoleCatalog = {
      worlds: options.worlds.list(),
      defaultWorld: options.worlds.defaultId,
      runbookFiles: runbookFiles.list(),
      runbookFolder: options.runbookFolder,
      commands: commandDefinitions
        .filter((definition) => !definition.cliOnly)
        .map((definition) => ({
          words: definition.words.join(" "),
          usage: formatUsage(definition).replace(/^usage: /, ""),
          summary: definition.summary,
        })),
      runbooks: options.service.runbooks.map((runbook) => ({ name: runbook.name, title: runbook.title })),
    };
    response.set("cache-control", "no-store").json(catalog);
  });

  app.get("/console/api/events", (request, response) => {
    const session = sessionId.safeParse(request.query.session);
    if (!session.success) {
      response.status(400).json({ error: "events need ?session=<id> (8 to 64 letters, digits, - or _)" });
      return;
    }
    const lastEventId = Number(request.get("last-event-id") ?? 0);
    hub.subscribe(session.data, Number.isFinite(lastEventId) ? lastEventId : 0, response);
  });

  /** Starts one command in the session's thread; the reply streams to the page. */
  const start = (
    request: Request,
    response: Response,
    session: string,
    text: string,
    place: { world: string; runbookFile: string | null },
    via: "typed" | "button",
  ): void => {
    const world = options.worlds.resolve(place.world);
    if (world === undefined) {
      response.status(400).json({ error: `unknown world "${place.world}" (reload the page for the current list)` });
      return;
    }
    const runbookFile = place.runbookFile === null ? null : runbookFiles.resolve(place.runbookFile);
    if (place.runbookFile !== null && runbookFile === null) {
      response.status(400).json({ error: `no runbook file "${place.runbookFile}" in the console's runbook folder` });
      return;
    }
    const replyId = newId();
    hub.publish(session, { type: "command", replyId, text, via, world: place.world, runbookFile: place.runbookFile });
    const surface = new ConsoleSurface(
      hub,
      session,
      replyId,
      options.renderers,
      bundles,
      `${request.protocol}://${request.get("host") ?? "localhost"}`,
    );
    const work = options
      .openWorkspace({ world, runbookFile })
      .then((workspace) =>
        workspace.handler.handle(
          {
            requester: { platform: "console", user: "console", userGroups: [], entraObjectId: null, channel: session },
            thread: session,
            text,
            abortSignal: options.shutdownSignal,
          },
          surface,
        ),
      )
      .catch((error: unknown) => {
        options.log.warn({ error: error instanceof Error ? error.message : String(error) }, "console run failed");
        return surface.postFailure(
          error instanceof Error ? error.message : "The run failed; the server log has the details.",
        );
      });
    options.track(work);
    response.status(202).json({ replyId });
  };

  app.post("/console/api/commands", json, (request, response) => {
    const body = parseBody(commandBody, request, response);
    if (!body) return;
    start(request, response, body.session, body.text, body, "typed");
  });

  app.post("/console/api/buttons", json, async (request, response) => {
    const body = parseBody(buttonBody, request, response);
    if (!body) return;
    const button = await options.handler.buttonFor(body.key);
    if ("refusal" in button) {
      const replyId = newId();
      hub.publish(body.session, { type: "private", replyId, text: button.refusal });
      response.status(200).json({ replyId });
      return;
    }
    start(request, response, body.session, button.context.command, body, "button");
  });

  app.post("/console/api/runbook-file", json, (request, response) => {
    const body = parseBody(runbookFileBody, request, response);
    if (!body) return;
    const { session, file } = body;
    stopWatching.get(session)?.();
    stopWatching.delete(session);
    if (file === null) {
      response.status(204).end();
      return;
    }
    const path = runbookFiles.resolve(file);
    if (!path) {
      response.status(400).json({ error: `no runbook file "${file}" in the console's runbook folder` });
      return;
    }
    const publish = (state: RunbookFileState): void => hub.publish(session, { type: "runbook", file, ...state });
    const watch = watcher.watch(path, publish);
    publish(watch.state);
    stopWatching.set(session, watch.stop);
    response.status(200).json({ file, ...watch.state });
  });

  /** Runs `fleet` in a world and answers with the report, or says why it could not. */
  const fleetIn = async (worldId: unknown, response: Response): Promise<FleetReport | null> => {
    const world = typeof worldId === "string" ? options.worlds.resolve(worldId) : undefined;
    if (world === undefined) {
      response.status(400).json({ error: `unknown world "${String(worldId)}" (reload the page for the current list)` });
      return null;
    }
    const parsed = parseCommand("fleet", { surface: "chat" });
    if (!parsed.ok) throw new Error(parsed.error.reason);
    const workspace = await options.openWorkspace({ world, runbookFile: null });
    const result = await workspace.service.runCommand(parsed.command, {
      requestedBy: { platform: "console", user: "console", channel: null, thread: null },
    });
    const fleet = result.kind === "bundle" ? readResultSections(result.bundle).fleet : null;
    if (result.kind !== "bundle" || !fleet) {
      const step = result.kind === "bundle" ? result.bundle.steps.find((candidate) => candidate.error) : undefined;
      response.status(502).json({ error: step?.error?.message ?? "the fleet inventory could not be read" });
      return null;
    }
    return fleet;
  };

  app.get("/console/api/fleet", (request, response) => {
    const work = fleetIn(request.query.world, response).then((fleet) => {
      if (!fleet) return;
      const answer: FleetPageData = {
        summary: fleetSummary(fleet),
        asOf: fleet.asOf,
        simulated: options.worlds.list().find((world) => world.id === request.query.world)?.simulated ?? true,
        table: fleetTable(fleet),
      };
      response.set("cache-control", "no-store").json(answer);
    });
    options.track(work.catch((error: unknown) => response.status(500).json({ error: String(error) })));
  });

  app.get("/console/api/fleet.csv", (request, response) => {
    const work = fleetIn(request.query.world, response).then((fleet) => {
      if (!fleet) return;
      response
        .set({ "content-disposition": 'attachment; filename="egress-fleet.csv"', "cache-control": "no-store" })
        .type("text/csv")
        .send(fleetCsv(fleet));
    });
    options.track(work.catch((error: unknown) => response.status(500).json({ error: String(error) })));
  });

  app.get("/console/api/bundles/:file", (request, response) => {
    const match = /^(.+)\.(json|md)$/.exec(request.params.file);
    const bundle = match?.[1] ? bundles.get(match[1]) : undefined;
    if (!match || !bundle) {
      response.status(404).json({ error: "no such bundle (the console keeps the newest 200 in memory)" });
      return;
    }
    const name = bundleFileName(bundle);
    if (match[2] === "json") response.set("content-disposition", `attachment; filename="${name}.json"`).json(bundle);
    else
      response
        .set("content-disposition", `attachment; filename="${name}.md"`)
        .type("text/markdown")
        .send(formatBundleMarkdown(bundle));
  });

  return {
    close: () => {
      for (const stop of stopWatching.values()) stop();
      stopWatching.clear();
      watcher.closeAll();
      hub.closeAll();
    },
  };
}
