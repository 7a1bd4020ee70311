/**
 * The Yahoo e-voucher as the whole app sees it, after normalisation (API-NOTES §1):
 * ids are strings of digits, every time is an ISO-8601 UTC string, price is a decimal string.
 */
export const VOUCHER_STATUSES = ['UNUSED', 'USED', 'REFUNDPENDING', 'REFUNDED', 'CANCELLED'] as const;
export type VoucherStatus = (typeof VOUCHER_STATUSES)[number];

export interface BuyerDetails {
  name: string | null;
  phone: string | null;
}

export interface Voucher {
  voucherId: string;
  productId: string;
  specId: string;
  /** Decimal string in TWD as Yahoo sent it, e.g. "200". Never a float. */
  price: string;
  serialNumber: string;
  orderId: string;
  orderItemId: string | null;
  title: string;
  redemptionDesc: string | null;
  buyerDetails: BuyerDetails;
  executedBy: string | null;
  status: VoucherStatus;
  refundType: string | null;
  redemptionType: string | null;
  /** ISO-8601 UTC, e.g. "2015-01-05T07:20:00.000Z". */
  statusAppliedTime: string | null;
  deliveredTime: string | null;
  expireTime: string | null;
  startTime: string | null;
}

/** Why the counter may not redeem a voucher. One word per row of API-NOTES' status table. */
export const REFUSAL_REASONS = ['used', 'refund_pending', 'refunded', 'cancelled', 'expired'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export type RedeemVerdict = { redeemable: true } | { redeemable: false; reason: RefusalReason };

const REFUSAL_BY_STATUS: Record<Exclude<VoucherStatus, 'UNUSED'>, RefusalReason> = {
  USED: 'used',
  REFUNDPENDING: 'refund_pending',
  REFUNDED: 'refunded',
  CANCELLED: 'cancelled',
};

/** The counter's rule (API-NOTES §1 "Voucher statuses"): only an unexpired UNUSED voucher may be redeemed. */
export function redeemVerdict(voucher: Pick<Voucher, 'status' | 'expireTime'>, now: Date): RedeemVerdict {
  if (voucher.status !== 'UNUSED') return { redeemable: false, reason: REFUSAL_BY_STATUS[voucher.status] };
  if (voucher.expireTime !== null && Date.parse(voucher.expireTime) <= now.getTime()) {
    return { redeemable: false, reason: 'expired' };
  }
  return { redeemable: true };
}
