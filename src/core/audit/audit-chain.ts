import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { AuditRecord, LedgerEntry } from "../ports/state-store.js";

/** The hash before the first record. */
export const genesisHash = "0".repeat(64);

/**
 * A record's link in the chain: SHA-256 over the previous hash and the record's canonical JSON (RFC
 * 8785), so changing, removing or reordering any record breaks every link after it.
 */
export function auditHash(previousHash: string, record: AuditRecord): string {
  return createHash("sha256")
    .update(`${previousHash}\n${canonicalize(record) ?? ""}`)
    .digest("hex");
}

/** What verifying the chain found. */
export type ChainVerification =
  | { readonly ok: true; readonly count: number; readonly head: string }
  | { readonly ok: false; readonly count: number; readonly seq: number; readonly reason: string };

/**
 * Checks entries in write order (as `listLedger` returns them, from the first): sequence numbers
 * without gaps, each `previousHash` the hash before it, each `hash` recomputed from the record.
 * Names the first broken link; `startHash` and `startSeq` let a check begin after a verified prefix.
 */
export function verifyAuditChain(
  entries: readonly LedgerEntry[],
  startHash = genesisHash,
  startSeq = 0,
): ChainVerification {
  let previous = startHash;
  let seq = startSeq;
  for (const entry of entries) {
    const broken = (reason: string): ChainVerification => ({
      ok: false,
      count: seq - startSeq,
      seq: entry.seq,
      reason,
    });
    if (entry.seq !== seq + 1) return broken(`record ${seq + 1} is missing: the next one kept is ${entry.seq}`);
    if (entry.previousHash !== previous)
      return broken(`record ${entry.seq} does not follow record ${seq}: its previous hash is not record ${seq}'s hash`);
    if (auditHash(previous, entry.record) !== entry.hash)
      return broken(`record ${entry.seq} was changed after it was written: its hash does not match its content`);
    previous = entry.hash;
    seq = entry.seq;
  }
  return { ok: true, count: seq - startSeq, head: previous };
}
