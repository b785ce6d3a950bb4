import { EgressError, ErrorCode } from "../errors.js";
import type { PartnerHandover } from "../partners/partner-handover.js";

/** What steps may read of the partner registry (the state store's handovers); they never write it. */
export interface PartnerRegistry {
  /** Handovers, newest first: every partner's, or one partner's (by its compared name). */
  listHandovers(partnerKey?: string): Promise<PartnerHandover[]>;
}

/** The registry of a bot that keeps no state: asking it says so. */
export const noPartnerRegistry: PartnerRegistry = {
  listHandovers: () =>
    Promise.reject(new EgressError(ErrorCode.NotAvailable, "This bot keeps no state, so it has no partner registry.")),
};
