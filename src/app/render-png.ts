/**
 * Turns an SVG into a PNG with resvg (a Rust SVG renderer, `@resvg/resvg-js`): no browser at run time.
 * Loaded on first use; fonts are the system's. Scale 2 keeps text sharp on high-density screens.
 */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const { Resvg } = await import("@resvg/resvg-js");
  const rendered = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "#ffffff",
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
  }).render();
  return new Uint8Array(rendered.asPng());
}
