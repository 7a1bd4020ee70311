/**
 * A draft WAUG created an order for: the order goes into the order cache (the Orders view and the
 * voucher card read it), the draft becomes 'created', and the voucher's issuance is followed
 * (issuance.ts).
 */
import type { BookingOutcome } from '../../../shared/contract.js';
import { DeskError } from '../../../shared/errors.js';
import type { StoredDraft } from '../db/bookingDrafts.js';
import { toOrderView } from '../orders/view.js';
import type { WaugOrder } from '../waug/api.js';
import type { BookingContext } from './context.js';
import { draftView } from './draftView.js';
import { bookingDeskError } from './errors.js';
import { issuanceSettled } from './issuance.js';

export type CreatedOutcome = Extract<BookingOutcome, { kind: 'created' }>;

/** The order WAUG created for a draft: cached, the draft 'created', issuance followed. */
export function booked(ctx: BookingContext, d: StoredDraft, order: WaugOrder): CreatedOutcome {
  if (order.partnerOrderNumber !== null && order.partnerOrderNumber !== d.partnerOrderNumber)
    ctx.log.warn('WAUG answered an order with another partner number', {
      draftId: d.draftId,
      orderNumber: order.orderNumber,
    });
  const cached = ctx.remember(order);
  const next =
    ctx.move(d, ['editing', 'submitting', 'unconfirmed'], {
      state: 'created',
      orderNumber: order.orderNumber,
      lastError: null,
    }) ?? ctx.drafts().get(d.draftId);
  ctx.log.info('counter booking created', { draftId: d.draftId, orderNumber: order.orderNumber });
  if (cached === null || !issuanceSettled(cached.goods)) ctx.follower.follow(order.orderNumber, ctx.now().getTime());
  if (cached === null || next === null) throw new DeskError('busy', 'The desk is closing.');
  return { kind: 'created', order: toOrderView(cached), draft: draftView(next) };
}

/** The outcome of a draft already created: the order from the cache, else from WAUG. */
export async function createdOutcome(ctx: BookingContext, d: StoredDraft): Promise<CreatedOutcome> {
  const orderNumber = d.orderNumber as string;
  let cached = ctx.store().orders.get(orderNumber);
  if (cached === null) {
    let order: WaugOrder | null;
    try {
      order = await ctx.requireWaug().getOrder(orderNumber);
    } catch (error) {
      throw bookingDeskError(error, `Order ${orderNumber} was booked, but it could not be read now.`);
    }
    if (order === null) throw new DeskError('not_found', `WAUG has no order ${orderNumber} any more.`);
    cached = ctx.remember(order);
  }
  if (cached === null) throw new DeskError('busy', 'The desk is closing.');
  return { kind: 'created', order: toOrderView(cached), draft: draftView(d) };
}
