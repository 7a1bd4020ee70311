/** A stored draft as the clerk sees it: the whole draft (body included), or its line in the drafts list. */
import type { BookingDraft, BookingDraftSummary } from '../../../shared/contract.js';
import type { WaugVoucherState } from '../../../shared/domain/waug.js';
import type { StoredDraft } from '../db/bookingDrafts.js';
import type { CachedOrder } from '../db/orders.js';
import { lineUnits } from './request.js';

export function voucherStateOf(order: CachedOrder | null): WaugVoucherState | null {
  if (order === null || order.goods.length === 0) return null;
  const states = order.goods.map((g) => g.voucher.state);
  if (states.every((s) => s === 'issued')) return 'issued';
  return states.includes('issuing') || states.includes('issued') ? 'issuing' : 'not_issued';
}

export function draftView(d: StoredDraft): BookingDraft {
  return {
    draftId: d.draftId,
    partnerOrderNumber: d.partnerOrderNumber,
    state: d.state,
    body: d.body,
    orderNumber: d.orderNumber,
    lastError: d.lastError,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

/** `cachedOrder` reads the order cache, and only for a draft that has an order. */
export function draftSummary(
  d: StoredDraft,
  cachedOrder: (orderNumber: string) => CachedOrder | null,
): BookingDraftSummary {
  return {
    draftId: d.draftId,
    partnerOrderNumber: d.partnerOrderNumber,
    state: d.state,
    goodsName: d.body.goods.map((g) => g.goodsName || `WAUG goods ${g.goodsId}`).join(' + '),
    goodsCount: d.body.goods.length,
    useDate: d.body.goods[0]?.useDate ?? null,
    units: d.body.goods.reduce((sum, line) => sum + lineUnits(line), 0),
    orderNumber: d.orderNumber,
    voucherState: d.orderNumber === null ? null : voucherStateOf(cachedOrder(d.orderNumber)),
    updatedAt: d.updatedAt,
  };
}
