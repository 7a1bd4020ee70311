/**
 * Live updates pushed by main (voucherChanged, orderChanged) as decisions: which view on screen
 * an event concerns, and what the clerk must be told when a voucher changed under their eyes.
 * Pure, so the rules are tested in Node; the state classes only carry them out.
 */
import type { LookupResult } from '../../../shared/contract.js';
import { normaliseSerial } from '../../../shared/domain/serial.js';
import type { VoucherStatus } from '../../../shared/domain/voucher.js';

type Found = Extract<LookupResult, { kind: 'found' }>;

export interface VoucherChange {
  serialNumber: string;
  voucherId: string | null;
  status: VoucherStatus;
}

/** Serials compare in their normal form, so "vd-…" from one side matches "VD…" from the other. */
function sameSerial(a: string, b: string): boolean {
  const left = normaliseSerial(a);
  const right = normaliseSerial(b);
  return left.ok && right.ok ? left.serial === right.serial : a.trim() === b.trim();
}

/** The card on the counter shows the voucher this event is about. */
export function voucherChangeConcernsCard(shown: Pick<Found, 'voucher'> | null, change: VoucherChange): boolean {
  if (shown === null) return false;
  if (change.voucherId !== null && change.voucherId === shown.voucher.voucherId) return true;
  return sameSerial(shown.voucher.serialNumber, change.serialNumber);
}

/** What the card says about a change that arrived while it was on screen. */
export interface LiveChange {
  serialNumber: string;
  from: VoucherStatus;
  to: VoucherStatus;
  /** It could be redeemed a moment ago and no longer can: the card must shout. */
  lostRedeemable: boolean;
}

/**
 * Compares the card before and after the re-read. Nothing to say when the status and the verdict
 * are unchanged (a duplicate or stale push).
 */
export function describeLiveChange(before: Found, after: Found): LiveChange | null {
  const wasRedeemable = before.verdict.redeemable;
  const isRedeemable = after.verdict.redeemable;
  if (before.voucher.status === after.voucher.status && wasRedeemable === isRedeemable) return null;
  return {
    serialNumber: after.voucher.serialNumber,
    from: before.voucher.status,
    to: after.voucher.status,
    lostRedeemable: wasRedeemable && !isRedeemable,
  };
}

/** What each order view on screen holds, for deciding which of them an orderChanged concerns. */
export interface OrderViewsShown {
  /** The counter's WAUG panel: the order it found, or only the partner number it looked for. */
  linked: { partnerOrderNumber: string | null; orderNumber: string | null };
  /** The order detail screen's order, when one is open. */
  detailOrderNumber: string | null;
  /** Whether the orders list is on screen, and the order numbers of its rows. */
  list: { visible: boolean; has(orderNumber: string): boolean };
  /** Whether the outbox's Bookings tab is on screen (a booking gets its WAUG order number). */
  bookingsVisible: boolean;
}

export interface OrderRefresh {
  linked: boolean;
  detail: boolean;
  list: boolean;
  bookings: boolean;
}

/**
 * Which views re-read after an orderChanged. The counter panel re-reads when it shows that order,
 * and also when it looked for the voucher's order and found none: a booking may just have made
 * it (the event names the new order's number, which the panel cannot know yet).
 */
export function ordersToRefresh(orderNumber: string, shown: OrderViewsShown): OrderRefresh {
  const { linked } = shown;
  return {
    linked: linked.orderNumber === orderNumber || (linked.partnerOrderNumber !== null && linked.orderNumber === null),
    detail: shown.detailOrderNumber === orderNumber,
    list: shown.list.visible && shown.list.has(orderNumber),
    bookings: shown.bookingsVisible,
  };
}
