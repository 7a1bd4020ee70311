/**
 * Is Yahoo reachable? Decided from real calls, not from a ping: a decorator around the YahooApi
 * records each call's outcome and latency, and the state follows the last few calls (the way
 * pretixSCAN switches between online and offline by latency).
 *
 *  - offline:  the last OFFLINE_AFTER calls in a row could not reach Yahoo (network, timeout);
 *  - degraded: reachable, but the median latency of recent calls is high, or some recent calls failed;
 *  - online:   otherwise.
 *
 * While offline, a cheap probe (a query for a serial that cannot exist: 11001 proves Yahoo answers)
 * runs every probeIntervalMs to notice the recovery. The clerk's "work offline" switch makes the
 * wrapper refuse every call at once, before anything is sent.
 */
import type { Connectivity } from '../../../shared/contract.js';
import { isYahooError } from '../counter/errors.js';
import { YahooError, type CallOptions, type YahooApi } from '../yahoo/api.js';

export const CONNECTIVITY_DEFAULTS = Object.freeze({
  /** How many recent calls the state is judged from. */
  window: 6,
  /** Consecutive unreachable calls that make the desk offline. */
  offlineAfter: 2,
  /** Median latency of recent calls above which the desk is degraded. */
  slowMedianMs: 1500,
  probeIntervalMs: 15_000,
  probeTimeoutMs: 5_000,
});

/** A serial Yahoo cannot have (our serials never start with Z9 and are shorter); a miss (11001) means "reachable". */
export const PROBE_SERIAL = 'Z9VOUCHERDESKPROBE00';

export type CallOutcome = 'ok' | 'failed' | 'unreachable';

export interface CallRecord {
  outcome: CallOutcome;
  latencyMs: number;
}

/** What a finished call says about the connection. Yahoo answering with an error is still "reachable". */
export function classifyCall(error: unknown): CallOutcome {
  if (error === null) return 'ok';
  if (!isYahooError(error)) return 'failed';
  switch (error.kind) {
    case 'network':
    case 'timeout':
      return 'unreachable';
    case 'redeem_failed':
    case 'auth':
      return 'ok'; // Yahoo answered promptly and clearly; the connection is fine
    default:
      return 'failed';
  }
}

/** The pure rule: the state after these calls, oldest first. */
export function judgeConnectivity(
  calls: readonly CallRecord[],
  options: { offlineAfter: number; slowMedianMs: number } = CONNECTIVITY_DEFAULTS,
): Connectivity {
  if (calls.length === 0) return 'online';
  const tail = calls.slice(-options.offlineAfter);
  if (tail.length >= options.offlineAfter && tail.every((c) => c.outcome === 'unreachable')) return 'offline';
  if (calls.some((c) => c.outcome !== 'ok')) return 'degraded';
  const latencies = calls.map((c) => c.latencyMs).sort((a, b) => a - b);
  const mid = latencies.length >> 1;
  const median = latencies.length % 2 ? latencies[mid]! : (latencies[mid - 1]! + latencies[mid]!) / 2;
  return median > options.slowMedianMs ? 'degraded' : 'online';
}

export interface ConnectivityTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realTimers: ConnectivityTimers = {
  setInterval: (fn, ms) => {
    const handle = setInterval(fn, ms);
    handle.unref();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

export interface ConnectivityOptions {
  window?: number;
  offlineAfter?: number;
  slowMedianMs?: number;
  probeIntervalMs?: number;
  probeTimeoutMs?: number;
  /** A monotonic clock in ms for latencies. */
  clock?: () => number;
  timers?: ConnectivityTimers;
}

export interface ConnectivityMonitor {
  /** The judged state (ignores the work-offline switch). */
  readonly state: Connectivity;
  readonly workOffline: boolean;
  /** Work offline, or judged offline: do not wait for Yahoo on the clerk's path. */
  readonly offline: boolean;
  setWorkOffline(on: boolean): void;
  /** Wraps a Yahoo client; every real call through it is recorded. */
  wrap<T extends YahooApi>(api: T): T;
  /** Forget the calls seen (a new client, new credentials). */
  reset(): void;
  /** Asks Yahoo once now (the probe); resolves to the state after it. */
  probe(): Promise<Connectivity>;
  /** Called on every state change, and with `recovered` when calls can reach Yahoo again. */
  onChange(listener: (change: { state: Connectivity; workOffline: boolean; recovered: boolean }) => void): () => void;
  /** Called after each successful real call (used to kick the outbox). */
  onSuccess(listener: () => void): () => void;
  stop(): void;
}

export function workOfflineError(): YahooError {
  return new YahooError('network', 'Working offline: no call was made to Yahoo', { mayHaveApplied: false });
}

export function createConnectivityMonitor(options: ConnectivityOptions = {}): ConnectivityMonitor {
  const settings = { ...CONNECTIVITY_DEFAULTS, ...options };
  const clock = options.clock ?? (() => performance.now());
  const timers = options.timers ?? realTimers;
  const calls: CallRecord[] = [];
  const changeListeners = new Set<
    (change: { state: Connectivity; workOffline: boolean; recovered: boolean }) => void
  >();
  const successListeners = new Set<() => void>();
  let state: Connectivity = 'online';
  let workOffline = false;
  let probeTimer: unknown = null;
  let probing = false;
  let stopped = false;
  let current: YahooApi | null = null;

  const emit = (recovered: boolean): void => {
    for (const listener of changeListeners) listener({ state, workOffline, recovered });
  };

  const syncProbe = (): void => {
    const wanted = state === 'offline' && !workOffline && !stopped && current !== null;
    if (wanted && probeTimer === null) {
      probeTimer = timers.setInterval(() => void probe(), settings.probeIntervalMs);
    } else if (!wanted && probeTimer !== null) {
      timers.clearInterval(probeTimer);
      probeTimer = null;
    }
  };

  const record = (entry: CallRecord): void => {
    calls.push(entry);
    if (calls.length > settings.window) calls.splice(0, calls.length - settings.window);
    const before = state;
    state = judgeConnectivity(calls, settings);
    syncProbe();
    if (state !== before) emit(before === 'offline' && !workOffline);
    if (entry.outcome === 'ok') for (const listener of successListeners) listener();
  };

  async function observe<R>(call: () => Promise<R>): Promise<R> {
    if (workOffline) throw workOfflineError();
    const started = clock();
    try {
      const result = await call();
      record({ outcome: 'ok', latencyMs: clock() - started });
      return result;
    } catch (error) {
      record({ outcome: classifyCall(error), latencyMs: clock() - started });
      throw error;
    }
  }

  async function probe(): Promise<Connectivity> {
    const api = current;
    if (api === null || workOffline || probing) return state;
    probing = true;
    try {
      await observe(() => api.queryVouchers({ serialNumber: PROBE_SERIAL }, { timeoutMs: settings.probeTimeoutMs }));
    } catch {
      // recorded by observe
    } finally {
      probing = false;
    }
    return state;
  }

  return {
    get state() {
      return state;
    },
    get workOffline() {
      return workOffline;
    },
    get offline() {
      return workOffline || state === 'offline';
    },
    setWorkOffline(on) {
      if (on === workOffline) return;
      workOffline = on;
      syncProbe();
      emit(!on && state !== 'offline');
      if (!on && state === 'offline') void probe();
    },
    wrap<T extends YahooApi>(api: T): T {
      current = api;
      const wrapped: YahooApi = {
        queryVouchers: (query, callOptions?: CallOptions) => observe(() => api.queryVouchers(query, callOptions)),
        redeem: (items, callOptions?: CallOptions) => observe(() => api.redeem(items, callOptions)),
      };
      // Keep the client's other members (close(), clockOffsetMs) reachable through the wrapper.
      return new Proxy(api, {
        get(target, property, receiver) {
          if (property === 'queryVouchers' || property === 'redeem') return wrapped[property];
          const value: unknown = Reflect.get(target, property, receiver);
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
    },
    reset() {
      calls.length = 0;
      const before = state;
      state = 'online';
      syncProbe();
      if (before !== state) emit(false);
    },
    probe,
    onChange(listener) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    onSuccess(listener) {
      successListeners.add(listener);
      return () => successListeners.delete(listener);
    },
    stop() {
      stopped = true;
      syncProbe();
      current = null;
      changeListeners.clear();
      successListeners.clear();
    },
  };
}
