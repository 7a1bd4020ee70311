/**
 * Validating and creating a booking. Both settle a create that may have reached WAUG first
 * (recovery.ts), then re-read and check the draft (prepare.ts), then ask WAUG; its refusals
 * (104, 105, 109, 106) are outcomes, not errors.
 *
 * create books only at the total the clerk confirmed, and writes 'submitting' before it sends. An
 * answer lost on the way back is settled by asking WAUG for the partner number, then by sending
 * the same number once more (WAUG creates at most one order per number); still unknown →
 * 'unconfirmed', and create may simply be asked again.
 */
import type { BookingOutcome } from '../../../shared/contract.js';
import { moneyToMinor } from '../../../shared/domain/bookingForm.js';
import { DeskError } from '../../../shared/errors.js';
import { describeWaugFailure, isWaugError } from '../orders/errors.js';
import type { WaugApi, WaugOrder } from '../waug/api.js';
import type { BookingContext } from './context.js';
import { booked } from './created.js';
import { draftView } from './draftView.js';
import { bookingDeskError, isRefusal } from './errors.js';
import { waugFieldErrors } from './fieldErrors.js';
import { prepare, priceChanged, rereadDraft, type Prepared } from './prepare.js';
import { settleFirst } from './recovery.js';

/** WAUG refused the order (validation or create): the clerk's outcome. Other failures throw. */
async function refused(ctx: BookingContext, p: Prepared, error: unknown, what: string): Promise<BookingOutcome> {
  if (!isWaugError(error) || !isRefusal(error)) throw bookingDeskError(error, what);
  ctx.log.info('WAUG refused a counter booking', { draftId: p.draft.draftId, failure: describeWaugFailure(error) });
  const d = ctx.drafts().get(p.draft.draftId) ?? p.draft;
  switch (error.kind) {
    case 'insufficient_balance': {
      const next =
        ctx.move(d, ['editing'], {
          lastError: `The prepaid WAUG balance is too low for ${p.total} ${p.currency} (code 104): top it up with WAUG, then book again.`,
        }) ?? d;
      return { kind: 'insufficient_balance', totalPrice: p.total, currency: p.currency, draft: draftView(next) };
    }
    case 'product_modified':
    case 'price_mismatch': {
      // WAUG knows better than the re-read a moment ago: read again and show what changed.
      const again = await rereadDraft(ctx, d);
      return priceChanged(ctx, again.draft, error.kind, again.changes, again.newTotal, again.currency);
    }
    case 'invalid_order': {
      const next = ctx.move(d, ['editing'], { lastError: 'WAUG refused some booking details (code 106).' }) ?? d;
      return {
        kind: 'invalid_fields',
        errors: waugFieldErrors(error.details.upstreamMessage ?? '', p.slots),
        draft: draftView(next),
      };
    }
  }
}

export async function validate(ctx: BookingContext, draftId: string): Promise<BookingOutcome> {
  return ctx.withLock(draftId, async () => {
    const settled = await settleFirst(ctx, ctx.requireDraft(draftId));
    if ('created' in settled) return settled.created;
    const p = await prepare(ctx, settled.draft);
    if (!('request' in p)) return p;
    let validation;
    try {
      validation = await ctx.requireWaug().validateOrder(p.request);
    } catch (error) {
      return refused(ctx, p, error, 'Nothing was booked.');
    }
    const next = ctx.move(p.draft, ['editing'], { lastError: null }) ?? p.draft;
    return {
      kind: 'orderable',
      totalPrice: validation.totalPrice,
      currency: validation.currency,
      draft: draftView(next),
    };
  });
}

/** The create failed and WAUG did not say no: ask, send once more, or leave it unconfirmed. */
async function settleAmbiguous(
  ctx: BookingContext,
  api: WaugApi,
  p: Prepared,
  first: unknown,
): Promise<BookingOutcome> {
  ctx.log.warn('the answer to a counter booking was lost; asking WAUG', {
    draftId: p.draft.draftId,
    failure: describeWaugFailure(first),
  });
  const unconfirmed = (error: unknown): BookingOutcome => {
    const message =
      'The booking was sent, but WAUG’s answer was lost and WAUG could not be asked yet. Book again: the same booking number is sent, so it is never booked twice.';
    const d = ctx.drafts().get(p.draft.draftId) ?? p.draft;
    const next = ctx.move(d, ['submitting'], { state: 'unconfirmed', lastError: message }) ?? d;
    ctx.log.warn('counter booking unconfirmed', { draftId: p.draft.draftId, failure: describeWaugFailure(error) });
    return { kind: 'unconfirmed', message, draft: draftView(next) };
  };
  let found: WaugOrder | null;
  try {
    found = await api.getOrderByPartnerNumber(p.draft.partnerOrderNumber);
  } catch (error) {
    return unconfirmed(error);
  }
  if (found !== null) return booked(ctx, p.draft, found);
  let order: WaugOrder;
  try {
    // Not there: send it once more under the same number (WAUG creates at most one per number).
    order = await api.createOrder(p.request);
  } catch (error) {
    if (isWaugError(error) && !error.details.mayHaveApplied && isRefusal(error)) {
      ctx.move(p.draft, ['submitting'], { state: 'editing' });
      return refused(ctx, p, error, 'Nothing was booked.');
    }
    return unconfirmed(error);
  }
  return booked(ctx, p.draft, order);
}

export async function create(ctx: BookingContext, draftId: string, confirmedTotal: string): Promise<BookingOutcome> {
  return ctx.withLock(draftId, async () => {
    const settled = await settleFirst(ctx, ctx.requireDraft(draftId));
    if ('created' in settled) return settled.created;
    const p = await prepare(ctx, settled.draft);
    if (!('request' in p)) return p;
    const api = ctx.requireWaug();
    let validation;
    try {
      validation = await api.validateOrder(p.request);
    } catch (error) {
      return refused(ctx, p, error, 'Nothing was booked.');
    }
    // Only at the total the clerk confirmed: WAUG's own word on it, just now.
    const total = moneyToMinor(validation.totalPrice);
    if (total === null || total !== moneyToMinor(confirmedTotal))
      return priceChanged(ctx, p.draft, 'reread', [], validation.totalPrice, validation.currency);

    // Durably 'submitting' before anything is sent: a crash from here on is settled at start.
    const sending = ctx.move(p.draft, ['editing'], { state: 'submitting', lastError: null });
    if (sending === null) throw new DeskError('busy', 'The booking changed state before it was sent; open it again.');
    const ready: Prepared = { ...p, draft: sending };
    let order: WaugOrder;
    try {
      order = await api.createOrder(ready.request);
    } catch (error) {
      if (isWaugError(error) && error.details.mayHaveApplied) return settleAmbiguous(ctx, api, ready, error);
      // WAUG said no, or nothing reached it: not booked, and the clerk may act and try again.
      ctx.move(sending, ['submitting'], { state: 'editing' });
      return refused(ctx, ready, error, 'Nothing was booked.');
    }
    return booked(ctx, sending, order);
  });
}
