import { existsSync } from "node:fs";
import {
  genesisHash,
  openStateStore,
  parseDuration,
  verifyAuditChain,
  type CliOptions,
  type Config,
  type StateStore,
} from "../../src/index.js";
import type { CliIo } from "./cli-io.js";
import { ExitCode } from "./exit-codes.js";
import { formatTable } from "./format-table.js";

/** Ledger entries read per page when walking the whole chain. */
const pageSize = 5000;

/** Opens the store the chat server writes the audit to, or says there is none yet (null). */
async function openAuditStore(config: Config, io: CliIo): Promise<StateStore | null> {
  if (!config.database && !existsSync(config.stateDirectory)) {
    io.stderr.write(
      `egress: no audit records: the state directory ${config.stateDirectory} does not exist yet (the chat server creates it)\n`,
    );
    return null;
  }
  return openStateStore(config.stateDirectory, config.database, config.cloud);
}

/** `egress audit`: the records since a time, newest first, as a table or JSON. */
export async function listAudit(since: string, config: Config, options: CliOptions, io: CliIo): Promise<number> {
  const store = await openAuditStore(config, io);
  if (!store) return ExitCode.Ok;
  try {
    const sinceMs = Date.now() - (parseDuration(since) ?? 7 * 86_400_000);
    const records = await store.listAudit(sinceMs);
    if (options.output === "json") {
      io.stdout.write(`${JSON.stringify({ records }, null, 2)}\n`);
      return ExitCode.Ok;
    }
    const rows = records.map((record) => [
      record.startedAt,
      record.platform,
      record.user ?? "",
      record.channel ?? "",
      record.command,
      record.outcome,
      record.digest?.slice(0, 19) ?? "",
    ]);
    const table = formatTable(["STARTED", "PLATFORM", "USER", "CHANNEL", "COMMAND", "OUTCOME", "DIGEST"], rows);
    io.stdout.write(`${table.join("\n")}\n${records.length === 0 ? `  (no commands since ${since} ago)\n` : ""}`);
    return ExitCode.Ok;
  } finally {
    await store.close();
  }
}

/**
 * `egress audit verify`: walks the whole chain page by page, each page checked from the last verified
 * hash; exits 1 naming the first broken link.
 */
export async function verifyAudit(config: Config, options: CliOptions, io: CliIo): Promise<number> {
  const store = await openAuditStore(config, io);
  if (!store) return ExitCode.Ok;
  try {
    let head = genesisHash;
    let seq = 0;
    for (;;) {
      const page = await store.listLedger(seq, pageSize);
      const checked = verifyAuditChain(page, head, seq);
      if (!checked.ok) {
        if (options.output === "json") io.stdout.write(`${JSON.stringify(checked)}\n`);
        else io.stdout.write(`audit chain broken at record ${checked.seq}: ${checked.reason}\n`);
        return ExitCode.Findings;
      }
      if (page.length === 0) break;
      head = checked.head;
      seq = page.at(-1)?.seq ?? seq;
    }
    if (options.output === "json") io.stdout.write(`${JSON.stringify({ ok: true, count: seq, head })}\n`);
    else io.stdout.write(`audit chain intact: ${seq} record(s), head ${head}\n`);
    return ExitCode.Ok;
  } finally {
    await store.close();
  }
}

/**
 * `egress audit export [--since]`: the ledger as JSON lines, one record a line with its sequence
 * number and hashes, in write order, for a SIEM to ingest (and to verify on its side).
 */
export async function exportAudit(since: string | undefined, config: Config, io: CliIo): Promise<number> {
  const store = await openAuditStore(config, io);
  if (!store) return ExitCode.Ok;
  try {
    const window = since === undefined ? undefined : parseDuration(since);
    const sinceIso = window === undefined || window === null ? null : new Date(Date.now() - window).toISOString();
    let seq = 0;
    for (;;) {
      const page = await store.listLedger(seq, pageSize);
      if (page.length === 0) break;
      for (const entry of page)
        if (sinceIso === null || entry.record.startedAt >= sinceIso)
          io.stdout.write(
            `${JSON.stringify({ seq: entry.seq, ...entry.record, previousHash: entry.previousHash, hash: entry.hash })}\n`,
          );
      seq = page.at(-1)?.seq ?? seq;
    }
    return ExitCode.Ok;
  } finally {
    await store.close();
  }
}
