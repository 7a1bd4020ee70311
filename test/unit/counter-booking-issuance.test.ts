/**
 * Following a counter booking's voucher issuance (issuance.ts) on a hand-driven clock and timers:
 * reads double from the first delay up to the cap, a failed read is tried again, following stops
 * once the order is settled, after the give-up time, and on stop.
 */
import { describe, expect, it } from 'vitest';
import { createIssuanceFollower, issuanceSettled } from '../../electron/core/counterBooking/issuance.js';
import { createLogger, createMemorySink } from '../../electron/core/log/logger.js';
import type { RetryTimers } from '../../electron/core/sync/retryLoop.js';
import { WaugError, type WaugApi, type WaugOrder } from '../../electron/core/waug/api.js';

function manualTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 1;
  const timers: RetryTimers = {
    setTimeout(fn, ms) {
      pending.set(next, { fn, ms });
      return next++;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    delays: () => [...pending.values()].map((p) => p.ms),
    /** Fires every pending timer once and lets the reads settle. */
    async fire() {
      const due = [...pending.entries()];
      pending.clear();
      for (const [, p] of due) p.fn();
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}

const order = (state: 'issuing' | 'issued'): WaugOrder => ({
  orderNumber: 'WG1',
  partnerOrderNumber: 'VDB1',
  orderStatus: 'STATUS_PAID',
  orderedAt: '2030-05-01T00:00:00.000Z',
  currency: 'TWD',
  totalPrice: '100',
  orderGoods: [
    {
      orderGoodsId: '1',
      goodsId: '107402',
      goodsName: 'Tour',
      status: state === 'issued' ? 'STATUS_CONFIRMED' : 'STATUS_IN_PROGRESS',
      useDate: '2030-05-07',
      options: [],
      refundable: true,
      totalPrice: '100',
      voucher: { state, voucherNumber: null, voucherUrl: null, issuedAt: null },
      updatedAt: '2030-05-01T00:00:00.000Z',
    },
  ],
});

function setup(answers: (WaugOrder | Error)[]) {
  const clock = { t: 0 };
  const t = manualTimers();
  const reads: string[] = [];
  const api = {
    getOrder: async (orderNumber: string) => {
      reads.push(orderNumber);
      const answer = answers.shift() ?? order('issuing');
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as WaugApi;
  const seen: string[] = [];
  const follower = createIssuanceFollower({
    waug: () => api,
    onRead(o) {
      seen.push(o.orderGoods[0]!.voucher.state);
      return issuanceSettled(o.orderGoods);
    },
    now: () => clock.t,
    log: createLogger({ sink: createMemorySink() }),
    policy: { firstMs: 2_000, maxMs: 8_000, giveUpAfterMs: 60_000 },
    timers: t.timers,
  });
  return { clock, t, reads, seen, follower };
}

describe('issuance follower', () => {
  it('reads with doubling delays up to the cap, through a failed read, until the voucher is issued', async () => {
    const { t, reads, seen, follower } = setup([
      order('issuing'),
      new WaugError('network', 'down', { mayHaveApplied: false }),
      order('issuing'),
      order('issuing'),
      order('issued'),
    ]);
    follower.follow('WG1', 0);
    const delays: number[] = [];
    for (let i = 0; i < 6 && follower.following().length > 0; i++) {
      delays.push(...t.delays());
      await t.fire();
    }
    expect(delays).toEqual([2_000, 4_000, 8_000, 8_000, 8_000]);
    expect(reads).toHaveLength(5);
    expect(seen).toEqual(['issuing', 'issuing', 'issuing', 'issued']);
    expect(follower.following()).toEqual([]);
    expect(t.delays()).toEqual([]);
  });

  it('gives up after the give-up time, and stop() ends following', async () => {
    const { clock, t, reads, follower } = setup([]);
    follower.follow('WG1', 0);
    await t.fire();
    clock.t = 60_000;
    await t.fire();
    expect(reads).toHaveLength(2);
    expect(follower.following()).toEqual([]);

    follower.follow('WG1', clock.t);
    expect(t.delays()).toHaveLength(1);
    await follower.stop();
    expect(t.delays()).toEqual([]);
    follower.follow('WG1', clock.t);
    expect(follower.following()).toEqual([]);
  });

  it('counts cancelled and refunded goods as settled, a voucher still issuing as not', () => {
    const refunded = order('issuing').orderGoods[0]!;
    expect(issuanceSettled([{ ...refunded, status: 'STATUS_REFUND_REQUESTED' }])).toBe(true);
    expect(issuanceSettled([{ ...refunded, status: 'STATUS_CANCEL' }])).toBe(true);
    expect(issuanceSettled([refunded])).toBe(false);
    expect(issuanceSettled([])).toBe(false);
  });
});
