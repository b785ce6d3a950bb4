/** How many PNGs were rendered and how many came from the cache (for tests and metrics). */
export const pictureStats = { rendered: 0, reused: 0 };

// Rendering costs tens of milliseconds of CPU on the event loop; the same answer (twenty people
// asking the same thing, a repeated command) draws the same picture, so recent ones are kept.
const recent = new Map<string, Uint8Array>();
const keep = 32;

/**
 * Turns an SVG into a PNG with resvg (a Rust SVG renderer, `@resvg/resvg-js`): no browser at run time.
 * Loaded on first use; fonts are the system's. Scale 2 keeps text sharp on high-density screens.
 * The newest 32 pictures are kept, so an identical answer is not drawn twice.
 */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const key = `${scale}\n${svg}`;
  const cached = recent.get(key);
  if (cached) {
    pictureStats.reused++;
    recent.delete(key);
    recent.set(key, cached);
    return cached;
  }
  const { Resvg } = await import("@resvg/resvg-js");
  const rendered = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "#ffffff",
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
  }).render();
  const png = new Uint8Array(rendered.asPng());
  pictureStats.rendered++;
  recent.set(key, png);
  if (recent.size > keep) recent.delete(recent.keys().next().value as string);
  return png;
}
