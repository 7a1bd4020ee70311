import { describe, expect, it } from 'vitest';
import { WAUG_ENDPOINTS, WAUG_RATE_LIMIT } from '../../electron/core/waug/constants.js';
import { PacerAbortedError, RequestPacer, type PacerLane } from '../../electron/core/waug/rateLimit.js';
import { createPrng } from '../../electron/core/sandbox/yahoo/prng.js';
import { fakeClock } from '../fixtures/waug/clock.js';

/** The most timestamps in any window [t, t + windowMs). */
function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** WAUG's rule [seed], replayed: a fixed window from the first request; past `limit`, 111. */
function count111(times: readonly number[], limit: number, windowMs: number): number {
  let windowStart = Number.NEGATIVE_INFINITY;
  let count = 0;
  let refused = 0;
  for (const t of [...times].sort((a, b) => a - b)) {
    if (t >= windowStart + windowMs) {
      windowStart = t;
      count = 0;
    }
    count += 1;
    if (count > limit) refused += 1;
  }
  return refused;
}

/**
 * Runs `total` requests through a pacer on a fake clock. Each request "arrives at WAUG" at a
 * random moment between its start and its answer (latency 0–latencyMs), which is what the
 * pacer must be robust to.
 */
async function simulate(options: { limit: number; windowMs: number; total: number; latencyMs: number; seed?: number }) {
  const clock = fakeClock(0);
  const rng = createPrng(options.seed ?? 7);
  const pacer = new RequestPacer({ limit: options.limit, windowMs: options.windowMs, clock });
  const arrivals: number[] = [];
  const starts: number[] = [];
  await Promise.all(
    Array.from({ length: options.total }, async () => {
      const release = await pacer.acquire();
      const start = clock.now();
      starts.push(start);
      const latency = rng.int(0, options.latencyMs);
      const arrival = start + rng.int(0, latency);
      arrivals.push(arrival);
      // The answer comes back `latency` later: other requests' sleeps may have moved the clock on.
      for (let i = 0; i < 3; i += 1) await Promise.resolve();
      if (clock.now() < start + latency) clock.advance(start + latency - clock.now());
      release();
    }),
  );
  return { arrivals, starts, elapsed: clock.now(), pacer };
}

describe('RequestPacer (fake clock)', () => {
  it('never lets more than the limit into any 10 s window, at the production numbers', async () => {
    const limit = WAUG_RATE_LIMIT.limit - 5;
    const { arrivals, starts, elapsed } = await simulate({ limit, windowMs: 10_000, total: 1_000, latencyMs: 0 });
    expect(arrivals).toHaveLength(1_000);
    expect(maxInWindow(starts, 10_000)).toBeLessThanOrEqual(limit);
    expect(count111(arrivals, WAUG_RATE_LIMIT.limit, 10_000)).toBe(0);
    // …and is not needlessly slow: 1000 requests at 95 / 10 s take 10 windows and a bit.
    const rate = (1_000 / elapsed) * 10_000;
    console.log(`pacer: 1000 requests in ${(elapsed / 1000).toFixed(1)} fake s = ${rate.toFixed(1)} per 10 s`);
    expect(elapsed).toBeLessThanOrEqual(10 * 10_000 + 1);
    expect(rate).toBeGreaterThan(0.9 * limit);
  });

  it('holds under latency: where WAUG receives a request inside its flight changes nothing', async () => {
    for (const seed of [1, 2, 3]) {
      const { arrivals } = await simulate({ limit: 100, windowMs: 10_000, total: 600, latencyMs: 3_000, seed });
      expect(maxInWindow(arrivals, 10_000)).toBeLessThanOrEqual(100);
      expect(count111(arrivals, 100, 10_000)).toBe(0);
    }
  });

  it('the checks themselves catch a 101st request in one window', () => {
    // 100 at t=0..99 ms then 100 from t=10 000: fine; one more in between: a 111.
    const ok = [...Array.from({ length: 100 }, (_, i) => i), ...Array.from({ length: 100 }, (_, i) => 10_000 + i)];
    expect(count111(ok, 100, 10_000)).toBe(0);
    expect(count111([...ok, 5_000], 100, 10_000)).toBe(1);
    expect(maxInWindow([...ok, 5_000], 10_000)).toBe(101);
  });

  it('blockFor holds every caller back for the whole block (after a 111)', async () => {
    const clock = fakeClock(1_000);
    const pacer = new RequestPacer({ limit: null, windowMs: 10_000, clock });
    pacer.blockFor(10_200);
    const release = await pacer.acquire();
    expect(clock.now()).toBeGreaterThanOrEqual(11_200);
    release();
    pacer.blockFor(5_000);
    pacer.blockFor(1_000); // never shortens a block
    expect(pacer.blockedUntil).toBe(clock.now() + 5_000);
  });

  it('is FIFO, and a caller that gives up while waiting leaves the queue', async () => {
    const clock = fakeClock(0);
    const pacer = new RequestPacer({ limit: 1, windowMs: 1_000, clock });
    const first = await pacer.acquire();
    const controller = new AbortController();
    const order: string[] = [];
    const cancelled = pacer.acquire(controller.signal).then(
      () => order.push('cancelled-granted'),
      (error: unknown) => order.push(error instanceof PacerAbortedError ? 'aborted' : 'other'),
    );
    const second = pacer.acquire().then((release) => {
      order.push('second');
      release();
    });
    controller.abort();
    await cancelled;
    first();
    await second;
    expect(order).toEqual(['aborted', 'second']);
    expect(pacer.waiting).toBe(0);
    expect(pacer.inFlight).toBe(0);
  });

  it('counts a request still in flight: a slow answer keeps its slot until it comes back', async () => {
    const clock = fakeClock(0);
    const pacer = new RequestPacer({ limit: 2, windowMs: 1_000, clock });
    const a = await pacer.acquire();
    const b = await pacer.acquire();
    let granted = false;
    const c = pacer.acquire().then((release) => {
      granted = true;
      return release;
    });
    clock.advance(5_000); // long after the window, but a and b never answered
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(granted).toBe(false);
    a();
    (await c)();
    expect(granted).toBe(true);
    b();
  });

  it('lets background work fill only its share of each window, and serves the clerk first', async () => {
    const clock = fakeClock(0);
    const pacer = new RequestPacer({ limit: 10, windowMs: 1_000, clock, backgroundShare: 0.6 });
    expect(pacer.backgroundLimit).toBe(6);
    const starts: { lane: PacerLane; at: number }[] = [];
    const run = (lane: PacerLane) =>
      pacer.acquire(undefined, lane).then((release) => {
        starts.push({ lane, at: clock.now() });
        release();
      });
    // A sync's backlog of 30 calls, then the clerk's 4, all waiting at once.
    const calls = [
      ...Array.from({ length: 30 }, () => run('background')),
      ...Array.from({ length: 4 }, () => run('interactive')),
    ];
    await Promise.all(calls);
    const at = (lane: PacerLane) => starts.filter((s) => s.lane === lane).map((s) => s.at);
    expect(maxInWindow(at('background'), 1_000)).toBeLessThanOrEqual(6);
    expect(
      maxInWindow(
        starts.map((s) => s.at),
        1_000,
      ),
    ).toBeLessThanOrEqual(10);
    // The clerk's calls went ahead of the backlog, in the first window.
    expect(at('interactive')).toEqual([0, 0, 0, 0]);
    expect(starts.slice(0, 5).filter((s) => s.lane === 'interactive')).toHaveLength(4);
    // …and the backlog still moved at its share: 30 calls in 5 windows.
    expect(clock.now()).toBeLessThanOrEqual(5 * 1_000);
  });

  it('keeps the background share inside (0, 1]', () => {
    expect(() => new RequestPacer({ limit: 10, windowMs: 1_000, backgroundShare: 0 })).toThrow(RangeError);
    expect(() => new RequestPacer({ limit: 10, windowMs: 1_000, backgroundShare: 1.5 })).toThrow(RangeError);
    expect(new RequestPacer({ limit: 1, windowMs: 1_000 }).backgroundLimit).toBe(1);
  });

  it('only order creation is exempt from the limit [seed]', () => {
    const exempt = Object.entries(WAUG_ENDPOINTS)
      .filter(([, endpoint]) => !endpoint.rateLimited)
      .map(([name, endpoint]) => `${name} ${endpoint.method} ${endpoint.path}`);
    expect(exempt).toEqual(['createOrder POST /v1/orders']);
  });
});
