/**
 * WAUG orders at the counter (issue 4 items 3 and 4, core side): look an order up (by its number
 * or by the partner number = the Yahoo orderItemId), search the cache, pull orders by date range,
 * and request a refund as a manager.
 *
 *  - getOrder: 'cache' answers from SQLite at once when it can; 'remote' asks WAUG, caches the
 *    answer (newest-wins) and answers from the cache when WAUG cannot be reached or the clerk
 *    works offline — at once, not after a timeout, once WAUG is judged unreachable.
 *  - searchOrders: the cache only, index-backed; days are Asia/Seoul days, the days WAUG's
 *    listOrders means, so a pull of a range and a search of the same range agree.
 *  - syncOrders: listOrders in SYNC_CHUNK_DAYS-day calls, each upserted as it arrives.
 *  - requestRefund: manager PIN (throttled), the local refund rule (refundable.ts) before any
 *    call, WAUG's refund request, then the order RE-READ from WAUG (no webhook follows [seed]).
 *    Every attempt is audited (who, which order, the outcome), never the reason text.
 */
import { DateTime } from 'luxon';
import type { GetOrderResult, OrderView, SearchOrdersResult } from '../../../shared/contract.js';
import type { WaugOrderStatus } from '../../../shared/domain/waug.js';
import { DeskError } from '../../../shared/errors.js';
import { lockedError, type ManagerPin } from '../config/managerPin.js';
import type { CachedOrder, OrderStore } from '../db/orders.js';
import type { DeskStore } from '../db/store.js';
import type { Logger } from '../log/logger.js';
import type { WaugApi, WaugOrder } from '../waug/api.js';
import { WAUG_DATE_FORMAT, WAUG_TIME_ZONE } from '../waug/constants.js';
import { isWaugDate, waugDayOf } from '../waug/time.js';
import {
  describeWaugFailure,
  deskErrorFromWaug,
  isWaugError,
  WAUG_CACHE_FALLBACK_KINDS,
  waugNotConfigured,
  waugPhrase,
} from './errors.js';
import type { WaugReachability } from './reachability.js';
import { describeRefusal, refundRefusal } from './refundable.js';
import { toOrderSummary, toOrderView } from './view.js';

/** listOrders is asked for at most this many days at a time. */
export const SYNC_CHUNK_DAYS = 7;
/** The longest range one syncOrders call accepts. */
export const SYNC_MAX_DAYS = 366;
/**
 * A refund is judged on the cached order when it was read this recently (the manager is looking
 * at it); an older one is read from WAUG first.
 */
export const REFUND_CACHE_MAX_AGE_MS = 5 * 60_000;
/** While WAUG is judged unreachable, a lookup of an uncached order still asks, but gives up sooner. */
export const OFFLINE_ORDER_TIMEOUT_MS = 3_000;

export interface OrderServiceOptions {
  store: () => DeskStore;
  /** The WAUG client in use (already wrapped by the reachability judge), or null when unconfigured. */
  waug: () => WaugApi | null;
  reachability: WaugReachability;
  pin: ManagerPin;
  identity: () => { station: string; operator: string };
  now: () => Date;
  log: Logger;
}

export interface OrderService {
  getOrder(request: {
    orderNumber?: string | undefined;
    partnerOrderNumber?: string | undefined;
    prefer: 'cache' | 'remote';
  }): Promise<GetOrderResult>;
  searchOrders(request: {
    number?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    statuses?: readonly WaugOrderStatus[] | undefined;
    limit: number;
  }): SearchOrdersResult;
  syncOrders(request: { from: string; to: string }): Promise<{ pulled: number; durationMs: number }>;
  /** The background sync: the last `days` Asia/Seoul days, today included. */
  syncRecent(days: number): Promise<{ pulled: number; durationMs: number }>;
  requestRefund(request: { orderNumber: string; reason: string; managerPin: string }): Promise<OrderView>;
}

/** yyyy-MM-dd days from..to inclusive, cut into chunks of at most `size` days. */
export function dayChunks(from: string, to: string, size = SYNC_CHUNK_DAYS): { startDate: string; endDate: string }[] {
  const chunks: { startDate: string; endDate: string }[] = [];
  let start = DateTime.fromFormat(from, WAUG_DATE_FORMAT, { zone: 'UTC' });
  const last = DateTime.fromFormat(to, WAUG_DATE_FORMAT, { zone: 'UTC' });
  while (start <= last) {
    const end = DateTime.min(start.plus({ days: size - 1 }), last);
    chunks.push({ startDate: start.toFormat(WAUG_DATE_FORMAT), endDate: end.toFormat(WAUG_DATE_FORMAT) });
    start = end.plus({ days: 1 });
  }
  return chunks;
}

function checkRange(from: string | undefined, to: string | undefined): void {
  for (const [name, day] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (day !== undefined && !isWaugDate(day))
      throw new DeskError('bad_input', `${name} must be a real day, YYYY-MM-DD.`);
  }
  if (from !== undefined && to !== undefined && from > to)
    throw new DeskError('bad_input', `The range is backwards: ${from} is after ${to}.`);
}

export function createOrderService(options: OrderServiceOptions): OrderService {
  const { reachability, log } = options;
  const orders = (): OrderStore => options.store().orders;
  const nowIso = () => options.now().toISOString();
  const refunding = new Set<string>();
  let backgroundRefresh: Promise<unknown> | null = null;

  const requireWaug = (): WaugApi => {
    const api = options.waug();
    if (api === null) throw waugNotConfigured();
    return api;
  };

  const found = (order: CachedOrder, source: 'cache' | 'remote'): GetOrderResult => ({
    kind: 'found',
    order: toOrderView(order),
    source,
    fetchedAt: order.fetchedAt,
  });

  /** Caches what WAUG said (newest-wins) and answers with what the cache now holds. */
  const remember = (order: WaugOrder): CachedOrder => {
    orders().upsert(order, nowIso());
    const cached = orders().get(order.orderNumber);
    if (cached === null) throw new DeskError('internal', 'The order could not be read back from the cache.');
    return cached;
  };

  const fetchRemote = (
    api: WaugApi,
    key: { orderNumber?: string | undefined; partnerOrderNumber?: string | undefined },
    timeoutMs?: number,
  ): Promise<WaugOrder | null> => {
    const callOptions = timeoutMs === undefined ? undefined : { timeoutMs };
    return key.orderNumber !== undefined
      ? api.getOrder(key.orderNumber, callOptions)
      : api.getOrderByPartnerNumber(key.partnerOrderNumber ?? '', callOptions);
  };

  /** While WAUG is judged unreachable: one quiet refresh now and then notices it is back. */
  const refreshInBackground = (
    api: WaugApi,
    key: { orderNumber?: string | undefined; partnerOrderNumber?: string | undefined },
  ): void => {
    if (backgroundRefresh !== null || !reachability.retryDue()) return;
    backgroundRefresh = fetchRemote(api, key, OFFLINE_ORDER_TIMEOUT_MS)
      .then((order) => {
        if (order !== null && options.store().db.open) remember(order);
      })
      .catch(() => {})
      .finally(() => {
        backgroundRefresh = null;
      });
  };

  async function getOrder(request: Parameters<OrderService['getOrder']>[0]): Promise<GetOrderResult> {
    const api = requireWaug();
    const key = { orderNumber: request.orderNumber, partnerOrderNumber: request.partnerOrderNumber };
    const label =
      request.orderNumber !== undefined
        ? `Order ${request.orderNumber}`
        : `The order for partner number ${request.partnerOrderNumber ?? ''}`;
    const cached = (): CachedOrder | null =>
      request.orderNumber !== undefined
        ? orders().get(request.orderNumber)
        : orders().getByPartner(request.partnerOrderNumber ?? '');

    // The cache answers at once when asked to, and when WAUG is out of reach.
    if (request.prefer === 'cache' || reachability.offline) {
      const hit = cached();
      if (hit !== null) {
        if (request.prefer === 'remote') refreshInBackground(api, key);
        return found(hit, 'cache');
      }
    }

    let remote: WaugOrder | null;
    try {
      remote = await fetchRemote(api, key, reachability.offline ? OFFLINE_ORDER_TIMEOUT_MS : undefined);
    } catch (error) {
      if (isWaugError(error) && WAUG_CACHE_FALLBACK_KINDS.has(error.kind)) {
        const hit = cached();
        if (hit !== null) return found(hit, 'cache');
        const why = reachability.workOffline ? 'Working offline' : waugPhrase(error.kind);
        throw new DeskError(
          error.kind === 'timeout' || error.kind === 'upstream_timeout'
            ? 'timeout'
            : error.kind === 'network'
              ? 'network'
              : 'upstream',
          `${why}, and ${label.charAt(0).toLowerCase()}${label.slice(1)} is not in this desk’s cache, so it cannot be shown offline.`,
          { cause: error },
        );
      }
      if (isWaugError(error)) throw deskErrorFromWaug(error, `${label} could not be read.`);
      throw error;
    }
    if (remote === null) return { kind: 'not_found', source: 'remote' };
    return found(remember(remote), 'remote');
  }

  async function pull(api: WaugApi, from: string, to: string): Promise<{ pulled: number; durationMs: number }> {
    const started = performance.now();
    let pulled = 0;
    for (const chunk of dayChunks(from, to)) {
      let batch: WaugOrder[];
      try {
        batch = await api.listOrders(chunk);
      } catch (error) {
        log.warn('orders pull stopped', {
          from: chunk.startDate,
          to: chunk.endDate,
          failure: describeWaugFailure(error),
        });
        if (isWaugError(error))
          throw deskErrorFromWaug(
            error,
            `Orders were pulled up to ${chunk.startDate}${pulled > 0 ? ` (${pulled} kept)` : ''}; the rest was not.`,
          );
        throw error;
      }
      if (!options.store().db.open) throw new DeskError('busy', 'The desk is closing.');
      orders().upsertMany(batch, nowIso());
      pulled += batch.length;
    }
    orders().recordPull(nowIso(), from, to);
    return { pulled, durationMs: Math.round(performance.now() - started) };
  }

  async function syncOrders({ from, to }: { from: string; to: string }) {
    checkRange(from, to);
    const days = dayChunks(from, to, 1).length;
    if (days > SYNC_MAX_DAYS)
      throw new DeskError('bad_input', `Pull at most ${SYNC_MAX_DAYS} days at a time (${days} asked).`);
    return pull(requireWaug(), from, to);
  }

  function audit(orderNumber: string, outcome: string, detail: string | null): void {
    const who = options.identity();
    try {
      orders().auditRefund({
        at: nowIso(),
        station: who.station,
        operator: who.operator || 'unknown operator',
        orderNumber,
        outcome,
        detail,
      });
    } catch (error) {
      log.error('could not write the refund audit', { outcome, error });
    }
  }

  /** The order as the desk now knows it: the cache when it is recent, else WAUG. */
  async function orderForRefund(api: WaugApi, orderNumber: string): Promise<CachedOrder> {
    const hit = orders().get(orderNumber);
    if (hit !== null && options.now().getTime() - Date.parse(hit.fetchedAt) <= REFUND_CACHE_MAX_AGE_MS) return hit;
    let remote: WaugOrder | null;
    try {
      remote = await api.getOrder(orderNumber);
    } catch (error) {
      audit(orderNumber, 'failed', describeWaugFailure(error));
      if (isWaugError(error))
        throw deskErrorFromWaug(error, `Order ${orderNumber} could not be read; nothing was refunded.`);
      throw error;
    }
    if (remote === null) {
      audit(orderNumber, 'not_found', null);
      throw new DeskError('not_found', `WAUG has no order ${orderNumber}.`);
    }
    return remember(remote);
  }

  /** After a refund request (or an ambiguous one): WAUG's word on the order, cached. */
  async function reread(api: WaugApi, orderNumber: string): Promise<CachedOrder | null> {
    try {
      const order = await api.getOrder(orderNumber);
      return order === null ? null : remember(order);
    } catch (error) {
      log.warn('could not re-read the order after a refund request', { failure: describeWaugFailure(error) });
      return null;
    }
  }

  async function requestRefund({
    orderNumber,
    reason,
    managerPin,
  }: {
    orderNumber: string;
    reason: string;
    managerPin: string;
  }): Promise<OrderView> {
    const api = requireWaug();

    const pin = await options.pin.check(managerPin);
    if (!pin.ok) {
      switch (pin.why) {
        case 'not_set':
          audit(orderNumber, 'no_pin', null);
          throw new DeskError(
            'forbidden',
            'Refunds need a manager PIN, and none is set on this desk: a manager must set one in Settings first.',
          );
        case 'locked':
          audit(orderNumber, 'locked_out', null);
          throw lockedError(pin.retryAfterMs);
        case 'wrong':
          audit(orderNumber, 'wrong_pin', null);
          throw new DeskError(
            'forbidden',
            `Wrong manager PIN. ${pin.triesLeft} ${pin.triesLeft === 1 ? 'try' : 'tries'} left before refunds are locked for a minute.`,
          );
      }
    }

    if (refunding.has(orderNumber))
      throw new DeskError('busy', `A refund of order ${orderNumber} is already being requested.`);
    refunding.add(orderNumber);
    try {
      const order = await orderForRefund(api, orderNumber);
      const refusal = refundRefusal(order);
      if (refusal !== null) {
        audit(orderNumber, 'refused_local', refusal.why);
        throw new DeskError('refused', describeRefusal(orderNumber, refusal));
      }

      let answer: WaugOrder | null = null;
      try {
        answer = await api.requestRefund(orderNumber, reason);
      } catch (error) {
        if (!isWaugError(error)) {
          audit(orderNumber, 'failed', describeWaugFailure(error));
          throw error;
        }
        if (error.kind === 'non_refundable') {
          audit(orderNumber, 'refused_upstream', describeWaugFailure(error));
          await reread(api, orderNumber); // the cache was stale: show the truth next time
          throw new DeskError(
            'refused',
            `WAUG refused the refund of order ${orderNumber}: it contains a non-refundable product (code 107). Nothing was refunded.`,
            { cause: error },
          );
        }
        if (error.kind === 'invalid_order') {
          // 106: WAUG says the order is not in a refundable state; the cache was behind.
          audit(orderNumber, 'refused_upstream', describeWaugFailure(error));
          const after = await reread(api, orderNumber);
          throw new DeskError(
            'refused',
            `WAUG refused the refund of order ${orderNumber}: it is not in a refundable state${
              after === null ? '' : ` (${after.orderStatus})`
            } (code 106). Nothing was refunded.`,
            { cause: error },
          );
        }
        if (error.details.mayHaveApplied) {
          // The request may have reached WAUG: its word on the order settles it, never a guess.
          const after = await reread(api, orderNumber);
          if (after !== null && refundRefusal(after)?.why === 'in_refund') {
            audit(orderNumber, 'requested', 'confirmed by re-read after an ambiguous answer');
            return toOrderView(after);
          }
          audit(orderNumber, 'unconfirmed', describeWaugFailure(error));
          throw new DeskError(
            'unconfirmed',
            `The refund request for order ${orderNumber} was sent, but WAUG’s answer was lost. Look the order up again before asking twice.`,
            { cause: error },
          );
        }
        audit(orderNumber, 'failed', describeWaugFailure(error));
        throw deskErrorFromWaug(error, `No refund was requested for order ${orderNumber}.`);
      }

      // No webhook follows a refund request [seed]: read the order back from WAUG.
      const after = (await reread(api, orderNumber)) ?? remember(answer);
      audit(orderNumber, 'requested', after.orderStatus);
      return toOrderView(after);
    } finally {
      refunding.delete(orderNumber);
    }
  }

  return {
    getOrder,
    searchOrders(request) {
      requireWaug();
      checkRange(request.from, request.to);
      const { rows, truncated } = orders().search(request);
      return { orders: rows.map(toOrderSummary), truncated, lastPulledAt: orders().lastPulledAt() };
    },
    syncOrders,
    syncRecent(days) {
      const now = options.now().getTime();
      const to = waugDayOf(now);
      const from = DateTime.fromMillis(now, { zone: WAUG_TIME_ZONE })
        .minus({ days: Math.max(1, days) - 1 })
        .toFormat(WAUG_DATE_FORMAT);
      return pull(requireWaug(), from, to);
    },
    requestRefund,
  };
}
