// The console page: wires the pickers, the command box and the event stream to the thread.
import { CommandHistory } from "./command-history.js";
import { byId } from "./by-id.js";
import type {
  ButtonRequest,
  CommandRequest,
  ConsoleCatalog,
  ConsoleEvent,
  RunbookFileRequest,
} from "./console-protocol.js";
import { diagnostics } from "./render-teams.js";
import { Thread } from "./thread.js";

const session = ((): string => {
  const saved = sessionStorage.getItem("egress-console-session");
  if (saved) return saved;
  const created = crypto.randomUUID();
  sessionStorage.setItem("egress-console-session", created);
  return created;
})();

const form = byId<HTMLFormElement>("command-form");
const input = byId<HTMLInputElement>("command");
const status = byId<HTMLElement>("status");
const worldPicker = byId<HTMLSelectElement>("world");
const runbookPicker = byId<HTMLSelectElement>("runbook-file");
const runbookReport = byId<HTMLElement>("runbook-report");
const banner = byId<HTMLElement>("simulated-banner");
const completions = byId<HTMLDataListElement>("completions");
const history = new CommandHistory();
let catalog: ConsoleCatalog | null = null;

const say = (text: string): void => {
  status.textContent = text;
};

/** Sends a request to the console API; a refusal or a network failure is said in the status line. */
function post(path: string, body: CommandRequest | ButtonRequest | RunbookFileRequest): void {
  fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
    .then(async (response) => {
      if (response.ok || response.status === 204) return;
      const answer = (await response.json().catch(() => ({}))) as { error?: string };
      say(answer.error ?? `the server answered ${response.status}`);
    })
    .catch((error: unknown) => say(error instanceof Error ? error.message : String(error)));
}
const worldLabel = (id: string): string => catalog?.worlds.find((world) => world.id === id)?.label ?? id;

const thread = new Thread(
  byId<HTMLElement>("thread"),
  (key, place) => {
    post("/console/api/buttons", { session, key, world: place.world, runbookFile: place.runbookFile });
  },
  worldLabel,
);

function showBanner(): void {
  const world = catalog?.worlds.find((candidate) => candidate.id === worldPicker.value);
  banner.hidden = !world?.simulated;
  banner.textContent = world?.simulated
    ? `SIMULATED: replies read the world “${world.label}”, not your Azure subscriptions.`
    : "";
}

function fillCompletions(): void {
  if (!catalog) return;
  const options = [
    ...catalog.commands.map((command) => ({
      value: `${command.words} `,
      label: `${command.usage}: ${command.summary}`,
    })),
    ...catalog.runbooks.map((runbook) => ({ value: `run ${runbook.name} `, label: runbook.title })),
  ];
  completions.replaceChildren(
    ...options.map(({ value, label }) => {
      const option = document.createElement("option");
      option.value = value;
      option.label = label;
      return option;
    }),
  );
}

function showRunbookState(event: Extract<ConsoleEvent, { type: "runbook" }>): void {
  if (event.file !== runbookPicker.value) return;
  runbookReport.replaceChildren();
  const heading = document.createElement("p");
  heading.className = event.issues.length > 0 ? "runbook-bad" : "runbook-good";
  heading.textContent =
    event.issues.length > 0
      ? `${event.file} does not load (${event.issues.length} problem${event.issues.length === 1 ? "" : "s"}); fix and save, it reloads by itself:`
      : `${event.file} loaded: runbook “${event.name ?? ""}”. Saved changes reload by themselves.`;
  runbookReport.append(heading);
  if (event.issues.length > 0) {
    const list = document.createElement("ul");
    list.className = "runbook-issues";
    for (const issue of event.issues) {
      const item = document.createElement("li");
      item.textContent = `${event.file}:${issue.line}:${issue.column}: ${issue.message}`;
      list.append(item);
    }
    runbookReport.append(list);
  } else if (event.name && !input.value.startsWith(`run ${event.name}`)) {
    input.value = `run ${event.name}${event.inputs.map((name) => ` ${name}=`).join("")}`;
  }
}

function listen(): void {
  const events = new EventSource(`/console/api/events?session=${encodeURIComponent(session)}`);
  events.addEventListener("message", (message: MessageEvent<string>) => {
    const event = JSON.parse(message.data) as ConsoleEvent;
    if (event.type === "runbook") showRunbookState(event);
    else thread.show(event);
    if (event.type === "result") say(`Run ${event.runId} finished.`);
  });
  events.addEventListener("error", () => say("Connection to the bot lost; reconnecting…"));
  events.addEventListener("open", () => say("Connected."));
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  history.add(text);
  input.value = "";
  post("/console/api/commands", { session, text, world: worldPicker.value, runbookFile: runbookPicker.value || null });
});

input.addEventListener("keydown", (event) => {
  if (event.key === "ArrowUp" && (input.value === "" || history.all.includes(input.value))) {
    const previous = history.previous();
    if (previous !== null) input.value = previous;
    event.preventDefault();
  } else if (event.key === "ArrowDown" && history.all.includes(input.value)) {
    input.value = history.next();
    event.preventDefault();
  }
});

worldPicker.addEventListener("change", showBanner);
runbookPicker.addEventListener("change", () => {
  runbookReport.replaceChildren();
  post("/console/api/runbook-file", { session, file: runbookPicker.value || null });
});

for (const radio of document.querySelectorAll<HTMLInputElement>("input[name=view]")) {
  radio.addEventListener("change", () => {
    if (radio.checked) document.body.dataset.view = radio.value;
  });
}

async function start(): Promise<void> {
  const response = await fetch("/console/api/catalog");
  catalog = (await response.json()) as ConsoleCatalog;
  worldPicker.replaceChildren(
    ...catalog.worlds.map(
      (world) =>
        new Option(
          world.simulated ? `${world.label} (simulated)` : world.label,
          world.id,
          false,
          world.id === catalog?.defaultWorld,
        ),
    ),
  );
  runbookPicker.replaceChildren(
    new Option("none: installed runbooks only", ""),
    ...catalog.runbookFiles.map((file) => new Option(file, file)),
  );
  byId<HTMLElement>("runbook-folder").textContent = catalog.runbookFolder ?? "no folder configured";
  showBanner();
  fillCompletions();
  listen();
  document.body.dataset.ready = "true";
}

// The browser tests read these: cards rendered and Adaptive Card parse or validation events.
(window as unknown as { egressConsole: unknown }).egressConsole = { diagnostics, session };
start().catch((error: unknown) => say(`The console could not start: ${String(error)}`));
