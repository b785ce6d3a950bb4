// `egress audit verify` and `egress audit export` through the CLI, on the embedded store and on
// PostgreSQL (EGRESS_DATABASE_URL): a ledger written by real commands verifies; a row changed
// behind the bot's back is named.
import { afterAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { runCli } from "../../adapters/cli/run-cli.js";
import { memoryIo } from "../support/memory-io.js";
import { freshSchema, postgresForTests } from "../support/postgres-under-test.js";

const postgresUp = await postgresForTests("the ledger's PostgreSQL case is");

interface Setup {
  env: Record<string, string>;
  tamper(sql: { sqlite: string; postgres: string }): Promise<void>;
  dispose(): Promise<void>;
}

function embedded(): Promise<Setup> {
  const directory = mkdtempSync(join(tmpdir(), "egress-ledger-"));
  const state = join(directory, "state");
  const config = join(directory, "egress.yaml");
  writeFileSync(config, `state: { directory: ${state} }\n`);
  return Promise.resolve({
    env: { EGRESS_CONFIG: config },
    tamper: (sql) => {
      const db = new DatabaseSync(join(state, "egress-state.db"));
      db.exec(sql.sqlite);
      db.close();
      return Promise.resolve();
    },
    dispose: () => Promise.resolve(),
  });
}

async function postgres(): Promise<Setup> {
  const schema = await freshSchema();
  return {
    env: { EGRESS_CONFIG: "", EGRESS_DATABASE_URL: schema.connectionString },
    tamper: async (sql) => void (await schema.query(sql.postgres)),
    dispose: schema.drop,
  };
}

const cases: [string, () => Promise<Setup>][] = [["the embedded store", embedded]];
if (postgresUp) cases.push(["PostgreSQL", postgres]);

const disposers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const dispose of disposers) await dispose();
});

describe.each(cases)("the audit ledger on %s", (_name, setUp) => {
  it("verifies a chain written by real commands, exports it as JSON lines, and names a tampered record", async () => {
    const setup = await setUp();
    disposers.push(setup.dispose);
    for (const ip of ["20.50.10.10", "51.124.77.10", "20.31.18.41"])
      expect(await runCli(["whois", ip, "--world", "demo"], memoryIo(setup.env))).toBe(0);

    const verified = memoryIo(setup.env);
    expect(await runCli(["audit", "verify"], verified)).toBe(0);
    expect(verified.out()).toMatch(/^audit chain intact: 3 record\(s\), head [0-9a-f]{64}\n$/);

    const exported = memoryIo(setup.env);
    expect(await runCli(["audit", "export", "--since", "1h"], exported)).toBe(0);
    const lines = exported
      .out()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { seq: number; command: string; previousHash: string; hash: string });
    expect(lines.map((line) => [line.seq, line.command])).toEqual([
      [1, "whois 20.50.10.10"],
      [2, "whois 51.124.77.10"],
      [3, "whois 20.31.18.41"],
    ]);
    expect(lines[1]?.previousHash).toBe(lines[0]?.hash);

    await setup.tamper({
      sqlite: "update audit set command = 'whois 10.0.0.1' where seq = 2",
      postgres: "update egress_audit set command = 'whois 10.0.0.1' where seq = 2",
    });
    const broken = memoryIo(setup.env);
    expect(await runCli(["audit", "verify"], broken)).toBe(1);
    expect(broken.out()).toBe(
      "audit chain broken at record 2: record 2 was changed after it was written: its hash does not match its content\n",
    );
    const json = memoryIo(setup.env);
    expect(await runCli(["audit", "verify", "--output", "json"], json)).toBe(1);
    expect(JSON.parse(json.out())).toMatchObject({ ok: false, seq: 2 });
  });
});
