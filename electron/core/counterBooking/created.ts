/**
 * A draft WAUG created an order for: the order goes into the order cache (the Orders view and the
 * voucher card read it), the draft becomes 'created', and the voucher's issuance is followed
 * (issuance.ts). An order under another partner number is not this booking's and is refused; one
 * that differs from the draft (WAUG kept an earlier version of it) is this booking's all the same
 * — nothing may be booked again under its number — but the clerk is told to check it.
 */
import type { BookingOutcome, DraftBody } from '../../../shared/contract.js';
import { DeskError } from '../../../shared/errors.js';
import type { StoredDraft } from '../db/bookingDrafts.js';
import { toOrderView } from '../orders/view.js';
import type { WaugOrder } from '../waug/api.js';
import type { BookingContext } from './context.js';
import { draftView } from './draftView.js';
import { bookingDeskError } from './errors.js';
import { issuanceSettled } from './issuance.js';

export type CreatedOutcome = Extract<BookingOutcome, { kind: 'created' }>;

const EARLIER_VERSION_BOOKED =
  'WAUG holds an earlier version of this booking under its number (other goods, date, options or quantities): check the order WAUG booked with the customer.';

type Booked = readonly {
  goodsId: string;
  useDate: string | null;
  options: readonly { goodsOptionItemId: string; quantity: number }[];
}[];

/** What was booked, comparable between a draft and WAUG's order: goods, dates, items × quantities. */
function bookedContent(goods: Booked): string {
  return goods
    .map((g) => {
      const items = g.options.map((o) => `${o.goodsOptionItemId}x${o.quantity}`).sort();
      return `${g.goodsId}@${g.useDate ?? ''}:${items.join(',')}`;
    })
    .sort()
    .join(';');
}

function sameBooking(body: DraftBody, order: WaugOrder): boolean {
  return bookedContent(body.goods) === bookedContent(order.orderGoods);
}

/** The order WAUG created for a draft: cached, the draft 'created', issuance followed. */
export function booked(ctx: BookingContext, d: StoredDraft, order: WaugOrder): CreatedOutcome {
  const ids = { draftId: d.draftId, orderNumber: order.orderNumber };
  if (order.partnerOrderNumber !== null && order.partnerOrderNumber !== d.partnerOrderNumber) {
    const message = `WAUG answered with order ${order.orderNumber}, which is under another partner number: it is not taken as this booking. Book again to ask WAUG once more: the same booking number is sent, so it is never booked twice.`;
    // A create was sent: whether this booking's own order exists is not known.
    ctx.move(d, ['submitting', 'unconfirmed'], { state: 'unconfirmed', lastError: message });
    ctx.log.warn('WAUG answered an order with another partner number; refused', ids);
    throw new DeskError('upstream', message);
  }
  const differs = !sameBooking(d.body, order);
  if (differs) ctx.log.warn('WAUG’s order differs from the counter booking sent under its number', ids);
  const cached = ctx.remember(order);
  const next =
    ctx.move(d, ['editing', 'submitting', 'unconfirmed'], {
      state: 'created',
      orderNumber: order.orderNumber,
      lastError: differs ? EARLIER_VERSION_BOOKED : null,
    }) ?? ctx.drafts().get(d.draftId);
  ctx.log.info('counter booking created', ids);
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
