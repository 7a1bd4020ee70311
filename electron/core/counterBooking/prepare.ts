/**
 * Before WAUG is asked to validate or create: every goods re-read from WAUG (the catalog's targeted
 * re-sync), the draft held against it (reprice.ts: replaced option items re-mapped by name, new
 * prices), then the shared form check. A price that differs is answered as price_changed: nothing
 * is ever booked at a price the clerk did not confirm.
 */
import type { BookingOutcome, DraftBody, PriceChange } from '../../../shared/contract.js';
import { checkBookingForm, type FormSlot } from '../../../shared/domain/bookingForm.js';
import { waugToday } from '../../../shared/domain/waugFields.js';
import { DeskError } from '../../../shared/errors.js';
import type { FreshGoods } from '../catalog/types.js';
import { NO_ITEM_NAMES, type ItemNames, type StoredDraft } from '../db/bookingDrafts.js';
import type { WaugOrderRequest } from '../waug/api.js';
import type { BookingContext } from './context.js';
import { draftView } from './draftView.js';
import { bookingDeskError } from './errors.js';
import { localFieldErrors } from './fieldErrors.js';
import { namesOf, repriceDraft } from './reprice.js';
import { buildOrderRequest, draftSlots, draftTotal, incompleteReason, type LineGoods } from './request.js';

/** Ready to send: the request, the form it was built from, and what WAUG should charge. */
export interface Prepared {
  draft: StoredDraft;
  request: WaugOrderRequest;
  slots: FormSlot[];
  total: string;
  currency: string;
}

const PRICE_WORDS = {
  reread: 'The prices changed since they were shown: check the new total and confirm again.',
  product_modified: 'WAUG changed this product (code 105): check the new options and prices, then confirm again.',
  price_mismatch: 'WAUG’s price changed (code 109): check the new total and confirm again.',
} as const;

/** Re-reads every goods of the draft from WAUG; errors leave the draft untouched. */
async function rereadGoods(ctx: BookingContext, body: DraftBody): Promise<FreshGoods[]> {
  try {
    return await Promise.all(
      body.goods.map((line) =>
        ctx.catalog.refreshGoods(line.goodsId, { startDate: line.useDate ?? '', endDate: line.useDate ?? '' }),
      ),
    );
  } catch (error) {
    throw bookingDeskError(error, 'The goods could not be read again from WAUG; nothing was booked.');
  }
}

/**
 * Re-reads the draft's goods and holds the draft against them (reprice.ts); a re-map or a new
 * price is saved into the draft at once, so the clerk sees and confirms what WAUG wants.
 */
export async function rereadDraft(ctx: BookingContext, d: StoredDraft) {
  // The names as the clerk saw them, before the re-read replaces the cached goods.
  const cachedGoods = d.body.goods.flatMap((line) => ctx.catalog.cachedGoods(line.goodsId)?.goods ?? []);
  const known = namesOf(cachedGoods, NO_ITEM_NAMES);
  const names: ItemNames = {
    items: { ...known.items, ...d.itemNames.items },
    timeslots: { ...known.timeslots, ...d.itemNames.timeslots },
  };
  const fresh = await rereadGoods(ctx, d.body);
  const repriced = repriceDraft(d.body, names, fresh);
  let draft = d;
  if (repriced.touched) {
    const saved = ctx.move(d, ['editing'], { body: repriced.body, itemNames: repriced.itemNames });
    if (saved === null) throw new DeskError('busy', 'The booking changed state while it was checked; open it again.');
    draft = saved;
  }
  return {
    draft,
    fresh,
    changes: repriced.changes,
    newTotal: repriced.newTotal,
    currency: fresh[0]?.goods.currency ?? '',
  };
}

/**
 * Re-read, re-price, check: an outcome for the clerk (price_changed, invalid_fields), or the
 * request ready to send. Only an editing draft gets here.
 */
export async function prepare(ctx: BookingContext, d: StoredDraft): Promise<Prepared | BookingOutcome> {
  const gap = incompleteReason(d.body);
  if (gap !== null) throw new DeskError('bad_input', gap);
  const { draft, fresh, changes, newTotal, currency } = await rereadDraft(ctx, d);
  if (changes.length > 0) return priceChanged(ctx, draft, 'reread', changes, newTotal, currency);
  const lines: LineGoods[] = fresh.map((f) => ({ goods: f.goods, orderInfos: f.orderInfos }));
  const gone = incompleteReason(draft.body, lines);
  if (gone !== null) throw new DeskError('bad_input', gone);
  const slots = draftSlots(draft.body, lines);
  const problems = checkBookingForm(slots, draft.body.values, waugToday(ctx.now().getTime()));
  if (Object.keys(problems).length > 0) {
    const next = ctx.move(draft, ['editing'], { lastError: 'Some booking details are missing or not valid.' }) ?? draft;
    return { kind: 'invalid_fields', errors: localFieldErrors(slots, problems), draft: draftView(next) };
  }
  const request = buildOrderRequest({
    partnerOrderNumber: draft.partnerOrderNumber,
    locale: ctx.locale(),
    body: draft.body,
    slots,
  });
  const total = draftTotal(draft.body);
  // WAUG's prices, as just re-read: one that is not an amount of at most two decimals cannot be summed.
  if (total === null)
    throw new DeskError(
      'upstream',
      'WAUG gives a price this desk cannot add up (more than two decimals), so the total cannot be confirmed; nothing was booked.',
    );
  return { draft, request, slots, total, currency };
}

export function priceChanged(
  ctx: BookingContext,
  d: StoredDraft,
  reason: keyof typeof PRICE_WORDS,
  changes: PriceChange[],
  newTotal: string | null,
  currency: string,
): BookingOutcome {
  const next = ctx.move(d, ['editing'], { lastError: PRICE_WORDS[reason] }) ?? d;
  return { kind: 'price_changed', reason, changes, newTotal, currency, draft: draftView(next) };
}
