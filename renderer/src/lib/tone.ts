/**
 * The colour family a voucher is shown in. Colour is never the only signal: every tone is
 * paired with words (status and reason) on the card.
 */
import type { RedeemVerdict, VoucherStatus } from '../../../shared/domain/voucher.js';

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
