// Benchmarks of several replicas on PostgreSQL (`npm run bench -- ha`): three built servers on one
// database behind a round-robin proxy on loopback, Slack a local fake, Azure the demo world. Slack ack
// p99 under 50 commands at once (from a separate load process), and how long a killed replica's runs
// wait before another replica answers them, against the lease they are bound by.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { slackBurst } from "./slack-burst.js";
import { startBareServer } from "./bare-slack-server.js";
import { demoWorldWithFault } from "../test/support/demo-world-with-fault.js";
import { postgresReachable } from "../test/support/postgres-under-test.js";
import { deliver, finalAnswers, resumedChannels, startReplicaFleet } from "../test/support/replica-fleet.js";
import { postCommandIn } from "../test/support/slack-request.js";

type Row = [string, string, string, boolean];

const secret = "ha-bench-secret";
/** The run queue's lease (pg-boss heartbeat) and how often an instance looks for expired ones (src/store/pg-boss-run-queue.ts). */
const leaseInMs = 10_000;
const monitorInMs = 5_000;
/** How long aks-plant-prod's route table takes to answer in this benchmark's world: the runs' own time. */
const slowReadInMs = 3_000;

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

/** `count` commands at once from a separate process; their ack times. */
function burst(base: string, count: number, prefix: string): Promise<number[]> {
  return slackBurst(base, secret, count, "show cluster aks-claims-prod", prefix);
}

/** The `ha` group: ack p99 on three replicas, and failover after a SIGKILL. */
export async function haBenchmarks(): Promise<Row[]> {
  if (!(await postgresReachable())) {
    process.stderr.write("bench ha: no PostgreSQL at EGRESS_TEST_DATABASE_URL or 127.0.0.1:5432; skipped\n");
    return [];
  }
  const world = demoWorldWithFault(
    `{ match: "routeTables/rt-plant-egress$", latencyMs: ${slowReadInMs} }`,
    mkdtempSync(join(tmpdir(), "egress-ha-bench-")),
  );
  const fleet = await startReplicaFleet({ count: 3, world, secret });
  const rows: Row[] = [];
  try {
    const { slack, base } = fleet;
    // Warm every replica once (first command loads the world), then the measured burst.
    await burst(base, 6, "warm");
    await slack.waitFor(() => slack.callsOf("files.completeUploadExternal").length >= 6, 120_000);
    // The load process spreads the burst over the replicas itself, as a load balancer would: the
    // proxy (one Node process on the same two cores) would be the bottleneck of the measurement.
    const replicaBases = fleet.replicas.map((replica) => `http://127.0.0.1:${replica.port}`).join(",");
    const acks = await burst(replicaBases, 50, "ack");
    const p99 = percentile(acks, 99);
    await slack.waitFor(() => slack.callsOf("files.completeUploadExternal").length >= 56, 180_000);
    // The baseline in the same run, once the replicas are idle again: three bare HMAC-checking servers, sent to the same way.
    const bare = await Promise.all([0, 1, 2].map(() => startBareServer(secret)));
    const bareP99 = percentile(await burst(bare.map((server) => server.base).join(","), 50, "bare"), 99);
    await Promise.all(bare.map((server) => server.close()));
    rows.push([
      "Slack ack p99, 50 commands at once spread over 3 replicas on PostgreSQL (separate load process), beside 3 bare HMAC servers",
      `${p99.toFixed(0)} ms (p50 ${percentile(acks, 50).toFixed(0)} ms) vs ${bareP99.toFixed(0)} ms bare (${(p99 / bareP99).toFixed(1)}×)`,
      "< 200 ms",
      p99 < 200,
    ]);

    // Failover: 30 slow commands, one replica killed a second into them.
    const channels = Array.from({ length: 30 }, (_, index) => `CF${index}`);
    const sent = Promise.all(
      channels.map((channel, index) =>
        deliver(() =>
          postCommandIn(base, secret, slack, {
            text: "show cluster aks-plant-prod",
            channel,
            user: `UF${index}`,
            trigger: `failover-${index}`,
          }),
        ),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const killedAt = Date.now();
    fleet.replicas[1]?.child.kill("SIGKILL");
    await sent;
    await slack.waitFor(() => channels.every((channel) => finalAnswers(slack, channel).length >= 1), 180_000);
    const resumed = resumedChannels(slack);
    const waits = [...resumed].map((channel) => (finalAnswers(slack, channel)[0]?.at ?? Infinity) - killedAt);
    const worst = Math.max(...waits);
    const bound = leaseInMs + monitorInMs + 2 * slowReadInMs + 2_000;
    rows.push([
      `Killed replica's runs answered by another (${resumed.size} of 30 resumed), kill to last answer`,
      waits.length > 0
        ? `${(worst / 1000).toFixed(1)} s (median ${(percentile(waits, 50) / 1000).toFixed(1)} s)`
        : "none resumed",
      `≤ lease ${leaseInMs / 1000} s + check ${monitorInMs / 1000} s + run time (${(bound / 1000).toFixed(0)} s)`,
      waits.length > 0 && worst <= bound,
    ]);
    const twice = channels.filter((channel) => finalAnswers(slack, channel).length !== 1).length;
    rows.push(["Failover commands answered exactly once", `${30 - twice}/30`, "30/30", twice === 0]);
  } finally {
    await fleet.stop();
  }
  return rows;
}
