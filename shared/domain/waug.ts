/**
 * WAUG order and ordered-goods statuses [seed], shared by the core and the renderer.
 * API-NOTES §2 "Statuses".
 */
export const WAUG_ORDER_GOODS_STATUSES = [
  'STATUS_WAIT', // payment not completed
  'STATUS_CANCEL', // cancelled before payment
  'STATUS_PAID', // paid, order created
  'STATUS_IN_PROGRESS', // voucher issuance in progress
  'STATUS_CONFIRMED', // voucher issued
  'STATUS_REFUND_REQUESTED',
  'STATUS_REFUND_COMPLETED',
  'STATUS_PARTIAL_REFUND_COMPLETED',
] as const;
export type WaugOrderGoodsStatus = (typeof WAUG_ORDER_GOODS_STATUSES)[number];

export const WAUG_ORDER_STATUSES = [
  'STATUS_WAIT',
  'STATUS_PAID',
  'STATUS_REFUND_REQUESTED',
  'STATUS_PARTIAL_REFUND_REQUESTED',
  'STATUS_REFUND_COMPLETED',
  'STATUS_PARTIAL_REFUND_COMPLETED',
] as const;
export type WaugOrderStatus = (typeof WAUG_ORDER_STATUSES)[number];

/** Whether the activity voucher exists yet: derived from the goods' voucher block and status. */
export const WAUG_VOUCHER_STATES = ['not_issued', 'issuing', 'issued'] as const;
export type WaugVoucherState = (typeof WAUG_VOUCHER_STATES)[number];
