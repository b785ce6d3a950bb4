import type { AnswerView } from "./answer-view.js";
import type { PathHop, PoolPath } from "./pool-path.js";

// Plain SVG text: a row per node pool, a box per hop, arrows between them. Widths come from the
// label's length (a monospace-ish estimate), so no font metrics or browser are needed.
const charWidth = 7.2;
const boxHeight = 44;
const rowGap = 26;
const arrow = 28;
const margin = 16;
const titleHeight = 22;

const fills: Readonly<Record<PathHop["role"], { fill: string; stroke: string }>> = {
  subnet: { fill: "#eef2f7", stroke: "#5b6b82" },
  routeTable: { fill: "#eef2f7", stroke: "#5b6b82" },
  firewall: { fill: "#fde8e8", stroke: "#b42318" },
  appliance: { fill: "#fdf0e1", stroke: "#b54708" },
  natGateway: { fill: "#e6f4ff", stroke: "#175cd3" },
  loadBalancer: { fill: "#e6f4ff", stroke: "#175cd3" },
  gateway: { fill: "#f4ebff", stroke: "#6941c6" },
  resource: { fill: "#eef2f7", stroke: "#5b6b82" },
  publicIps: { fill: "#e3fbe9", stroke: "#067647" },
  unknown: { fill: "#fef7c3", stroke: "#a15c07" },
  dropped: { fill: "#fee4e2", stroke: "#b42318" },
};
const captions: Readonly<Record<PathHop["role"], string>> = {
  subnet: "subnet",
  routeTable: "route table",
  firewall: "Azure Firewall",
  appliance: "appliance",
  natGateway: "NAT gateway",
  loadBalancer: "load balancer",
  gateway: "gateway",
  resource: "resource",
  publicIps: "public IPs",
  unknown: "source unknown",
  dropped: "no egress",
};

/** Escapes text for SVG (XML) content and attributes. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The second line of a hop's box: its kind, and the next-hop address or why the source is unknown. */
function subtitle(hop: PathHop): string {
  if (hop.role === "routeTable" && hop.note) return `route table · ${hop.note}`;
  if ((hop.role === "unknown" || hop.role === "dropped") && hop.note) return clip(hop.note, 48);
  return captions[hop.role];
}

/**
 * The picture of each node pool's egress path as SVG: subnet → route table (and next hop) →
 * firewall, appliance, NAT gateway or load balancer → the public IPs, or "unknown" with why, or
 * "no egress". Every label is escaped; the SVG carries a title and a description for readers.
 */
export function renderPathSvg(pools: readonly PoolPath[], title: string): string {
  const rows = pools.map((pool) =>
    pool.hops.map((hop) => {
      const label = clip(hop.label, 40);
      const sub = subtitle(hop);
      return { hop, label, sub, width: Math.max(label.length, sub.length) * charWidth + 20 };
    }),
  );
  const labelWidth = Math.max(0, ...pools.map((pool) => pool.name.length)) * charWidth + 24;
  const width =
    margin * 2 +
    labelWidth +
    Math.max(0, ...rows.map((row) => row.reduce((sum, box) => sum + box.width, 0) + arrow * (row.length - 1)));
  const height = margin * 2 + titleHeight + rows.length * (boxHeight + rowGap) - rowGap;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${height}" viewBox="0 0 ${Math.ceil(width)} ${height}" role="img" aria-labelledby="t d" font-family="DejaVu Sans, Verdana, sans-serif">`,
    `<title id="t">${escapeXml(title)}</title>`,
    `<desc id="d">${escapeXml(pools.map((pool) => `${pool.name}: ${pool.hops.map((hop) => hop.label).join(" → ")}`).join("; "))}</desc>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#475467"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${margin}" y="${margin + 14}" font-size="14" font-weight="bold" fill="#101828">${escapeXml(clip(title, 120))}</text>`,
  ];
  rows.forEach((row, index) => {
    const pool = pools[index] as PoolPath;
    const top = margin + titleHeight + index * (boxHeight + rowGap);
    parts.push(
      `<g class="pool" data-pool="${escapeXml(pool.name)}">`,
      `<text x="${margin}" y="${top + boxHeight / 2 + 5}" font-size="13" font-weight="bold" fill="#101828">${escapeXml(pool.name)}</text>`,
    );
    let x = margin + labelWidth;
    row.forEach((box, position) => {
      const colour = fills[box.hop.role];
      parts.push(
        `<g class="hop" data-role="${box.hop.role}">`,
        `<rect x="${x.toFixed(1)}" y="${top}" width="${box.width.toFixed(1)}" height="${boxHeight}" rx="6" fill="${colour.fill}" stroke="${colour.stroke}" stroke-width="1.5"/>`,
        `<text x="${(x + 10).toFixed(1)}" y="${top + 18}" font-size="12" font-weight="bold" fill="#101828">${escapeXml(box.label)}</text>`,
        `<text x="${(x + 10).toFixed(1)}" y="${top + 34}" font-size="11" fill="#475467">${escapeXml(box.sub)}</text>`,
        `</g>`,
      );
      x += box.width;
      if (position < row.length - 1) {
        parts.push(
          `<line x1="${(x + 2).toFixed(1)}" y1="${top + boxHeight / 2}" x2="${(x + arrow - 4).toFixed(1)}" y2="${top + boxHeight / 2}" stroke="#475467" stroke-width="1.5" marker-end="url(#arrow)"/>`,
        );
        x += arrow;
      }
    });
    parts.push(`</g>`);
  });
  parts.push(`</svg>`);
  return parts.join("\n");
}

/** The path picture of an answer, or null when it has no node pool paths. */
export function pathPicture(view: AnswerView): string | null {
  const paths = view.sections.find((section) => section.kind === "paths");
  return paths?.kind === "paths" && paths.pools.length > 0
    ? renderPathSvg(paths.pools, `Egress paths: ${view.title}${view.simulated ? " (SIMULATED)" : ""}`)
    : null;
}
