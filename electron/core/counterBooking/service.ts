/**
 * Booking at the counter (issue 6 items 2.5–2.8 and 3, core side): drafts saved as the clerk
 * types, validation, creation exactly once, and following the voucher until it is issued.
 *
 *  - Drafts live in SQLite (db/bookingDrafts.ts); every save is committed, so a crash or a lost
 *    connection loses nothing saved. Each draft carries its own partnerOrderNumber from the start.
 *  - validate and create first re-read every goods from WAUG (the catalog's targeted re-sync),
 *    re-map replaced option items by name, and answer price_changed when a price differs: nothing
 *    is ever booked at a price the clerk did not confirm. Then the shared form check, then WAUG's
 *    validation; its refusals (104, 105, 109, 106) are outcomes, not errors.
 *  - create writes 'submitting' before it sends. An answer lost on the way back is settled by
 *    asking WAUG for the partner number, then by sending the same number once more (WAUG creates
 *    at most one order per number); still unknown → 'unconfirmed', and create may simply be asked
 *    again. Drafts a stopped desk left in 'submitting'/'unconfirmed' are settled at start. WAUG's
 *    "no such order" settles a draft only once its send is NOT_FOUND_SETTLES_AFTER_MS old: a slow
 *    create (108) may still finish, and the body must not change under its number (recovery.ts).
 *  - A created order goes into the order cache (the Orders view and the voucher card read it) and
 *    its issuance is followed (issuance.ts).
 * Body values are personal data: never logged; created, discarded and abandoned editing drafts are
 * purged once untouched for DRAFT_RETENTION_MS.
 *
 * The parts: context.ts (what they share), drafts.ts and draftView.ts, prepare.ts (re-read and
 * check), placement.ts (validate, create, refusals, a lost answer), created.ts, recovery.ts
 * (interrupted creates, following again at start), importRequest.ts (`book --file`).
 */
import type { BookingDraft, BookingDraftSummary, BookingOutcome, DraftBody } from '../../../shared/contract.js';
import type { WaugOrderRequest } from '../waug/api.js';
import { createBookingContext, type CounterBookingOptions } from './context.js';
import { discardDraft, getDraft, listDrafts, newDraft, purgeDrafts, saveDraft } from './drafts.js';
import { importOrderRequest, type ImportedBooking } from './importRequest.js';
import { create, validate } from './placement.js';
import { createRecovery } from './recovery.js';

export type { ImportedBooking };

const PURGE_EVERY_MS = 24 * 60 * 60_000;

export interface CounterBookingService {
  newDraft(request: { goodsId: string; replacesOrderNumber?: string | undefined }): Promise<BookingDraft>;
  saveDraft(draftId: string, body: DraftBody): BookingDraft;
  getDraft(draftId: string): BookingDraft;
  listDrafts(filter: 'open' | 'all', limit: number): BookingDraftSummary[];
  discardDraft(draftId: string): BookingDraft;
  validate(draftId: string): Promise<BookingOutcome>;
  create(draftId: string, confirmedTotal: string): Promise<BookingOutcome>;
  /** `book --file`: a draft under the request's own partner number (or the order booked under it). */
  importOrderRequest(request: WaugOrderRequest): Promise<ImportedBooking>;
  /** An order in the cache changed (a webhook, a sync, a booking): its draft's listeners hear of it. */
  orderChanged(orderNumber: string): void;
  /** Purges old drafts, follows recent issuances again and settles interrupted creates, in the background. */
  start(): void;
  stop(): Promise<void>;
}

export function createCounterBookingService(options: CounterBookingOptions): CounterBookingService {
  const ctx = createBookingContext(options);
  const recovery = createRecovery(ctx);
  let purgeEvery: ReturnType<typeof setInterval> | null = null;

  return {
    newDraft: (request) => newDraft(ctx, request),
    saveDraft: (draftId, body) => saveDraft(ctx, draftId, body),
    getDraft: (draftId) => getDraft(ctx, draftId),
    listDrafts: (filter, limit) => listDrafts(ctx, filter, limit),
    discardDraft: (draftId) => discardDraft(ctx, draftId),
    validate: (draftId) => validate(ctx, draftId),
    create: (draftId, confirmedTotal) => create(ctx, draftId, confirmedTotal),
    importOrderRequest: (request) => importOrderRequest(ctx, request),
    orderChanged(orderNumber) {
      if (!ctx.store().db.open) return;
      ctx.emit(ctx.drafts().getByOrder(orderNumber));
    },
    start() {
      purgeDrafts(ctx);
      recovery.start();
      purgeEvery = setInterval(() => purgeDrafts(ctx), PURGE_EVERY_MS);
      purgeEvery.unref();
    },
    async stop() {
      recovery.stop();
      if (purgeEvery !== null) clearInterval(purgeEvery);
      await ctx.follower.stop();
    },
  };
}
