import { describe, expect, it, vi } from 'vitest';
import { backoffDelayMs, DEFAULT_BACKOFF } from '../../electron/core/sync/backoff.js';
import {
  classifyCall,
  createConnectivityMonitor,
  judgeConnectivity,
  PROBE_SERIAL,
  type CallRecord,
} from '../../electron/core/sync/connectivity.js';
import type { YahooApi } from '../../electron/core/yahoo/api.js';
import { yahooError } from '../helpers/fakeYahoo.js';

describe('backoff with full jitter', () => {
  it('is immediate before the first try, then random below base·2^(n−1), capped', () => {
    const top = () => 0.999999;
    expect(backoffDelayMs(0, top)).toBe(0);
    expect(backoffDelayMs(1, top)).toBe(1999);
    expect(backoffDelayMs(2, top)).toBe(3999);
    expect(backoffDelayMs(4, top)).toBe(15_999);
    expect(backoffDelayMs(9, top)).toBe(DEFAULT_BACKOFF.capMs - 1); // 512 s > 5 min
    expect(backoffDelayMs(500, top)).toBe(DEFAULT_BACKOFF.capMs - 1);
  });

  it('spreads delays over the whole range (full jitter), using the injected random', () => {
    expect(backoffDelayMs(3, () => 0)).toBe(0);
    expect(backoffDelayMs(3, () => 0.5)).toBe(4000);
    const seen = new Set<number>();
    let x = 0.1;
    for (let i = 0; i < 50; i++) {
      x = (x * 9301 + 0.49297) % 1;
      const d = backoffDelayMs(5, () => x);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(32_000);
      seen.add(Math.floor(d / 4000));
    }
    expect(seen.size).toBeGreaterThan(4);
  });

  it('honours a custom policy', () => {
    expect(backoffDelayMs(3, () => 0.999, { baseMs: 10, capMs: 25 })).toBe(24);
  });
});

const ok = (latencyMs = 50): CallRecord => ({ outcome: 'ok', latencyMs });
const down: CallRecord = { outcome: 'unreachable', latencyMs: 8000 };

describe('connectivity: the state from the last few calls', () => {
  it('classifies outcomes: network/timeout unreachable, Yahoo errors reachable', () => {
    expect(classifyCall(null)).toBe('ok');
    expect(classifyCall(yahooError('network'))).toBe('unreachable');
    expect(classifyCall(yahooError('timeout', true))).toBe('unreachable');
    expect(classifyCall(yahooError('redeem_failed'))).toBe('ok');
    expect(classifyCall(yahooError('upstream', true, { httpStatus: 503 }))).toBe('failed');
  });

  it('online, degraded, offline', () => {
    expect(judgeConnectivity([])).toBe('online');
    expect(judgeConnectivity([ok(), ok(), ok()])).toBe('online');
    expect(judgeConnectivity([ok(), down])).toBe('degraded');
    expect(judgeConnectivity([ok(), down, down])).toBe('offline');
    expect(judgeConnectivity([down, down, ok()])).toBe('degraded'); // recovering
    expect(judgeConnectivity([ok(2000), ok(1800), ok(100)])).toBe('degraded'); // slow median
    expect(judgeConnectivity([ok(2000), ok(100), ok(100)])).toBe('online'); // one slow call is not a trend
    expect(judgeConnectivity([{ outcome: 'failed', latencyMs: 10 }, ok()])).toBe('degraded');
  });
});

function fakeApi() {
  const api = {
    fail: true,
    queries: [] as (string | undefined)[],
    queryVouchers: vi.fn(async (query: { serialNumber?: string }) => {
      api.queries.push(query.serialNumber);
      if (api.fail) throw yahooError('network');
      return { total: 0, vouchers: [] };
    }),
    redeem: vi.fn(async () => {
      throw yahooError('timeout', true);
    }),
  };
  return api;
}

function manualTimers() {
  const intervals = new Map<number, () => void>();
  let next = 1;
  return {
    intervals,
    timers: {
      setInterval: (fn: () => void) => {
        intervals.set(next, fn);
        return next++;
      },
      clearInterval: (h: unknown) => intervals.delete(h as number),
    },
    tick: async () => {
      for (const fn of [...intervals.values()]) fn();
      await new Promise((r) => setImmediate(r));
    },
  };
}

describe('connectivity monitor', () => {
  it('goes offline after consecutive unreachable calls, probes, and reports the recovery', async () => {
    const t = manualTimers();
    let clock = 0;
    const monitor = createConnectivityMonitor({ timers: t.timers, clock: () => clock });
    const api = fakeApi();
    const wrapped = monitor.wrap(api as unknown as YahooApi);
    const changes: { state: string; recovered: boolean }[] = [];
    monitor.onChange((c) => changes.push({ state: c.state, recovered: c.recovered }));

    await expect(wrapped.queryVouchers({ serialNumber: 'A1' })).rejects.toThrow();
    expect(monitor.state).toBe('degraded');
    expect(t.intervals.size).toBe(0);
    await expect(wrapped.redeem([{ orderId: 'YM1', serialNumber: 'A1', redeemAt: 'x' }])).rejects.toThrow();
    expect(monitor.state).toBe('offline');
    expect(monitor.offline).toBe(true);
    expect(t.intervals.size).toBe(1); // the probe runs while offline

    await t.tick(); // probe fails: still offline
    expect(api.queries.at(-1)).toBe(PROBE_SERIAL);
    expect(monitor.state).toBe('offline');

    api.fail = false;
    clock += 40;
    await t.tick(); // probe answers 11001: reachable
    expect(monitor.state).not.toBe('offline');
    expect(t.intervals.size).toBe(0);
    expect(changes.at(-1)).toMatchObject({ recovered: true });
    expect(changes.map((c) => c.state)).toEqual(['degraded', 'offline', 'degraded']);
    monitor.stop();
  });

  it('work offline refuses every call at once without touching Yahoo, and recovers when switched off', async () => {
    const monitor = createConnectivityMonitor({ timers: manualTimers().timers });
    const api = fakeApi();
    api.fail = false;
    const wrapped = monitor.wrap(api as unknown as YahooApi);
    const changes: boolean[] = [];
    monitor.onChange((c) => changes.push(c.recovered));
    monitor.setWorkOffline(true);
    const error = await wrapped.queryVouchers({ serialNumber: 'A1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'YahooError', kind: 'network', details: { mayHaveApplied: false } });
    expect(api.queryVouchers).not.toHaveBeenCalled();
    expect(monitor.offline).toBe(true);
    expect(monitor.state).toBe('online'); // nothing was judged: no call was made
    monitor.setWorkOffline(false);
    expect(changes).toEqual([false, true]);
    await wrapped.queryVouchers({ serialNumber: 'A1' });
    expect(api.queryVouchers).toHaveBeenCalledTimes(1);
    monitor.stop();
  });

  it('calls onSuccess after each successful call only', async () => {
    const monitor = createConnectivityMonitor({ timers: manualTimers().timers });
    const api = fakeApi();
    const wrapped = monitor.wrap(api as unknown as YahooApi);
    let successes = 0;
    monitor.onSuccess(() => (successes += 1));
    await wrapped.queryVouchers({}).catch(() => {});
    api.fail = false;
    await wrapped.queryVouchers({});
    expect(successes).toBe(1);
    monitor.stop();
  });
});
