/**
 * What the counter booking's modules share: the drafts table, WAUG (when configured), the order
 * cache and the issuance follower, the clock, and the one-at-a-time lock of each draft.
 */
import type { BookingDraftSummary } from '../../../shared/contract.js';
import { DeskError } from '../../../shared/errors.js';
import type { CatalogReader } from '../catalog/types.js';
import { bookingDraftsOf, type BookingDraftStore, type DraftChange, type StoredDraft } from '../db/bookingDrafts.js';
import type { CachedOrder } from '../db/orders.js';
import type { DeskStore } from '../db/store.js';
import type { Logger } from '../log/logger.js';
import { waugNotConfigured } from '../orders/errors.js';
import type { WaugReachability } from '../orders/reachability.js';
import { realTimers, type RetryTimers } from '../sync/retryLoop.js';
import type { WaugApi, WaugOrder } from '../waug/api.js';
import { draftSummary } from './draftView.js';
import { createIssuanceFollower, issuanceSettled, type IssuanceFollower, type IssuancePolicy } from './issuance.js';

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

export interface BookingContext extends CounterBookingOptions {
  readonly timers: RetryTimers;
  readonly follower: IssuanceFollower;
  drafts(): BookingDraftStore;
  nowIso(): string;
  requireWaug(): WaugApi;
  requireDraft(draftId: string): StoredDraft;
  /** The draft's summary for its listeners and the drafts list. */
  summary(d: StoredDraft): BookingDraftSummary;
  /** Tells the draft's listeners; a listener that fails is logged, never the caller's failure. */
  emit(d: StoredDraft | null): void;
  /** Moves a draft (from one of `from`) and tells listeners; null when it was in another state. */
  move(d: StoredDraft, from: readonly StoredDraft['state'][], change: DraftChange): StoredDraft | null;
  /** True while a validate, create or import of the draft is in flight. */
  isBusy(draftId: string): boolean;
  /** Throws busy while a validate, create or import of the draft is in flight. */
  assertIdle(draftId: string): void;
  /** Runs a validate, create or import of the draft: one at a time, and no save meanwhile. */
  withLock<T>(draftId: string, task: () => Promise<T>): Promise<T>;
  /** Caches WAUG's answer; tells the order's listeners when what it shows changed. */
  remember(order: WaugOrder): CachedOrder | null;
}

export function createBookingContext(options: CounterBookingOptions): BookingContext {
  const { log } = options;
  const timers = options.timers ?? realTimers;
  const drafts = (): BookingDraftStore => bookingDraftsOf(options.store().db);
  const nowIso = () => options.now().toISOString();
  const busy = new Set<string>();

  const summary = (d: StoredDraft): BookingDraftSummary =>
    draftSummary(d, (orderNumber) => options.store().orders.get(orderNumber));

  const emit = (d: StoredDraft | null): void => {
    if (d === null) return;
    try {
      options.onDraftChanged(summary(d));
    } catch (error) {
      log.error('bookingDraftChanged listener failed', { error });
    }
  };

  const assertIdle = (draftId: string): void => {
    if (busy.has(draftId))
      throw new DeskError('busy', 'This booking is being checked or sent to WAUG right now; wait for the answer.');
  };

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

  return {
    ...options,
    timers,
    follower,
    drafts,
    nowIso,
    requireWaug() {
      const api = options.waug();
      if (api === null) throw waugNotConfigured();
      return api;
    },
    requireDraft(draftId) {
      const d = drafts().get(draftId);
      if (d === null) throw new DeskError('not_found', `There is no booking draft ${draftId}.`);
      return d;
    },
    summary,
    emit,
    move(d, from, change) {
      const next = drafts().update(d.draftId, from, change, nowIso());
      emit(next);
      return next;
    },
    isBusy: (draftId) => busy.has(draftId),
    assertIdle,
    async withLock(draftId, task) {
      assertIdle(draftId);
      busy.add(draftId);
      try {
        return await task();
      } finally {
        busy.delete(draftId);
      }
    },
    remember,
  };
}
