// A soak: the built server as the image runs it (same V8 flags), the demo world slowed to 100 ms per
// Azure request, one signed slash command a second for SOAK_MINUTES (default 10) from a separate
// process. Every command must get exactly one summary, nothing may reject unhandled, and RSS after the
// warm-up must stay flat (within 10 %) and under the deployment's 512 Mi limit.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeSlackApi } from "../test/support/fake-slack-api.js";
import { freePort } from "../test/support/loopback-server.js";
import { startBuiltServer } from "../test/support/built-server.js";
import { postSlashCommand } from "../test/support/slack-request.js";
import { slowDemoWorld } from "./bench-bot.js";

type Row = [string, string, string, boolean];
const secret = "soak-secret";
const limitMiB = 512;

async function rssOf(metricsPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  return Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1] ?? Number.NaN) / 1024 / 1024;
}

/** Runs the soak and returns its rows. */
export async function soakBenchmarks(): Promise<Row[]> {
  const minutes = Number(process.env.SOAK_MINUTES ?? 10);
  const fake = new FakeSlackApi();
  await fake.start();
  const metricsPort = await freePort();
  const server = await startBuiltServer(
    {
      EGRESS_WORLD: slowDemoWorld(),
      NODE_ENV: "production",
      EGRESS_METRICS_PORT: String(metricsPort),
      SLACK_SIGNING_SECRET: secret,
      SLACK_BOT_TOKEN: "xoxb-soak",
      SLACK_API_URL: fake.apiUrl,
    },
    // The image's flags (Dockerfile CMD).
    {
      nodeFlags: ["--max-semi-space-size=8", "--max-old-space-size=320"],
      cwd: mkdtempSync(join(tmpdir(), "egress-soak-")),
    },
  );
  const clusters = ["aks-plant-prod", "aks-claims-prod", "aks-analytics-prod", "aks-broken-dev"];
  const summaries = () =>
    fake.callsOf("chat.postMessage").filter((call) => JSON.stringify(call.body.blocks ?? "").includes("Proof set"))
      .length;
  const base = `http://127.0.0.1:${server.port}`;
  const samples: { atMinute: number; rss: number }[] = [];
  let sent = 0;
  let refused = 0;
  const started = performance.now();
  const warmUpMs = Math.min(120_000, (minutes * 60_000) / 5);
  let nextSample = warmUpMs;
  try {
    while (performance.now() - started < minutes * 60_000) {
      const index = sent++;
      void postSlashCommand(base, secret, {
        text: `show cluster ${clusters[index % clusters.length] ?? ""}`,
        user_id: `USOAK${index % 25}`,
        channel_id: `CSOAK${index % 5}`,
        trigger_id: `soak-${index}`,
        response_url: fake.responseUrl(`soak-${index}`),
      }).then(
        (response) => {
          if (response.status !== 200) refused++;
        },
        () => refused++,
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const elapsed = performance.now() - started;
      if (elapsed >= nextSample) {
        samples.push({ atMinute: elapsed / 60_000, rss: await rssOf(metricsPort) });
        nextSample += 30_000;
      }
    }
    await fake.waitFor(() => summaries() >= sent - refused, 120_000);
    // Anything beyond one summary per command would be a duplicate.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    samples.push({ atMinute: (performance.now() - started) / 60_000, rss: await rssOf(metricsPort) });
  } finally {
    server.child.kill("SIGTERM");
    await fake.stop();
  }
  const delivered = summaries();
  const unhandled = (server.output().match(/"msg":"unhandled rejection"/g) ?? []).length;
  const rssValues = samples.map((sample) => sample.rss);
  const first = rssValues[0] ?? Number.NaN;
  const last = rssValues.at(-1) ?? Number.NaN;
  const peak = Math.max(...rssValues);
  const drift = (last - first) / first;
  return [
    [
      `soak: one slash command a second for ${minutes} min (demo world at 100 ms per request): summaries, refusals, unhandled rejections`,
      `${delivered}/${sent} summaries, ${refused} refused, ${unhandled} unhandled`,
      "all, 0, 0",
      delivered === sent && refused === 0 && unhandled === 0,
    ],
    [
      `soak: RSS after warm-up vs at the end (image flags), and the peak`,
      `${first.toFixed(0)} → ${last.toFixed(0)} MB (${(drift * 100).toFixed(1)} %), peak ${peak.toFixed(0)} MB`,
      `within 10 %, peak < ${limitMiB} MiB`,
      Math.abs(drift) <= 0.1 && peak < limitMiB,
    ],
  ];
}
