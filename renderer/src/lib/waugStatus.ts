/**
 * The colour family and icon of each WAUG order and ordered-goods status. The words come from
 * the catalogs (Translator.orderStatus / goodsStatus); colour is never the only signal, every
 * chip carries the words too.
 */
import type { WaugOrderGoodsStatus, WaugOrderStatus, WaugVoucherState } from '../../../shared/domain/waug.js';

/** waiting: not paid yet · paid: paid, nothing issued · progress: being issued · done: issued · refund: refund under way or partial · void: cancelled or fully refunded */
export type WaugTone = 'waiting' | 'paid' | 'progress' | 'done' | 'refund' | 'void';

export const GOODS_STATUS_TONES: Readonly<Record<WaugOrderGoodsStatus, WaugTone>> = {
  STATUS_WAIT: 'waiting',
  STATUS_CANCEL: 'void',
  STATUS_PAID: 'paid',
  STATUS_IN_PROGRESS: 'progress',
  STATUS_CONFIRMED: 'done',
  STATUS_REFUND_REQUESTED: 'refund',
  STATUS_REFUND_COMPLETED: 'void',
  STATUS_PARTIAL_REFUND_COMPLETED: 'refund',
};

export const ORDER_STATUS_TONES: Readonly<Record<WaugOrderStatus, WaugTone>> = {
  STATUS_WAIT: 'waiting',
  STATUS_PAID: 'paid',
  STATUS_REFUND_REQUESTED: 'refund',
  STATUS_PARTIAL_REFUND_REQUESTED: 'refund',
  STATUS_REFUND_COMPLETED: 'void',
  STATUS_PARTIAL_REFUND_COMPLETED: 'refund',
};

export const VOUCHER_STATE_TONES: Readonly<Record<WaugVoucherState, WaugTone>> = {
  not_issued: 'waiting',
  issuing: 'progress',
  issued: 'done',
};

export const TONE_ICONS: Readonly<Record<WaugTone, string>> = {
  waiting: '…',
  paid: '●',
  progress: '⟳',
  done: '✓',
  refund: '↩',
  void: '✕',
};

export const goodsTone = (status: WaugOrderGoodsStatus): WaugTone => GOODS_STATUS_TONES[status];
export const orderTone = (status: WaugOrderStatus): WaugTone => ORDER_STATUS_TONES[status];
export const voucherStateTone = (state: WaugVoucherState): WaugTone => VOUCHER_STATE_TONES[state];

const ORDER_REFUND_STATUSES: ReadonlySet<WaugOrderStatus> = new Set([
  'STATUS_REFUND_REQUESTED',
  'STATUS_PARTIAL_REFUND_REQUESTED',
  'STATUS_REFUND_COMPLETED',
  'STATUS_PARTIAL_REFUND_COMPLETED',
]);

const GOODS_REFUND_STATUSES: ReadonlySet<WaugOrderGoodsStatus> = new Set([
  'STATUS_REFUND_REQUESTED',
  'STATUS_REFUND_COMPLETED',
  'STATUS_PARTIAL_REFUND_COMPLETED',
]);

/** A refund was asked for or made: the order cannot be refunded again. */
export const isOrderInRefund = (status: WaugOrderStatus): boolean => ORDER_REFUND_STATUSES.has(status);
export const isGoodsInRefund = (status: WaugOrderGoodsStatus): boolean => GOODS_REFUND_STATUSES.has(status);
