/** The counter: look up, redeem, and list this shift's redemptions, over one DeskStore. */
import type { LookupResult, RedeemResult, ShiftRedemption } from '../../../shared/contract.js';
import { maskName } from '../../../shared/domain/mask.js';
import { createCounterContext, type CounterDeps } from './context.js';
import { lookupVoucher } from './lookup.js';
import { createRedeemer } from './redeem.js';

export type { CounterDeps, DeskIdentity } from './context.js';

export interface Counter {
  lookupVoucher(serial: string, prefer: 'cache' | 'remote'): Promise<LookupResult>;
  redeemVoucher(serial: string): Promise<RedeemResult>;
  /** This station's redemptions since `since` (ISO), newest first. */
  listShiftRedemptions(station: string, since: string): ShiftRedemption[];
  /** Writes the lookup audit entries still queued; call before closing the database. */
  flushAudit(): void;
}

export function createCounter(deps: CounterDeps): Counter {
  const ctx = createCounterContext(deps);
  const redeemer = createRedeemer(ctx);
  return {
    lookupVoucher: (serial, prefer) => lookupVoucher(ctx, serial, prefer),
    redeemVoucher: (serial) => redeemer.redeemVoucher(serial),
    listShiftRedemptions(station, since) {
      // Failed attempts (nothing reached Yahoo) are listed too: the clerk saw them fail.
      return deps.store.redemptions.forShift(station, since).map(({ redemption, title, buyerName }) => ({
        redemptionId: redemption.id,
        at: redemption.createdAt,
        serialNumber: redemption.serialNumber,
        title,
        outcome: redemption.state,
        reason: redemption.reason,
        buyerNameMasked: maskName(buyerName),
        operatorName: redemption.operator,
      }));
    },
    flushAudit: () => ctx.flushAudit(),
  };
}
