/**
 * Is WAUG reachable? Judged from real calls, like the Yahoo side (sync/connectivity.ts) but kept
 * apart: the two partners fail independently. After OFFLINE_AFTER calls in a row that could not
 * reach WAUG (network, timeout), views answer from the cache at once instead of waiting out a
 * timeout; a background refresh tries WAUG again at most every retryMs, and any answer from WAUG
 * (even an error envelope) makes it reachable again. The clerk's "work offline" switch refuses
 * every WAUG call before anything is sent.
 */
import { WaugError, type WaugApi } from '../waug/api.js';
import { isWaugError, WAUG_UNREACHABLE_KINDS } from './errors.js';

export const WAUG_REACHABILITY_DEFAULTS = Object.freeze({ offlineAfter: 2, retryMs: 15_000 });

export interface WaugReachability {
  /** Work offline, or judged unreachable: do not wait for WAUG on the clerk's path. */
  readonly offline: boolean;
  readonly workOffline: boolean;
  /** Wraps a client; every call through it is judged, and refused at once while working offline. */
  wrap<T extends WaugApi>(api: T): T;
  /** Forget what was seen (a new client). */
  reset(): void;
  /** While offline: true at most once per retryMs, when a background refresh may try WAUG again. */
  retryDue(): boolean;
}

export function workOfflineWaugError(): WaugError {
  return new WaugError('network', 'Working offline: no call was made to WAUG', { mayHaveApplied: false });
}

const WRAPPED = [
  'listGoods',
  'getGoods',
  'getGoodsPrices',
  'getGoodsOrderInfos',
  'getGoodsComments',
  'validateOrder',
  'createOrder',
  'listOrders',
  'getOrder',
  'getOrderByPartnerNumber',
  'requestRefund',
] as const satisfies readonly (keyof WaugApi)[];

export function createWaugReachability(options: {
  workOffline: () => boolean;
  offlineAfter?: number;
  retryMs?: number;
  clock?: () => number;
}): WaugReachability {
  const offlineAfter = options.offlineAfter ?? WAUG_REACHABILITY_DEFAULTS.offlineAfter;
  const retryMs = options.retryMs ?? WAUG_REACHABILITY_DEFAULTS.retryMs;
  const clock = options.clock ?? (() => performance.now());
  let unreachableInARow = 0;
  let lastRetry = Number.NEGATIVE_INFINITY;

  const judged = () => unreachableInARow >= offlineAfter;

  async function observe<R>(call: () => Promise<R>): Promise<R> {
    if (options.workOffline()) throw workOfflineWaugError();
    try {
      const result = await call();
      unreachableInARow = 0;
      return result;
    } catch (error) {
      if (isWaugError(error) && WAUG_UNREACHABLE_KINDS.has(error.kind)) unreachableInARow += 1;
      else unreachableInARow = 0; // WAUG answered, if only with an error
      throw error;
    }
  }

  return {
    get offline() {
      return options.workOffline() || judged();
    },
    get workOffline() {
      return options.workOffline();
    },
    wrap<T extends WaugApi>(api: T): T {
      return new Proxy(api, {
        get(target, property, receiver) {
          const value: unknown = Reflect.get(target, property, receiver);
          if (typeof value !== 'function') return value;
          const fn = (value as (...args: unknown[]) => unknown).bind(target);
          if (!(WRAPPED as readonly (string | symbol)[]).includes(property)) return fn;
          return (...args: unknown[]) => observe(() => fn(...args) as Promise<unknown>);
        },
      });
    },
    reset() {
      unreachableInARow = 0;
      lastRetry = Number.NEGATIVE_INFINITY;
    },
    retryDue() {
      if (options.workOffline() || !judged()) return false;
      const t = clock();
      if (t - lastRetry < retryMs) return false;
      lastRetry = t;
      return true;
    },
  };
}
