import { startBuiltServer, type BuiltServer } from "./built-server.js";
import { FakeSlackApi, type SlackCall } from "./fake-slack-api.js";
import { freshSchema } from "./postgres-under-test.js";
import { RoundRobinProxy } from "./round-robin-proxy.js";

/** Built server processes sharing one PostgreSQL schema, behind a round-robin proxy, with a fake Slack. */
export interface ReplicaFleet {
  readonly replicas: BuiltServer[];
  readonly proxy: RoundRobinProxy;
  /** The proxy's base URL: where Slack's requests go. */
  readonly base: string;
  readonly slack: FakeSlackApi;
  readonly schema: Awaited<ReturnType<typeof freshSchema>>;
  stop(): Promise<void>;
}

/**
 * Starts `count` replicas of the built server (as the image runs it) on a fresh PostgreSQL schema and
 * a job schema of its own, each talking to one fake Slack, behind a round-robin proxy.
 */
export async function startReplicaFleet(options: {
  readonly count: number;
  readonly world: string;
  readonly secret: string;
}): Promise<ReplicaFleet> {
  const schema = await freshSchema();
  const slack = new FakeSlackApi();
  await slack.start();
  const env = {
    EGRESS_WORLD: options.world,
    EGRESS_DATABASE_URL: schema.connectionString,
    EGRESS_JOB_SCHEMA: `${schema.name}_jobs`,
    SLACK_SIGNING_SECRET: options.secret,
    SLACK_BOT_TOKEN: "xoxb-fleet",
    SLACK_API_URL: slack.apiUrl,
  };
  const replicas: BuiltServer[] = [];
  // One after another: the first applies the migrations, the others find them applied.
  for (let index = 0; index < options.count; index += 1) replicas.push(await startBuiltServer(env));
  const proxy = new RoundRobinProxy(replicas.map((replica) => replica.port));
  const base = await proxy.start();
  return {
    replicas,
    proxy,
    base,
    slack,
    schema,
    stop: async () => {
      if (process.env.FLEET_LOG)
        for (const replica of replicas)
          for (const line of replica.output().split("\n"))
            if (/"level":(40|50)/.test(line)) console.log(line.slice(0, 400));
      for (const replica of replicas) if (replica.child.exitCode === null) replica.child.kill("SIGTERM");
      await Promise.all(
        replicas.map(
          (replica) =>
            new Promise<void>((resolve) => {
              if (replica.child.exitCode !== null || replica.child.signalCode !== null) resolve();
              else replica.child.once("exit", () => resolve());
            }),
        ),
      );
      await proxy.stop();
      await slack.stop();
      await schema.query(`drop schema if exists ${schema.name}_jobs cascade`);
      await schema.drop();
    },
  };
}

/**
 * Sends a request as Slack would deliver it through a proxy that lost a replica: a 502 (the replica
 * holding it died) is delivered again, the same body, up to five times.
 */
export async function deliver(send: () => Promise<Response>): Promise<number> {
  let status = 0;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    status = (await send()).status;
    if (status !== 502) return status;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return status;
}

/** The final answers the bot posted in a channel: the summary's first message (a header block) or a failure. */
export function finalAnswers(slack: FakeSlackApi, channel: string): SlackCall[] {
  return slack.callsOf("chat.postMessage").filter((call) => {
    if (call.body.channel !== channel) return false;
    const blocks = call.body.blocks as { type?: string }[] | undefined;
    return blocks?.[0]?.type === "header" || messageText(call).startsWith("❌");
  });
}

/** A message's fallback text. */
function messageText(call: SlackCall): string {
  return typeof call.body.text === "string" ? call.body.text : "";
}

/** The channels whose progress message says its run was resumed by another replica. */
export function resumedChannels(slack: FakeSlackApi): Set<string> {
  return new Set(
    slack
      .callsOf("chat.update")
      .filter((call) => messageText(call).includes("(resumed)"))
      .map((call) => String(call.body.channel)),
  );
}
