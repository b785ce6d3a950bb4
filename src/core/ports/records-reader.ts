import type { EgressSnapshot } from "../drift/egress-snapshot.js";
import { EgressError, ErrorCode } from "../errors.js";
import type { PartnerHandover } from "../partners/partner-handover.js";

/**
 * What steps may read of the bot's own records in the state store: the partner registry and the
 * drift watch's snapshots. Steps never write them (the service and the watch do).
 */
export interface RecordsReader {
  /** Handovers, newest first: every partner's, or one partner's (by its compared name). */
  listHandovers(partnerKey?: string): Promise<PartnerHandover[]>;
  /** The newest snapshot of every cluster that has one. */
  latestSnapshots(): Promise<EgressSnapshot[]>;
  /** A cluster's snapshots, newest first. */
  listSnapshots(clusterId: string, limit?: number): Promise<EgressSnapshot[]>;
}

const stateless = (): Promise<never> =>
  Promise.reject(new EgressError(ErrorCode.NotAvailable, "This bot keeps no state, so it has no records to read."));

/** The records of a bot that keeps no state: asking says so. */
export const noRecords: RecordsReader = {
  listHandovers: stateless,
  latestSnapshots: stateless,
  listSnapshots: stateless,
};
