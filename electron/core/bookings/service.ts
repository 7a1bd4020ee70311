/**
 * WAUG bookings for mapped Yahoo order items (issue 5 item 4, API-NOTES §2 "Order creation", §3).
 *
 * When the merchant issues serials (serve's onSerialsIssued hook), every order item whose Yahoo
 * productId/specId is mapped gets ONE booking row (keyed by orderItemId), in the same database,
 * synchronously and without any WAUG call: Yahoo's issue call never waits on WAUG.
 *
 * The worker then books each row, like the redemption outbox delivers (sync/outbox.ts): on start,
 * when kicked, and on a backoff timer (exponential, full jitter: sync/backoff.ts), one row at a
 * time (so never two attempts for one item). An attempt:
 *  1. asks WAUG for the order by partnerOrderNumber = orderItemId: a retry after a lost answer
 *     finds the order booked the first time and never books twice (WAUG is idempotent by that
 *     number too);
 *  2. takes the first orderable date within USE_DATE_WINDOW_DAYS and its price for the mapped
 *     option item (getGoodsPrices), and the input fields (getGoodsOrderInfos, orderInfos.ts);
 *  3. creates the order (quantity 1) and stores it in the orders cache.
 * Network trouble (and WAUG's 108/111/101) leaves the row queued for the next try. WAUG's
 * refusals (104 balance, 105 product modified, 106 order information, 109 price mismatch, 103 no
 * such goods) and fields the desk cannot fill make it 'failed' with a message for staff; a person
 * retries it (retry → queued) after acting, so nothing is ever re-ordered at a new price silently.
 */
import { DateTime } from 'luxon';
import type { BookingEntry, ProductMapping } from '../../../shared/contract.js';
import { DeskError } from '../../../shared/errors.js';
import { bookingsOf, toBookingEntry, type Booking, type BookingFilter } from '../db/bookings.js';
import { mappingsOf } from '../db/mappings.js';
import type { DeskStore } from '../db/store.js';
import type { Logger } from '../log/logger.js';
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from '../sync/backoff.js';
import { createRetryLoop, type RetryTimers } from '../sync/retryLoop.js';
import { WaugError, type WaugApi, type WaugOrder, type WaugPrice } from '../waug/api.js';
import { WAUG_TIME_ZONE } from '../waug/constants.js';
import { waugDayOf } from '../waug/time.js';
import type { BookingContact } from './contact.js';
import { buildBookingInfos } from './orderInfos.js';

/** The use date is the first orderable day from today (Asia/Seoul) within this many days. */
export const USE_DATE_WINDOW_DAYS = 60;
/** The locale of booked orders. */
export const BOOKING_LOCALE = 'en';

/** What serve tells us once it has issued (or re-answered) the serials of one Yahoo order. */
export interface IssuedSerials {
  orderId: string;
  productId: string;
  specId: string;
  items: readonly { orderItemId: string; serialNumber: string }[];
}

export interface BookingServiceOptions {
  store: () => DeskStore;
  waug: () => WaugApi | null;
  contact: () => BookingContact | null;
  now: () => Date;
  log: Logger;
  random?: () => number;
  backoff?: BackoffPolicy;
  timers?: RetryTimers;
  /** A booking row changed (counts for the sync status). */
  onChange?: () => void;
  /** An order was written to the orders cache. */
  onOrderChanged?: (orderNumber: string) => void;
}

export interface BookingDrainStats {
  attempted: number;
  booked: number;
  failed: number;
  stillQueued: number;
}

export interface BookingService {
  /** Queues a booking for every mapped item; returns the order items queued now. Never calls WAUG. */
  onSerialsIssued(issued: IssuedSerials): string[];
  listMappings(): ProductMapping[];
  setMapping(mapping: ProductMapping): ProductMapping[];
  removeMapping(yahooProductId: string, yahooSpecId: string): ProductMapping[];
  listBookings(filter: BookingFilter, limit: number): BookingEntry[];
  retryBooking(orderItemId: string): BookingEntry;
  counts(): { queued: number; failed: number };
  /** Run a pass soon (ignoreBackoff: every queued row, not only the due ones). */
  kick(options?: { ignoreBackoff?: boolean }): void;
  /** Tries every queued row once now and reports; for the CLI and tests. */
  drain(): Promise<BookingDrainStats>;
  stop(): Promise<void>;
}

/** Transient: the row stays queued. Everything else WAUG answers is a refusal a person must see. */
const TRANSIENT_KINDS: ReadonlySet<string> = new Set([
  'network',
  'timeout',
  'malformed',
  'too_large',
  'upstream',
  'unknown_code',
  'upstream_timeout',
  'rate_limited',
  'invalid_authentication',
]);

type Outcome =
  { kind: 'booked'; order: WaugOrder } | { kind: 'failed'; message: string } | { kind: 'retry'; message: string };

class Refused extends Error {}

function refusalMessage(error: WaugError, booking: Booking, priced: { date: string; price: string } | null): string {
  const at = priced === null ? '' : ` (use date ${priced.date}, unit price ${priced.price})`;
  switch (error.kind) {
    case 'insufficient_balance':
      return `WAUG refused: the prepaid balance is too low (104)${at}. Top up the WAUG balance, then retry.`;
    case 'product_modified':
      return `WAUG refused: goods ${booking.waugGoodsId} was modified (105); the mapped option item no longer exists. Update the product mapping, then retry.`;
    case 'price_mismatch':
      return `WAUG refused: the price changed (109)${at}. Check the new price with WAUG; a retry books at the price current then.`;
    case 'invalid_order':
      return `WAUG refused the order information (106): ${error.message}`;
    case 'not_found':
      return `WAUG has no goods ${booking.waugGoodsId} (103). Fix the product mapping, then retry.`;
    default:
      return `WAUG refused the booking: ${error.message}`;
  }
}

export function createBookingService(options: BookingServiceOptions): BookingService {
  const { log } = options;
  const random = options.random ?? Math.random;
  const policy = options.backoff ?? DEFAULT_BACKOFF;
  const abort = new AbortController();

  const bookings = () => bookingsOf(options.store().db);
  const mappings = () => mappingsOf(options.store().db);
  const nowIso = () => options.now().toISOString();
  const changed = () => {
    try {
      options.onChange?.();
    } catch (error) {
      log.error('bookings: change listener failed', { error });
    }
  };

  async function firstPrice(api: WaugApi, b: Booking): Promise<WaugPrice | null> {
    const today = waugDayOf(options.now().getTime());
    const last = DateTime.fromISO(today, { zone: WAUG_TIME_ZONE })
      .plus({ days: USE_DATE_WINDOW_DAYS - 1 })
      .toFormat('yyyy-MM-dd');
    const prices = await api.getGoodsPrices(
      b.waugGoodsId,
      { startDate: today, endDate: last },
      { signal: abort.signal },
    );
    return (
      prices
        .filter((p) => p.goodsOptionId === b.waugGoodsOptionId && p.goodsOptionItemId === b.waugGoodsOptionItemId)
        .filter((p) => p.date >= today)
        .sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0))[0] ?? null
    );
  }

  async function attempt(api: WaugApi, b: Booking): Promise<Outcome> {
    let priced: { date: string; price: string } | null = null;
    try {
      const existing = await api.getOrderByPartnerNumber(b.orderItemId, { signal: abort.signal });
      if (existing !== null) return { kind: 'booked', order: existing };
      const price = await firstPrice(api, b);
      if (price === null)
        throw new Refused(
          `WAUG goods ${b.waugGoodsId} option item ${b.waugGoodsOptionItemId} has no orderable date in the next ${USE_DATE_WINDOW_DAYS} days.`,
        );
      priced = { date: price.date, price: price.price };
      const groups = await api.getGoodsOrderInfos(b.waugGoodsId, { signal: abort.signal });
      const infos = buildBookingInfos(groups, options.contact());
      if (!infos.ok)
        throw new Refused(
          `WAUG goods ${b.waugGoodsId} requires ${infos.missing.join(', ')}, which the desk cannot fill ` +
            '(Yahoo sends no buyer details; set the booking contact for contact fields). Book it with WAUG by hand, or change the mapping.',
        );
      const order = await api.createOrder(
        {
          partnerOrderNumber: b.orderItemId,
          locale: BOOKING_LOCALE,
          orderGoods: [
            {
              goodsId: b.waugGoodsId,
              useDate: price.date,
              orderOptions: [
                {
                  goodsOptionId: b.waugGoodsOptionId,
                  goodsOptionItemId: b.waugGoodsOptionItemId,
                  quantity: 1,
                  price: price.price,
                },
              ],
              orderInfos: infos.goodsInfos,
            },
          ],
          orderInfos: infos.orderInfos,
        },
        { signal: abort.signal },
      );
      return { kind: 'booked', order };
    } catch (error) {
      if (error instanceof Refused) return { kind: 'failed', message: error.message };
      if (error instanceof WaugError) {
        if (TRANSIENT_KINDS.has(error.kind)) return { kind: 'retry', message: error.message };
        return { kind: 'failed', message: refusalMessage(error, b, priced) };
      }
      throw error;
    }
  }

  async function processRow(api: WaugApi, row: Booking, stats: BookingDrainStats): Promise<void> {
    const store = bookings();
    const current = store.get(row.orderItemId);
    if (current === null || current.state !== 'queued') return;
    stats.attempted += 1;
    let outcome: Outcome;
    try {
      outcome = await attempt(api, current);
    } catch (error) {
      log.error('bookings: an attempt failed unexpectedly', { orderItemId: row.orderItemId, error });
      outcome = { kind: 'retry', message: 'unexpected error; see the log' };
    }
    if (retry.stopped && outcome.kind === 'retry') return;
    const at = nowIso();
    if (outcome.kind === 'booked') {
      store.markBooked(current.orderItemId, outcome.order.orderNumber, at);
      try {
        options.store().orders.upsert(outcome.order, at);
      } catch (error) {
        log.error('bookings: could not cache the booked order', { orderNumber: outcome.order.orderNumber, error });
      }
      stats.booked += 1;
      log.info('WAUG order booked', { orderItemId: current.orderItemId, orderNumber: outcome.order.orderNumber });
      options.onOrderChanged?.(outcome.order.orderNumber);
    } else if (outcome.kind === 'failed') {
      store.markFailed(current.orderItemId, outcome.message, at);
      stats.failed += 1;
      log.warn('WAUG booking failed; staff must act', { orderItemId: current.orderItemId, reason: outcome.message });
    } else {
      const delay = backoffDelayMs(current.attempts + 1, random, policy);
      store.keepQueued(current.orderItemId, outcome.message, new Date(options.now().getTime() + delay).toISOString());
    }
    changed();
  }

  /** One pass: every row due (or every queued row), one at a time. Returns how many it tried. */
  async function pass(ignoreBackoff: boolean, stats: BookingDrainStats, seen: Set<string>): Promise<number> {
    const api = options.waug();
    if (api === null || !options.store().db.open) return 0;
    const rows = bookings()
      .due(nowIso(), 100 + seen.size, ignoreBackoff)
      .filter((r) => !seen.has(r.orderItemId));
    for (const row of rows) {
      if (retry.stopped) break;
      seen.add(row.orderItemId);
      await processRow(api, row, stats);
    }
    return rows.length;
  }

  const emptyStats = (): BookingDrainStats => ({ attempted: 0, booked: 0, failed: 0, stillQueued: 0 });

  const retry = createRetryLoop<BookingDrainStats>({
    name: 'bookings',
    pass,
    emptyStats,
    // No WAUG client or a closed database: nothing can be booked, so no timer; a kick restarts it.
    nextDueAt: () => (options.waug() === null || !options.store().db.open ? undefined : bookings().earliestDue()),
    maxWaitMs: policy.capMs,
    now: () => options.now(),
    log,
    timers: options.timers,
    onStop: () => abort.abort(new Error('the desk is closing')),
  });
  const kick = retry.kick;

  return {
    onSerialsIssued(issued) {
      const mapping = mappings().get(issued.productId, issued.specId);
      if (mapping === null) return [];
      const at = nowIso();
      const queued: string[] = [];
      const store = bookings();
      options
        .store()
        .db.transaction(() => {
          for (const item of issued.items) {
            const result = store.enqueue(
              { orderItemId: item.orderItemId, yahooOrderId: issued.orderId, serialNumber: item.serialNumber, mapping },
              at,
            );
            if (result === 'queued') queued.push(item.orderItemId);
          }
        })
        .immediate();
      if (queued.length > 0) {
        changed();
        // After the answer to Yahoo is on its way: never inside serve's request.
        setImmediate(() => kick());
      }
      return queued;
    },
    listMappings: () => mappings().list(),
    setMapping(mapping) {
      mappings().set(mapping, nowIso());
      return mappings().list();
    },
    removeMapping(productId, specId) {
      if (!mappings().remove(productId, specId))
        throw new DeskError('not_found', `No mapping for product ${productId} spec ${specId}.`);
      return mappings().list();
    },
    listBookings: (filter, limit) => bookings().list(filter, limit).map(toBookingEntry),
    retryBooking(orderItemId) {
      const row = bookings().retry(orderItemId);
      if (row === null) throw new DeskError('not_found', `No WAUG booking for order item ${orderItemId}.`);
      if (row.state === 'queued') {
        changed();
        kick({ ignoreBackoff: true });
      }
      return toBookingEntry(row);
    },
    counts: () => (options.store().db.open ? bookings().counts() : { queued: 0, failed: 0 }),
    kick,
    drain: () =>
      retry.drain({
        end: (stats) => {
          stats.stillQueued = bookings().counts().queued;
        },
      }),
    stop: () => retry.stop(),
  };
}
