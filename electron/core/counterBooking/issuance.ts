/**
 * Following a counter booking's voucher issuance (issue 6 item 2.8): WAUG issues the activity
 * voucher at once or "after a certain amount of time", and sends ORDER_UPDATE webhooks only when
 * the merchant endpoints run. So after a booking is created (and at start, for recent bookings
 * still waiting) the order is read again with a doubling delay until every goods' voucher is
 * issued, or the order is cancelled or refunded, or the give-up time has passed.
 * Timers are unref'd: following never keeps a process alive on its own.
 */
import { voucherEnded } from '../db/bookingDrafts.js';
import type { Logger } from '../log/logger.js';
import { describeWaugFailure } from '../orders/errors.js';
import { realTimers, type RetryTimers } from '../sync/retryLoop.js';
import type { WaugApi, WaugOrder, WaugOrderGoodsStatus } from '../waug/api.js';

export interface IssuancePolicy {
  /** The first read this long after the order is followed. */
  firstMs: number;
  /** The delay doubles up to this. */
  maxMs: number;
  /** Stop this long after the booking was created, issued or not. */
  giveUpAfterMs: number;
}

export const ISSUANCE_POLICY_DEFAULTS: Readonly<IssuancePolicy> = Object.freeze({
  firstMs: 2_000,
  maxMs: 60_000,
  giveUpAfterMs: 24 * 60 * 60_000,
});

/** Nothing more to follow: every goods has its voucher, or will never get one. */
export function issuanceSettled(
  goods: readonly { status: WaugOrderGoodsStatus; voucher: { state: string } }[],
): boolean {
  return goods.length > 0 && goods.every((g) => g.voucher.state === 'issued' || voucherEnded(g.status));
}

export interface IssuanceFollowerOptions {
  waug: () => WaugApi | null;
  /** WAUG's order as just read; answers true when it is settled (following stops). */
  onRead(order: WaugOrder): boolean;
  now: () => number;
  log: Logger;
  policy?: Partial<IssuancePolicy>;
  timers?: RetryTimers;
}

export interface IssuanceFollower {
  /** Follows the order until settled or `giveUpAfterMs` after `sinceMs` (when it was booked). */
  follow(orderNumber: string, sinceMs: number): void;
  /** The orders being followed now. */
  following(): string[];
  stop(): Promise<void>;
}

interface Followed {
  sinceMs: number;
  delayMs: number;
  timer: unknown;
}

export function createIssuanceFollower(options: IssuanceFollowerOptions): IssuanceFollower {
  const policy = { ...ISSUANCE_POLICY_DEFAULTS, ...options.policy };
  const timers = options.timers ?? realTimers;
  const followed = new Map<string, Followed>();
  const inFlight = new Set<Promise<void>>();
  const abort = new AbortController();
  let stopped = false;

  function schedule(orderNumber: string, entry: Followed): void {
    if (stopped) return;
    if (options.now() - entry.sinceMs >= policy.giveUpAfterMs) {
      followed.delete(orderNumber);
      options.log.info('stopped following a voucher issuance: still not issued after the give-up time', {
        orderNumber,
      });
      return;
    }
    entry.timer = timers.setTimeout(() => {
      const read = readOnce(orderNumber, entry).finally(() => inFlight.delete(read));
      inFlight.add(read);
    }, entry.delayMs);
    entry.delayMs = Math.min(entry.delayMs * 2, policy.maxMs);
  }

  async function readOnce(orderNumber: string, entry: Followed): Promise<void> {
    entry.timer = null;
    const api = options.waug();
    if (api !== null && !stopped) {
      try {
        const order = await api.getOrder(orderNumber, { signal: abort.signal });
        if (order !== null && !stopped && options.onRead(order)) {
          followed.delete(orderNumber);
          return;
        }
      } catch (error) {
        if (stopped) return;
        options.log.warn('could not read a booked order to follow its voucher', {
          orderNumber,
          failure: describeWaugFailure(error),
        });
      }
    }
    if (followed.get(orderNumber) === entry) schedule(orderNumber, entry);
  }

  return {
    follow(orderNumber, sinceMs) {
      if (stopped) return;
      const previous = followed.get(orderNumber);
      if (previous !== undefined && previous.timer !== null) timers.clearTimeout(previous.timer);
      const entry: Followed = { sinceMs, delayMs: policy.firstMs, timer: null };
      followed.set(orderNumber, entry);
      schedule(orderNumber, entry);
    },
    following: () => [...followed.keys()],
    async stop() {
      stopped = true;
      for (const entry of followed.values()) if (entry.timer !== null) timers.clearTimeout(entry.timer);
      followed.clear();
      abort.abort(new Error('the desk is closing'));
      await Promise.all([...inFlight]);
    },
  };
}
