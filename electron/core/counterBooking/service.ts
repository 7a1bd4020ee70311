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
 *    again. Drafts a stopped desk left in 'submitting'/'unconfirmed' are settled at start.
 *  - A created order goes into the order cache (the Orders view and the voucher card read it) and
 *    its issuance is followed (issuance.ts).
 * Body values are personal data: never logged; created and discarded drafts are purged after
 * DRAFT_RETENTION_MS.
 */
import { randomUUID } from 'node:crypto';
import type {
  BookingDraft,
  BookingDraftSummary,
  BookingOutcome,
  DraftBody,
  PriceChange,
} from '../../../shared/contract.js';
import { checkBookingForm, moneyToMinor, type FormSlot } from '../../../shared/domain/bookingForm.js';
import type { WaugVoucherState } from '../../../shared/domain/waug.js';
import { waugToday } from '../../../shared/domain/waugFields.js';
import { DeskError } from '../../../shared/errors.js';
import type { CatalogReader, FreshGoods } from '../catalog/types.js';
import {
  bookingDraftsOf,
  type BookingDraftStore,
  type DraftChange,
  type ItemNames,
  type StoredDraft,
} from '../db/bookingDrafts.js';
import type { CachedOrder } from '../db/orders.js';
import type { DeskStore } from '../db/store.js';
import type { Logger } from '../log/logger.js';
import { describeWaugFailure, deskErrorFromWaug, isWaugError, waugNotConfigured } from '../orders/errors.js';
import type { WaugReachability } from '../orders/reachability.js';
import { toOrderView } from '../orders/view.js';
import { realTimers, type RetryTimers } from '../sync/retryLoop.js';
import type { WaugApi, WaugError, WaugOrder, WaugOrderRequest } from '../waug/api.js';
import { localFieldErrors, waugFieldErrors } from './fieldErrors.js';
import { createIssuanceFollower, issuanceSettled, type IssuancePolicy } from './issuance.js';
import { draftBodyFromRequest } from './orderFile.js';
import { newPartnerOrderNumber, partnerNumberProblem } from './partnerNumber.js';
import { namesOf, repriceDraft } from './reprice.js';
import { buildOrderRequest, draftSlots, draftTotal, incompleteReason, lineUnits, type LineGoods } from './request.js';

/** Created and discarded drafts hold names and phone numbers: kept this long, then deleted. */
export const DRAFT_RETENTION_MS = 30 * 24 * 60 * 60_000;
/** At start, created bookings this recent whose voucher has not come yet are followed again. */
export const RESUME_FOLLOW_WITHIN_MS = 7 * 24 * 60 * 60_000;
/** Settling drafts left in 'submitting'/'unconfirmed': the first try, then doubling up to the cap. */
export const RECONCILE_POLICY = Object.freeze({ firstAfterMs: 1_000, maxMs: 60_000 });
const PURGE_EVERY_MS = 24 * 60 * 60_000;

export type CreatedOutcome = Extract<BookingOutcome, { kind: 'created' }>;
/** `book --file`: the draft to book, or the order already booked under the file's partner number. */
export type ImportedBooking =
  { alreadyBooked: true; outcome: CreatedOutcome } | { alreadyBooked: false; draft: BookingDraft };

export interface CounterBookingOptions {
  store: () => DeskStore;
  /** The WAUG client in use (wrapped by the reachability judge), or null when unconfigured. */
  waug: () => WaugApi | null;
  reachability: WaugReachability;
  catalog: CatalogReader;
  /** The locale of the order requests (the desk's language). */
  locale: () => string;
  now: () => Date;
  log: Logger;
  /** An order was written to the order cache. */
  onOrderChanged: (orderNumber: string) => void;
  onDraftChanged: (summary: BookingDraftSummary) => void;
  issuance?: Partial<IssuancePolicy>;
  timers?: RetryTimers;
  /** A uniform integer in [0, n) from a cryptographic source (tests may fix it). */
  randomIndex?: (n: number) => number;
}

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

/** Ready to send: the request, the form it was built from, and what WAUG should charge. */
interface Prepared {
  draft: StoredDraft;
  request: WaugOrderRequest;
  slots: FormSlot[];
  total: string;
  currency: string;
}

type Refusal = 'insufficient_balance' | 'product_modified' | 'price_mismatch' | 'invalid_order';
const REFUSALS: ReadonlySet<string> = new Set<Refusal>([
  'insufficient_balance',
  'product_modified',
  'price_mismatch',
  'invalid_order',
]);
const isRefusal = (error: WaugError): error is WaugError & { kind: Refusal } => REFUSALS.has(error.kind);

const PRICE_WORDS = {
  reread: 'The prices changed since they were shown: check the new total and confirm again.',
  product_modified: 'WAUG changed this product (code 105): check the new options and prices, then confirm again.',
  price_mismatch: 'WAUG’s price changed (code 109): check the new total and confirm again.',
} as const;

export function voucherStateOf(order: CachedOrder | null): WaugVoucherState | null {
  if (order === null || order.goods.length === 0) return null;
  const states = order.goods.map((g) => g.voucher.state);
  if (states.every((s) => s === 'issued')) return 'issued';
  return states.includes('issuing') || states.includes('issued') ? 'issuing' : 'not_issued';
}

export function createCounterBookingService(options: CounterBookingOptions): CounterBookingService {
  const { log, catalog } = options;
  const timers = options.timers ?? realTimers;
  const drafts = (): BookingDraftStore => bookingDraftsOf(options.store().db);
  const nowIso = () => options.now().toISOString();
  /** Drafts with a validate, create or import in flight: one at a time, and no save meanwhile. */
  const busy = new Set<string>();
  let purgeEvery: ReturnType<typeof setInterval> | null = null;
  let reconcileTimer: unknown = null;
  let reconcileDelay: number = RECONCILE_POLICY.firstAfterMs;
  let stopped = false;

  const requireWaug = (): WaugApi => {
    const api = options.waug();
    if (api === null) throw waugNotConfigured();
    return api;
  };

  const view = (d: StoredDraft): BookingDraft => ({
    draftId: d.draftId,
    partnerOrderNumber: d.partnerOrderNumber,
    state: d.state,
    body: d.body,
    orderNumber: d.orderNumber,
    lastError: d.lastError,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  });

  const summary = (d: StoredDraft): BookingDraftSummary => ({
    draftId: d.draftId,
    partnerOrderNumber: d.partnerOrderNumber,
    state: d.state,
    goodsName: d.body.goods.map((g) => g.goodsName || `WAUG goods ${g.goodsId}`).join(' + '),
    useDate: d.body.goods[0]?.useDate ?? null,
    units: d.body.goods.reduce((sum, line) => sum + lineUnits(line), 0),
    orderNumber: d.orderNumber,
    voucherState: d.orderNumber === null ? null : voucherStateOf(options.store().orders.get(d.orderNumber)),
    updatedAt: d.updatedAt,
  });

  const emit = (d: StoredDraft | null): void => {
    if (d === null) return;
    try {
      options.onDraftChanged(summary(d));
    } catch (error) {
      log.error('bookingDraftChanged listener failed', { error });
    }
  };

  const requireDraft = (draftId: string): StoredDraft => {
    const d = drafts().get(draftId);
    if (d === null) throw new DeskError('not_found', `There is no booking draft ${draftId}.`);
    return d;
  };

  /** Moves a draft (from one of `from`) and tells listeners; null when it was in another state. */
  const move = (d: StoredDraft, from: readonly StoredDraft['state'][], change: DraftChange): StoredDraft | null => {
    const next = drafts().update(d.draftId, from, change, nowIso());
    emit(next);
    return next;
  };

  async function withLock<T>(draftId: string, task: () => Promise<T>): Promise<T> {
    if (busy.has(draftId))
      throw new DeskError('busy', 'This booking is being checked or sent to WAUG right now; wait for the answer.');
    busy.add(draftId);
    try {
      return await task();
    } finally {
      busy.delete(draftId);
    }
  }

  /** WAUG's failure as the clerk's error; `what` says what did (not) happen. */
  const deskError = (error: unknown, what: string): unknown => {
    if (isWaugError(error)) {
      if (error.kind === 'not_found')
        return new DeskError('not_found', `WAUG no longer has this goods or option (code 103). ${what}`, {
          cause: error,
        });
      return deskErrorFromWaug(error, what);
    }
    return error;
  };

  // ---- the order cache and issuance --------------------------------------------------------

  /** Caches WAUG's answer; tells the order's listeners when what it shows changed. */
  const remember = (order: WaugOrder): CachedOrder | null => {
    if (!options.store().db.open) return null;
    const orders = options.store().orders;
    const before = orders.get(order.orderNumber);
    orders.upsert(order, nowIso());
    const after = orders.get(order.orderNumber);
    const changed =
      before === null ||
      before.orderStatus !== after?.orderStatus ||
      JSON.stringify(before.goods.map((g) => [g.status, g.voucher])) !==
        JSON.stringify(after?.goods.map((g) => [g.status, g.voucher]));
    if (changed) {
      try {
        options.onOrderChanged(order.orderNumber);
      } catch (error) {
        log.error('orderChanged listener failed', { error });
      }
    }
    return after;
  };

  const follower = createIssuanceFollower({
    waug: options.waug,
    now: () => options.now().getTime(),
    log,
    ...(options.issuance === undefined ? {} : { policy: options.issuance }),
    timers,
    onRead(order) {
      const cached = remember(order);
      return cached === null || issuanceSettled(cached.goods) || issuanceSettled(order.orderGoods);
    },
  });

  /** The order WAUG created for a draft: cached, the draft 'created', issuance followed. */
  function booked(d: StoredDraft, order: WaugOrder): CreatedOutcome {
    if (order.partnerOrderNumber !== null && order.partnerOrderNumber !== d.partnerOrderNumber)
      log.warn('WAUG answered an order with another partner number', {
        draftId: d.draftId,
        orderNumber: order.orderNumber,
      });
    const cached = remember(order);
    const next =
      move(d, ['editing', 'submitting', 'unconfirmed'], {
        state: 'created',
        orderNumber: order.orderNumber,
        lastError: null,
      }) ?? drafts().get(d.draftId);
    log.info('counter booking created', { draftId: d.draftId, orderNumber: order.orderNumber });
    if (cached === null || !issuanceSettled(cached.goods)) follower.follow(order.orderNumber, options.now().getTime());
    if (cached === null || next === null) throw new DeskError('busy', 'The desk is closing.');
    return { kind: 'created', order: toOrderView(cached), draft: view(next) };
  }

  /** The outcome of a draft already created: the order from the cache, else from WAUG. */
  async function createdOutcome(d: StoredDraft): Promise<CreatedOutcome> {
    const orderNumber = d.orderNumber as string;
    let cached = options.store().orders.get(orderNumber);
    if (cached === null) {
      let order: WaugOrder | null;
      try {
        order = await requireWaug().getOrder(orderNumber);
      } catch (error) {
        throw deskError(error, `Order ${orderNumber} was booked, but it could not be read now.`);
      }
      if (order === null) throw new DeskError('not_found', `WAUG has no order ${orderNumber} any more.`);
      cached = remember(order);
    }
    if (cached === null) throw new DeskError('busy', 'The desk is closing.');
    return { kind: 'created', order: toOrderView(cached), draft: view(d) };
  }

  /**
   * A draft whose create may have reached WAUG: WAUG's word by partner number settles it. Found →
   * created; not found → nothing was booked, the draft is editable again (null). Network trouble
   * throws and leaves the draft as it was.
   */
  async function reconcile(d: StoredDraft): Promise<CreatedOutcome | null> {
    let found: WaugOrder | null;
    try {
      found = await requireWaug().getOrderByPartnerNumber(d.partnerOrderNumber);
    } catch (error) {
      throw deskError(error, 'Whether this booking was created is not known yet; nothing was sent again.');
    }
    if (found !== null) return booked(d, found);
    move(d, ['submitting', 'unconfirmed'], {
      state: 'editing',
      lastError: 'WAUG has no order for this booking: nothing was booked. Check it and book again.',
    });
    log.info('counter booking not found at WAUG; editable again', { draftId: d.draftId });
    return null;
  }

  // ---- re-read, check, build ---------------------------------------------------------------

  /** Re-reads every goods of the draft from WAUG; errors leave the draft untouched. */
  async function rereadGoods(body: DraftBody): Promise<FreshGoods[]> {
    try {
      return await Promise.all(
        body.goods.map((line) =>
          catalog.refreshGoods(line.goodsId, { startDate: line.useDate ?? '', endDate: line.useDate ?? '' }),
        ),
      );
    } catch (error) {
      throw deskError(error, 'The goods could not be read again from WAUG; nothing was booked.');
    }
  }

  /**
   * Re-reads the draft's goods and holds the draft against them (reprice.ts); a re-map or a new
   * price is saved into the draft at once, so the clerk sees and confirms what WAUG wants.
   */
  async function rereadDraft(d: StoredDraft) {
    // The names as the clerk saw them, before the re-read replaces the cached goods.
    const cachedGoods = d.body.goods.flatMap((line) => catalog.cachedGoods(line.goodsId)?.goods ?? []);
    const known = namesOf(cachedGoods, { items: {}, timeslots: {} });
    const names: ItemNames = {
      items: { ...known.items, ...d.itemNames.items },
      timeslots: { ...known.timeslots, ...d.itemNames.timeslots },
    };
    const fresh = await rereadGoods(d.body);
    const repriced = repriceDraft(d.body, names, fresh);
    let draft = d;
    if (repriced.touched) {
      const saved = move(d, ['editing'], { body: repriced.body, itemNames: repriced.itemNames });
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
  async function prepare(d: StoredDraft): Promise<Prepared | BookingOutcome> {
    const gap = incompleteReason(d.body);
    if (gap !== null) throw new DeskError('bad_input', gap);
    const { draft, fresh, changes, newTotal, currency } = await rereadDraft(d);
    if (changes.length > 0) return priceChanged(draft, 'reread', changes, newTotal, currency);
    const lines: LineGoods[] = fresh.map((f) => ({ goods: f.goods, orderInfos: f.orderInfos }));
    const gone = incompleteReason(draft.body, lines);
    if (gone !== null) throw new DeskError('bad_input', gone);
    const slots = draftSlots(draft.body, lines);
    const problems = checkBookingForm(slots, draft.body.values, waugToday(options.now().getTime()));
    if (Object.keys(problems).length > 0) {
      const next = move(draft, ['editing'], { lastError: 'Some booking details are missing or not valid.' }) ?? draft;
      return { kind: 'invalid_fields', errors: localFieldErrors(slots, problems), draft: view(next) };
    }
    const request = buildOrderRequest({
      partnerOrderNumber: draft.partnerOrderNumber,
      locale: options.locale(),
      body: draft.body,
      slots,
    });
    return { draft, request, slots, total: draftTotal(draft.body) ?? '0', currency };
  }

  function priceChanged(
    d: StoredDraft,
    reason: keyof typeof PRICE_WORDS,
    changes: PriceChange[],
    newTotal: string | null,
    currency: string,
  ): BookingOutcome {
    const next = move(d, ['editing'], { lastError: PRICE_WORDS[reason] }) ?? d;
    return { kind: 'price_changed', reason, changes, newTotal, currency, draft: view(next) };
  }

  /** WAUG refused the order (validation or create): the clerk's outcome. Other failures throw. */
  async function refused(p: Prepared, error: unknown, what: string): Promise<BookingOutcome> {
    if (!isWaugError(error) || !isRefusal(error)) throw deskError(error, what);
    log.info('WAUG refused a counter booking', { draftId: p.draft.draftId, failure: describeWaugFailure(error) });
    const d = drafts().get(p.draft.draftId) ?? p.draft;
    switch (error.kind) {
      case 'insufficient_balance': {
        const next =
          move(d, ['editing'], {
            lastError: `The prepaid WAUG balance is too low for ${p.total} ${p.currency} (code 104): top it up with WAUG, then book again.`,
          }) ?? d;
        return { kind: 'insufficient_balance', totalPrice: p.total, currency: p.currency, draft: view(next) };
      }
      case 'product_modified':
      case 'price_mismatch': {
        // WAUG knows better than the re-read a moment ago: read again and show what changed.
        const again = await rereadDraft(d);
        return priceChanged(again.draft, error.kind, again.changes, again.newTotal, again.currency);
      }
      case 'invalid_order': {
        const next = move(d, ['editing'], { lastError: 'WAUG refused some booking details (code 106).' }) ?? d;
        return {
          kind: 'invalid_fields',
          errors: waugFieldErrors(error.details.upstreamMessage ?? '', p.slots),
          draft: view(next),
        };
      }
    }
  }

  // ---- validate and create ------------------------------------------------------------------

  /**
   * Before a validate or create: a created draft answers its order; one a create may have reached
   * WAUG for is settled by partner number first; an editing one goes on.
   */
  async function settleFirst(d: StoredDraft): Promise<{ created: CreatedOutcome } | { draft: StoredDraft }> {
    switch (d.state) {
      case 'created':
        return { created: await createdOutcome(d) };
      case 'discarded':
        throw new DeskError('bad_input', 'This booking draft was discarded; start a new one.');
      case 'submitting':
      case 'unconfirmed': {
        const created = await reconcile(d);
        if (created !== null) return { created };
        return { draft: requireDraft(d.draftId) };
      }
      case 'editing':
        return { draft: d };
    }
  }

  async function validate(draftId: string): Promise<BookingOutcome> {
    return withLock(draftId, async () => {
      const settled = await settleFirst(requireDraft(draftId));
      if ('created' in settled) return settled.created;
      const p = await prepare(settled.draft);
      if (!('request' in p)) return p;
      let validation;
      try {
        validation = await requireWaug().validateOrder(p.request);
      } catch (error) {
        return refused(p, error, 'Nothing was booked.');
      }
      const next = move(p.draft, ['editing'], { lastError: null }) ?? p.draft;
      return { kind: 'orderable', totalPrice: validation.totalPrice, currency: validation.currency, draft: view(next) };
    });
  }

  /** The create failed and WAUG did not say no: ask, send once more, or leave it unconfirmed. */
  async function settleAmbiguous(api: WaugApi, p: Prepared, first: unknown): Promise<BookingOutcome> {
    log.warn('the answer to a counter booking was lost; asking WAUG', {
      draftId: p.draft.draftId,
      failure: describeWaugFailure(first),
    });
    const unconfirmed = (error: unknown): BookingOutcome => {
      const message =
        'The booking was sent, but WAUG’s answer was lost and WAUG could not be asked yet. Book again: the same booking number is sent, so it is never booked twice.';
      const d = drafts().get(p.draft.draftId) ?? p.draft;
      const next = move(d, ['submitting'], { state: 'unconfirmed', lastError: message }) ?? d;
      log.warn('counter booking unconfirmed', { draftId: p.draft.draftId, failure: describeWaugFailure(error) });
      return { kind: 'unconfirmed', message, draft: view(next) };
    };
    try {
      const found = await api.getOrderByPartnerNumber(p.draft.partnerOrderNumber);
      if (found !== null) return booked(p.draft, found);
    } catch (error) {
      return unconfirmed(error);
    }
    try {
      // Not there: send it once more under the same number (WAUG creates at most one per number).
      return booked(p.draft, await api.createOrder(p.request));
    } catch (error) {
      if (isWaugError(error) && !error.details.mayHaveApplied && isRefusal(error)) {
        move(p.draft, ['submitting'], { state: 'editing' });
        return refused(p, error, 'Nothing was booked.');
      }
      return unconfirmed(error);
    }
  }

  async function create(draftId: string, confirmedTotal: string): Promise<BookingOutcome> {
    return withLock(draftId, async () => {
      const settled = await settleFirst(requireDraft(draftId));
      if ('created' in settled) return settled.created;
      const p = await prepare(settled.draft);
      if (!('request' in p)) return p;
      const api = requireWaug();
      let validation;
      try {
        validation = await api.validateOrder(p.request);
      } catch (error) {
        return refused(p, error, 'Nothing was booked.');
      }
      // Only at the total the clerk confirmed: WAUG's own word on it, just now.
      const total = moneyToMinor(validation.totalPrice);
      if (total === null || total !== moneyToMinor(confirmedTotal))
        return priceChanged(p.draft, 'reread', [], validation.totalPrice, validation.currency);

      // Durably 'submitting' before anything is sent: a crash from here on is settled at start.
      const sending = move(p.draft, ['editing'], { state: 'submitting', lastError: null });
      if (sending === null) throw new DeskError('busy', 'The booking changed state before it was sent; open it again.');
      const ready: Prepared = { ...p, draft: sending };
      try {
        return booked(sending, await api.createOrder(ready.request));
      } catch (error) {
        if (isWaugError(error) && error.details.mayHaveApplied) return settleAmbiguous(api, ready, error);
        // WAUG said no, or nothing reached it: not booked, and the clerk may act and try again.
        move(sending, ['submitting'], { state: 'editing' });
        return refused(ready, error, 'Nothing was booked.');
      }
    });
  }

  // ---- drafts ---------------------------------------------------------------------------------

  async function newDraft(request: {
    goodsId: string;
    replacesOrderNumber?: string | undefined;
  }): Promise<BookingDraft> {
    const cached = catalog.cachedGoods(request.goodsId);
    let goodsName = cached?.goods.goodsName;
    let names = cached === null ? null : namesOf([cached.goods], { items: {}, timeslots: {} });
    if (goodsName === undefined) {
      const today = waugToday(options.now().getTime());
      let fresh: FreshGoods;
      try {
        fresh = await catalog.refreshGoods(request.goodsId, { startDate: today, endDate: today });
      } catch (error) {
        throw deskError(error, 'No booking was started.');
      }
      goodsName = fresh.goods.goodsName;
      names = namesOf([fresh.goods], { items: {}, timeslots: {} });
    }
    const at = nowIso();
    const draft: StoredDraft = {
      draftId: randomUUID(),
      partnerOrderNumber: newPartnerOrderNumber(options.now().getTime(), options.randomIndex),
      state: 'editing',
      body: {
        goods: [{ goodsId: request.goodsId, goodsName, useDate: null, options: [], additionalInput: '' }],
        values: {},
        step: 'date',
        replacesOrderNumber: request.replacesOrderNumber ?? null,
      },
      itemNames: names ?? { items: {}, timeslots: {} },
      orderNumber: null,
      lastError: null,
      createdAt: at,
      updatedAt: at,
    };
    drafts().insert(draft);
    log.info('booking draft started', { draftId: draft.draftId, goodsId: request.goodsId });
    emit(draft);
    return view(draft);
  }

  function saveDraft(draftId: string, body: DraftBody): BookingDraft {
    const d = requireDraft(draftId);
    if (busy.has(draftId))
      throw new DeskError('busy', 'This booking is being checked or sent to WAUG right now; wait for the answer.');
    if (d.state !== 'editing') {
      const why: Record<Exclude<StoredDraft['state'], 'editing'>, string> = {
        submitting: 'it is being sent to WAUG',
        unconfirmed: 'it may already be booked: book it again to find out (it is never booked twice)',
        created: `it is booked (order ${d.orderNumber ?? ''})`,
        discarded: 'it was discarded',
      };
      throw new DeskError('bad_input', `This booking cannot be changed: ${why[d.state]}.`);
    }
    // Names of the ids picked, while the cache still knows them (a later re-map needs them).
    const cachedGoods = body.goods.flatMap((line) => catalog.cachedGoods(line.goodsId)?.goods ?? []);
    const next = drafts().update(
      draftId,
      ['editing'],
      { body, itemNames: namesOf(cachedGoods, d.itemNames) },
      nowIso(),
    );
    if (next === null) throw new DeskError('busy', 'The booking changed state meanwhile; open it again.');
    emit(next);
    return view(next);
  }

  function discardDraft(draftId: string): BookingDraft {
    const d = requireDraft(draftId);
    if (d.state === 'discarded') return view(d);
    if (busy.has(draftId) || d.state === 'submitting')
      throw new DeskError('busy', 'This booking is being sent to WAUG right now; wait for the answer.');
    if (d.state === 'created')
      throw new DeskError(
        'bad_input',
        `This booking is already booked (order ${d.orderNumber ?? ''}); refund the order instead.`,
      );
    if (d.state === 'unconfirmed')
      throw new DeskError(
        'bad_input',
        'This booking may already be booked: book it again to find out before discarding it.',
      );
    const next = move(d, ['editing'], { state: 'discarded' });
    if (next === null) throw new DeskError('busy', 'The booking changed state meanwhile; open it again.');
    log.info('booking draft discarded', { draftId });
    return view(next);
  }

  async function importOrderRequest(request: WaugOrderRequest): Promise<ImportedBooking> {
    const partner = request.partnerOrderNumber;
    const problem = partnerNumberProblem(partner);
    if (problem !== null) throw new DeskError('bad_input', `${problem}.`);
    const local = drafts().getByPartner(partner);
    const run = async (): Promise<ImportedBooking> => {
      let existing = local;
      if (existing !== null) {
        if (existing.state === 'discarded')
          throw new DeskError(
            'bad_input',
            `The booking with partner number ${partner} was discarded; use another number.`,
          );
        const settled = await settleFirst(existing);
        if ('created' in settled) return { alreadyBooked: true, outcome: settled.created };
        existing = settled.draft;
      }
      const range = (useDate: string) => ({ startDate: useDate, endDate: useDate });
      let fresh: FreshGoods[];
      try {
        fresh = await Promise.all(request.orderGoods.map((g) => catalog.refreshGoods(g.goodsId, range(g.useDate))));
      } catch (error) {
        throw deskError(error, 'Nothing was booked.');
      }
      const body = draftBodyFromRequest(
        request,
        fresh.map((f) => ({ goods: f.goods, orderInfos: f.orderInfos })),
      );
      const itemNames = namesOf(
        fresh.map((f) => f.goods),
        existing?.itemNames ?? { items: {}, timeslots: {} },
      );
      let d: StoredDraft;
      if (existing === null) {
        const at = nowIso();
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
        drafts().insert(d);
        emit(d);
      } else {
        const saved = move(existing, ['editing'], { body, itemNames });
        if (saved === null) throw new DeskError('busy', 'The booking changed state meanwhile; run again.');
        d = saved;
      }
      // Booked before under this number (another desk, a lost answer): that order is the answer.
      let found: WaugOrder | null;
      try {
        found = await requireWaug().getOrderByPartnerNumber(partner);
      } catch (error) {
        throw deskError(error, 'Nothing was booked.');
      }
      if (found !== null) return { alreadyBooked: true, outcome: booked(d, found) };
      return { alreadyBooked: false, draft: view(d) };
    };
    return local === null ? run() : withLock(local.draftId, run);
  }

  // ---- background -----------------------------------------------------------------------------

  function purge(): void {
    if (!options.store().db.open) return;
    const removed = drafts().purge(new Date(options.now().getTime() - DRAFT_RETENTION_MS).toISOString());
    if (removed > 0) log.info('old booking drafts purged', { removed });
  }

  /** Drafts a stopped desk left mid-create: settled by partner number once WAUG answers. */
  async function reconcilePending(): Promise<void> {
    reconcileTimer = null;
    if (stopped || !options.store().db.open) return;
    const pending = drafts()
      .inStates(['submitting', 'unconfirmed'])
      .filter((d) => !busy.has(d.draftId));
    if (pending.length === 0) return;
    let failed = false;
    if (options.waug() === null || options.reachability.workOffline) failed = true;
    for (const d of failed ? [] : pending) {
      if (stopped) return;
      try {
        await withLock(d.draftId, async () => {
          const current = drafts().get(d.draftId);
          if (current !== null && (current.state === 'submitting' || current.state === 'unconfirmed'))
            await reconcile(current);
        });
      } catch (error) {
        failed = true;
        log.warn('an interrupted counter booking could not be settled yet', {
          draftId: d.draftId,
          failure: describeWaugFailure(error),
        });
      }
    }
    if (failed && !stopped) {
      reconcileTimer = timers.setTimeout(() => void reconcilePending(), reconcileDelay);
      reconcileDelay = Math.min(reconcileDelay * 2, RECONCILE_POLICY.maxMs);
    }
  }

  function resumeFollowing(): void {
    const since = new Date(options.now().getTime() - RESUME_FOLLOW_WITHIN_MS).toISOString();
    for (const d of drafts().createdSince(since)) {
      const cached = options.store().orders.get(d.orderNumber as string);
      if (cached !== null && issuanceSettled(cached.goods)) continue;
      follower.follow(d.orderNumber as string, Date.parse(d.updatedAt));
    }
  }

  return {
    newDraft,
    saveDraft,
    getDraft: (draftId) => view(requireDraft(draftId)),
    listDrafts: (filter, limit) => drafts().list(filter, limit).map(summary),
    discardDraft,
    validate,
    create,
    importOrderRequest,
    orderChanged(orderNumber) {
      if (!options.store().db.open) return;
      emit(drafts().getByOrder(orderNumber));
    },
    start() {
      purge();
      resumeFollowing();
      reconcileTimer = timers.setTimeout(() => void reconcilePending(), RECONCILE_POLICY.firstAfterMs);
      purgeEvery = setInterval(purge, PURGE_EVERY_MS);
      purgeEvery.unref();
    },
    async stop() {
      stopped = true;
      if (reconcileTimer !== null) timers.clearTimeout(reconcileTimer);
      if (purgeEvery !== null) clearInterval(purgeEvery);
      await follower.stop();
    },
  };
}
