// Three replicas of the built server on one PostgreSQL, behind a round-robin proxy: 200 signed slash
// commands and button clicks arrive in a burst, and one replica is killed with SIGKILL in the middle of
// it. Every command gets exactly one final answer in its own thread (the killed replica's runs are
// taken over by the others once their lease runs out, and say they were resumed), and the audit
// chain verifies.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verifyAuditChain } from "../../src/index.js";
import { openPostgresStateStore } from "../../src/store/postgres-state-store.js";
import { demoWorldWithFault } from "../support/demo-world-with-fault.js";
import { postgresForTests } from "../support/postgres-under-test.js";
import {
  deliver,
  finalAnswers,
  resumedChannels,
  startReplicaFleet,
  type ReplicaFleet,
} from "../support/replica-fleet.js";
import { firstNextButton } from "../support/slack-buttons.js";
import { postCommandIn, postSlackInteraction } from "../support/slack-request.js";

const postgresUp = await postgresForTests("the replica failover test is");
const secret = "fleet-secret";
const burstCommands = 190;
const clicks = 10;

(postgresUp ? describe : describe.skip)(
  "three replicas, one killed mid-burst (skipped only where no PostgreSQL answers)",
  () => {
    let fleet: ReplicaFleet;
    beforeAll(async () => {
      // aks-plant-prod's route table answers after 3 s: its runs are in hand when the replica dies.
      const world = demoWorldWithFault(
        '{ match: "routeTables/rt-plant-egress$", latencyMs: 3000 }',
        mkdtempSync(join(tmpdir(), "egress-fleet-")),
      );
      fleet = await startReplicaFleet({ count: 3, world, secret });
    }, 120_000);
    afterAll(async () => {
      await fleet.stop();
    }, 60_000);

    it("answers every command exactly once in its thread, resumes the killed replica's runs, and keeps the audit chain whole", async () => {
      const { slack, base } = fleet;
      const command = (channel: string, user: string, text: string, trigger: string) =>
        deliver(() => postCommandIn(base, secret, slack, { text, channel, user, trigger }));
      // Threads with buttons to click during the burst.
      for (let index = 1; index <= clicks; index += 1)
        expect(await command(`CB${index}`, `UB${index}`, "show cluster aks-claims-prod", `tb-${index}`)).toBe(200);
      const clickChannels = Array.from({ length: clicks }, (_, index) => `CB${index + 1}`);
      await slack.waitFor(() => clickChannels.every((channel) => finalAnswers(slack, channel).length === 1), 120_000);
      const buttons = clickChannels.map((channel) => firstNextButton(slack, channel));

      // The burst: 190 commands (half of them slow) and 10 clicks, one every 15 ms; a replica dies a third of the way in.
      const statuses: Promise<number>[] = [];
      const victim = fleet.replicas[1];
      let killedAt = 0;
      for (let index = 1; index <= burstCommands + clicks; index += 1) {
        if (index === 70) {
          victim?.child.kill("SIGKILL");
          killedAt = Date.now();
        }
        if (index % 19 === 0 && index / 19 <= clicks) {
          const button = buttons[index / 19 - 1];
          if (!button) throw new Error("no button");
          statuses.push(
            deliver(() =>
              postSlackInteraction(base, secret, {
                type: "block_actions",
                team: { id: "T1" },
                user: { id: `UC${index}` },
                channel: { id: button.channel },
                trigger_id: `click-${index}`,
                response_url: slack.responseUrl(`click-${index}`),
                container: { type: "message", message_ts: "x", channel_id: button.channel, thread_ts: button.rootTs },
                actions: [{ type: "button", action_id: button.actionId, value: button.value, action_ts: "1" }],
              }),
            ),
          );
        } else {
          const cluster = index % 2 === 0 ? "aks-plant-prod" : "aks-claims-prod";
          statuses.push(command(`C${index}`, `U${index}`, `show cluster ${cluster}`, `t-${index}`));
        }
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
      expect(new Set(await Promise.all(statuses))).toEqual(new Set([200]));
      const commandChannels = Array.from({ length: burstCommands + clicks }, (_, index) => `C${index + 1}`).filter(
        (_channel, index) => !((index + 1) % 19 === 0 && (index + 1) / 19 <= clicks),
      );
      expect(commandChannels).toHaveLength(burstCommands);
      const answered = () =>
        commandChannels.every((channel) => finalAnswers(slack, channel).length >= 1) &&
        clickChannels.every((channel) => finalAnswers(slack, channel).length >= 2);
      await slack.waitFor(answered, 240_000);
      // A moment more: a second answer anywhere would show now.
      await new Promise((resolve) => setTimeout(resolve, 3000));

      // Exactly one answer per command, but for one gap no chat API can close: a replica killed after
      // Slack took an answer's first message and before it noted so (one PostgreSQL write) leaves the
      // run to be answered again. Such a repeat is told apart by its first copy, which arrived before
      // the kill; docs/reliability.md says so.
      let repeated = 0;
      const once = (channel: string, expected: number) => {
        const answers = finalAnswers(slack, channel);
        const extra = answers.length - expected;
        if (extra === 1 && (answers[expected - 1]?.at ?? Infinity) <= killedAt + 50) repeated += 1;
        else expect({ channel, answers: answers.length }).toEqual({ channel, answers: expected });
        return answers;
      };
      let strayRoots = 0;
      for (const channel of commandChannels) {
        const answers = once(channel, 1);
        // In one thread, opened by a root message naming the command: every threaded message of the
        // channel is in it. (A replica killed between posting a root message and noting it leaves that
        // root alone, with nothing in its thread: docs/reliability.md.)
        const posted = slack.callsOf("chat.postMessage").filter((call) => call.body.channel === channel);
        const roots = posted.filter((call) => call.body.thread_ts === undefined);
        expect(roots.length).toBeGreaterThanOrEqual(1);
        expect(roots.length).toBeLessThanOrEqual(2);
        strayRoots += roots.length - 1;
        expect(new Set(posted.flatMap((call) => (call.body.thread_ts ? [call.body.thread_ts] : [])))).toEqual(
          new Set([answers[0]?.body.thread_ts]),
        );
      }
      for (const [index, channel] of clickChannels.entries()) {
        const answers = once(channel, 2);
        expect(answers[1]?.body.thread_ts).toBe(buttons[index]?.rootTs);
      }
      // The killed replica's runs were taken over: their progress messages say so, and they were
      // answered within the lease (10 s, checked every 5 s) plus the run's own time.
      const resumed = resumedChannels(slack);
      expect(resumed.size).toBeGreaterThan(0);
      // Stray roots and repeats come only from runs the killed replica held at the instant it died.
      expect(strayRoots).toBeLessThanOrEqual(16);
      expect(repeated).toBeLessThanOrEqual(2);
      console.info(`failover: ${resumed.size} runs resumed, ${repeated} answered twice, ${strayRoots} stray roots`);
      const lastAnswer = Math.max(...commandChannels.map((channel) => finalAnswers(slack, channel)[0]?.at ?? 0));
      expect(lastAnswer - killedAt).toBeLessThan(120_000);

      const store = await openPostgresStateStore({
        connectionString: fleet.schema.connectionString,
        maxConnections: 2,
      });
      try {
        const ledger = await store.listLedger(0, 10_000);
        expect(verifyAuditChain(ledger)).toMatchObject({ ok: true });
        // One record per answer (the first runs, the burst's commands, the clicks), none interrupted.
        // A killed run that had written its record before dying is run again: one record more each.
        expect(ledger.length).toBeGreaterThanOrEqual(burstCommands + 2 * clicks);
        expect(ledger.length).toBeLessThanOrEqual(burstCommands + 2 * clicks + 16);
        expect(new Set(ledger.map((entry) => entry.record.outcome))).toEqual(new Set(["succeeded"]));
        expect(await store.unfinishedRuns()).toEqual([]);
      } finally {
        await store.close();
      }
    }, 480_000);
  },
);
