/**
 * `book --file`: a WAUG order request made into a draft under the request's own partner number
 * (orderFile.ts turns it into a draft body), to be booked by the counter's own path. A number
 * already used answers its draft or the order booked under it, so running a file twice never
 * books twice.
 */
import { randomUUID } from 'node:crypto';
import type { BookingDraft } from '../../../shared/contract.js';
import { DeskError } from '../../../shared/errors.js';
import type { FreshGoods } from '../catalog/types.js';
import { NO_ITEM_NAMES, type StoredDraft } from '../db/bookingDrafts.js';
import type { WaugOrder, WaugOrderRequest } from '../waug/api.js';
import type { BookingContext } from './context.js';
import { booked, type CreatedOutcome } from './created.js';
import { draftView } from './draftView.js';
import { bookingDeskError } from './errors.js';
import { draftBodyFromRequest } from './orderFile.js';
import { partnerNumberProblem } from './partnerNumber.js';
import { settleFirst } from './recovery.js';
import { namesOf } from './reprice.js';

/** `book --file`: the draft to book, or the order already booked under the file's partner number. */
export type ImportedBooking =
  { alreadyBooked: true; outcome: CreatedOutcome } | { alreadyBooked: false; draft: BookingDraft };

export async function importOrderRequest(ctx: BookingContext, request: WaugOrderRequest): Promise<ImportedBooking> {
  const partner = request.partnerOrderNumber;
  const problem = partnerNumberProblem(partner);
  if (problem !== null) throw new DeskError('bad_input', `${problem}.`);
  const local = ctx.drafts().getByPartner(partner);
  const run = async (): Promise<ImportedBooking> => {
    let existing = local;
    if (existing !== null) {
      if (existing.state === 'discarded')
        throw new DeskError(
          'bad_input',
          `The booking with partner number ${partner} was discarded; use another number.`,
        );
      const settled = await settleFirst(ctx, existing);
      if ('created' in settled) return { alreadyBooked: true, outcome: settled.created };
      existing = settled.draft;
    }
    const range = (useDate: string) => ({ startDate: useDate, endDate: useDate });
    let fresh: FreshGoods[];
    try {
      fresh = await Promise.all(request.orderGoods.map((g) => ctx.catalog.refreshGoods(g.goodsId, range(g.useDate))));
    } catch (error) {
      throw bookingDeskError(error, 'Nothing was booked.');
    }
    const body = draftBodyFromRequest(
      request,
      fresh.map((f) => ({ goods: f.goods, orderInfos: f.orderInfos })),
    );
    const itemNames = namesOf(
      fresh.map((f) => f.goods),
      existing?.itemNames ?? NO_ITEM_NAMES,
    );
    let d: StoredDraft;
    if (existing === null) {
      const at = ctx.nowIso();
      d = {
        draftId: randomUUID(),
        partnerOrderNumber: partner,
        state: 'editing',
        body,
        itemNames,
        orderNumber: null,
        lastError: null,
        createdAt: at,
        updatedAt: at,
      };
      ctx.drafts().insert(d);
      ctx.emit(d);
    } else {
      const saved = ctx.move(existing, ['editing'], { body, itemNames });
      if (saved === null) throw new DeskError('busy', 'The booking changed state meanwhile; run again.');
      d = saved;
    }
    // Booked before under this number (another desk, a lost answer): that order is the answer.
    let found: WaugOrder | null;
    try {
      found = await ctx.requireWaug().getOrderByPartnerNumber(partner);
    } catch (error) {
      throw bookingDeskError(error, 'Nothing was booked.');
    }
    if (found !== null) return { alreadyBooked: true, outcome: booked(ctx, d, found) };
    return { alreadyBooked: false, draft: draftView(d) };
  };
  return local === null ? run() : ctx.withLock(local.draftId, run);
}
