/** The counter: look up, redeem, and list this shift's redemptions, over one DeskStore. */
import type { LookupResult, RedeemResult, ShiftRedemption } from '../../../shared/contract.js';
import { maskName } from '../../../shared/domain/mask.js';
import type { Redemption } from '../db/redemptions.js';
import type { Delivery } from '../sync/delivery.js';
import type { SerialLocks } from '../sync/locks.js';
import { createCounterContext, type CounterContext, type CounterDeps } from './context.js';
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
  /** What the outbox worker shares with the clerk's redeem: one way to send and settle a row, one lock per voucher. */
  readonly delivery: Delivery;
  readonly locks: SerialLocks;
  readonly context: CounterContext;
}

/** How a redemption row reads in the shift list: a pending row is 'queued' once the clerk was told so. */
export function shiftOutcome(row: Redemption): ShiftRedemption['outcome'] {
  if (row.state === 'pending') return row.honoured ? 'queued' : 'pending';
  return row.state;
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
        outcome: shiftOutcome(redemption),
        reason: redemption.reason,
        buyerNameMasked: maskName(buyerName),
        operatorName: redemption.operator,
      }));
    },
    flushAudit: () => ctx.flushAudit(),
    delivery: redeemer.delivery,
    locks: ctx.locks,
    context: ctx,
  };
}
