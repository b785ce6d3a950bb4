// The Fleet page: the fleet table of a world, sortable by any column, with a CSV download.
import type { ConsoleCatalog, FleetPageData } from "./console-protocol.js";
import { byId } from "./by-id.js";

const worldPicker = byId<HTMLSelectElement>("world");
const summary = byId<HTMLElement>("summary");
const table = byId<HTMLTableElement>("fleet-table");
const download = byId<HTMLAnchorElement>("download");
const banner = byId<HTMLElement>("simulated-banner");
const refresh = byId<HTMLButtonElement>("refresh");

let data: FleetPageData | null = null;
let sort: { column: number; descending: boolean } = { column: 0, descending: false };

const compare = (a: string, b: string): number => a.localeCompare(b, "en", { numeric: true, sensitivity: "base" });

/** Draws the table in the current order; each heading is a button that sorts by its column. */
function draw(): void {
  if (!data) return;
  const head = table.tHead ?? table.createTHead();
  head.replaceChildren();
  const headRow = head.insertRow();
  data.table.headers.forEach((header, column) => {
    const cell = document.createElement("th");
    cell.scope = "col";
    cell.setAttribute("aria-sort", sort.column === column ? (sort.descending ? "descending" : "ascending") : "none");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = `${header}${sort.column === column ? (sort.descending ? " ▼" : " ▲") : ""}`;
    button.addEventListener("click", () => {
      sort = { column, descending: sort.column === column ? !sort.descending : false };
      draw();
    });
    cell.append(button);
    headRow.append(cell);
  });
  const rows = [...data.table.rows].sort((a, b) => {
    const order = compare(a[sort.column] ?? "", b[sort.column] ?? "");
    return sort.descending ? -order : order;
  });
  const body = table.tBodies[0] ?? table.createTBody();
  body.replaceChildren(
    ...rows.map((row) => {
      const line = document.createElement("tr");
      for (const value of row) {
        const cell = document.createElement("td");
        // Text, never markup: names come from Azure.
        cell.textContent = value;
        line.append(cell);
      }
      return line;
    }),
  );
}

/** Reads the fleet of the picked world. */
async function load(): Promise<void> {
  const world = worldPicker.value;
  summary.textContent = "Reading the inventory…";
  download.href = `/console/api/fleet.csv?world=${encodeURIComponent(world)}`;
  const response = await fetch(`/console/api/fleet?world=${encodeURIComponent(world)}`);
  const body = (await response.json()) as FleetPageData | { error: string };
  if ("error" in body) {
    data = null;
    summary.textContent = `The fleet could not be read: ${body.error}`;
    table.tBodies[0]?.replaceChildren();
    return;
  }
  data = body;
  banner.hidden = !body.simulated;
  banner.textContent = body.simulated
    ? "SIMULATED: data from a simulated Azure world, not from your subscriptions"
    : "";
  summary.textContent = body.summary;
  draw();
  document.body.dataset.ready = "true";
}

async function start(): Promise<void> {
  const catalog = (await (await fetch("/console/api/catalog")).json()) as ConsoleCatalog;
  worldPicker.replaceChildren(
    ...catalog.worlds.map((world) => {
      const option = document.createElement("option");
      option.value = world.id;
      option.textContent = world.label;
      option.selected = world.id === catalog.defaultWorld;
      return option;
    }),
  );
  worldPicker.addEventListener("change", () => void load());
  refresh.addEventListener("click", () => void load());
  await load();
}

void start();
