import { describe, expect, it } from "@jest/globals";
import {
  buildAnswerView,
  pathPicture,
  pictureStats,
  renderPathSvg,
  svgToPng,
  type PoolPath,
} from "../../../src/index.js";
import { showCluster } from "../../support/egress-worlds.js";

const pool = (name: string, hops: PoolPath["hops"]): PoolPath => ({
  name,
  mode: "System",
  nodes: "3",
  kind: "azureFirewall",
  snatBy: "azureFirewall afw",
  sources: { state: "known", cidrs: ["20.61.0.10/32"], reason: null },
  routes: "configured routes",
  hops,
  matchesOutboundType: true,
  pods: null,
});
const hopsOf = (svg: string, poolName: string): string[] => {
  const group = svg.split(`<g class="pool" data-pool="${poolName}">`)[1]?.split(`<g class="pool"`)[0] ?? "";
  return [
    ...group.matchAll(
      /<g class="hop" data-role="([a-zA-Z]+)">\n<rect[^>]*\/>\n<text[^>]*>([^<]*)<\/text>\n<text[^>]*>([^<]*)<\/text>/g,
    ),
  ].map((match) => `${match[1]}: ${match[2]} / ${match[3]}`);
};

describe("the egress path picture", () => {
  it("draws each pool's hops in order, from the subnet to the public IPs, unknown or dropped", async () => {
    const forced = buildAnswerView(await showCluster("forced-tunnel-firewall"));
    const svg = pathPicture(forced) ?? "";
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<title id="t">Egress paths: show-cluster for aks-egress (SIMULATED)</title>');
    expect(hopsOf(svg, "system")).toEqual([
      "subnet: snet-nodes / subnet",
      "routeTable: rt-spoke / route table · next hop 10.0.1.4",
      "firewall: afw-hub / Azure Firewall",
      "routeTable: rt-afw-forced / route table",
      "unknown: unknown / forced tunnelling: firewall afw-hub sends inter…",
    ]);

    const split = pathPicture(buildAnswerView(await showCluster("split-routes-to-firewall"))) ?? "";
    expect(hopsOf(split, "system").at(-1)).toBe("publicIps: 20.61.0.10/32, 20.61.0.11/32 / public IPs");
    const blackhole = pathPicture(buildAnswerView(await showCluster("blackhole-route"))) ?? "";
    expect(hopsOf(blackhole, "system").at(-1)).toMatch(
      /^dropped: dropped \/ the route for public destinations goes to None/,
    );
  });

  it("escapes every label and has one row per pool", () => {
    const svg = renderPathSvg(
      [
        pool("system", [
          { role: "subnet", label: "snet-<script>alert(1)</script>", note: null },
          { role: "publicIps", label: "20.61.0.10/32", note: null },
        ]),
        pool("user&co", [{ role: "dropped", label: "dropped", note: 'the "route" is None' }]),
      ],
      "Egress paths: <b>",
    );
    expect(svg).not.toContain("<script>");
    expect(svg).not.toContain("<b>");
    expect(svg).toContain("snet-&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(svg).toContain('data-pool="user&amp;co"');
    expect(svg).toContain("the &quot;route&quot; is None");
    expect(svg.match(/<g class="pool"/g)).toHaveLength(2);
  });

  it("has no picture when the answer has no node pool paths", () => {
    expect(
      pathPicture({
        title: "whois of 20.1.2.3",
        verdict: { level: "ok", text: "no findings" },
        headline: "whois of 20.1.2.3: no findings",
        about: null,
        runStatus: "succeeded",
        simulated: false,
        asOf: "",
        runId: "r",
        digest: "",
        sections: [{ kind: "whois", ip: "20.1.2.3", owners: [], note: null }],
        next: [],
      }),
    ).toBeNull();
  });

  it("renders to PNG without a browser, at twice the SVG's size", async () => {
    const svg = renderPathSvg([pool("system", [{ role: "subnet", label: "snet-nodes", note: null }])], "Egress");
    const png = await svgToPng(svg);
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const width = new DataView(png.buffer, png.byteOffset).getUint32(16);
    expect(width).toBe(2 * Number(/width="(\d+)"/.exec(svg)?.[1]));
  });

  it("draws an identical picture once: the same answer asked again reuses it", async () => {
    const svg = renderPathSvg([pool("reused", [{ role: "subnet", label: "snet-once", note: null }])], "Once");
    const before = { ...pictureStats };
    const first = await svgToPng(svg);
    const second = await svgToPng(svg);
    expect(second).toBe(first);
    expect(pictureStats.rendered - before.rendered).toBe(1);
    expect(pictureStats.reused - before.reused).toBe(1);
  });
});
