/**
 * The colour family a voucher is shown in. Colour is never the only signal: every tone is
 * paired with words (status and reason) on the card.
 */
import type { LocalRedemption } from '../../../shared/contract.js';
import type { RedeemVerdict, VoucherStatus } from '../../../shared/domain/voucher.js';
import type { MessageKey } from '../../../shared/i18n/index.js';

export type VoucherTone = 'redeemable' | 'used' | 'pending' | 'void';

export function voucherTone(status: VoucherStatus, verdict: RedeemVerdict): VoucherTone {
  if (verdict.redeemable) return 'redeemable';
  switch (verdict.reason) {
    case 'used':
      return 'used';
    case 'refund_pending':
      return 'pending';
    case 'refunded':
    case 'cancelled':
    case 'expired':
      return 'void';
  }
  return status === 'UNUSED' ? 'void' : 'used';
}

type LocalState = NonNullable<LocalRedemption>['state'];

/**
 * A redemption this desk already made outranks a cached "unused": Yahoo may not know it yet,
 * but the voucher must not be redeemed again here. The card takes the local colour then.
 */
export function cardTone(
  status: VoucherStatus,
  verdict: RedeemVerdict,
  local: Pick<NonNullable<LocalRedemption>, 'state'> | null,
): VoucherTone {
  if (local !== null && verdict.redeemable) return LOCAL_TONES[local.state];
  return voucherTone(status, verdict);
}

const LOCAL_TONES: Record<LocalState, VoucherTone> = { queued: 'pending', redeemed: 'used', conflict: 'void' };

/** The headline key when the desk's own redemption is what the clerk must see first. */
export function localHeadlineKey(local: { state: LocalState } | null, verdict: RedeemVerdict): MessageKey | null {
  if (local === null || !verdict.redeemable) return null;
  return LOCAL_HEADLINES[local.state];
}

const LOCAL_HEADLINES: Record<LocalState, MessageKey> = {
  queued: 'verdict.local.queued',
  redeemed: 'verdict.local.redeemed',
  conflict: 'verdict.local.conflict',
};
