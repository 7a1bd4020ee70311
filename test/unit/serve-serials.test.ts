/**
 * The serials aggregate and service: issuing (idempotent, unique, cached at once), cancelling
 * (all-or-nothing, 409 material), notifications (newest-wins, adoption of Yahoo's voucherId),
 * and the statistical quality of the serials themselves.
 */
import { randomInt } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DeskError } from '../../shared/errors.js';
import {
  OUR_SERIAL_ALPHABET,
  OUR_SERIAL_PREFIX,
  OUR_SERIAL_RANDOM_LENGTH,
  isOurSerialForm,
  makeOurSerial,
  normaliseSerial,
} from '../../shared/domain/serial.js';
import { pendingVoucherId, serialsOf, type VoucherChange } from '../../electron/core/db/serials.js';
import { silentLogger } from '../../electron/core/log/logger.js';
import { createSerialService, type IssuedOrder } from '../../electron/core/serials/service.js';
import { counterHarness } from '../helpers/counter.js';

const ORDER = {
  storeId: 'top1',
  transactionId: '6021970',
  orderId: 'YM1505120000043',
  productId: 'p12345679',
  specId: '1',
  items: [
    { orderItemId: 'YS1505120000043', price: '70' },
    { orderItemId: 'YS1505120000044', price: '70' },
  ],
};

let harness: ReturnType<typeof counterHarness> | null = null;
afterEach(() => {
  harness?.close();
  harness = null;
});

function setup(
  options: { titleFor?: (p: string, s: string) => string | null; randomIndex?: (n: number) => number } = {},
) {
  harness = counterHarness();
  const h = harness;
  const service = createSerialService({ store: () => h.store, now: h.clock.now, log: silentLogger, ...options });
  const changes: VoucherChange[] = [];
  const issued: IssuedOrder[] = [];
  service.onVoucherChanged((c) => changes.push(c));
  service.onSerialsIssued((o) => issued.push(o));
  return { h, service, changes, issued };
}

describe('serials are unguessable and well distributed', () => {
  it('20 000 serials: no duplicates, valid check characters, uniform characters at every position (chi-square)', () => {
    const N = 20_000;
    const serials = Array.from({ length: N }, () => makeOurSerial((n) => randomInt(n)));
    expect(new Set(serials).size).toBe(N);
    const k = OUR_SERIAL_ALPHABET.length;
    const counts = Array.from({ length: OUR_SERIAL_RANDOM_LENGTH }, () => new Array<number>(k).fill(0));
    for (const serial of serials) {
      expect(isOurSerialForm(serial)).toBe(true);
      expect(normaliseSerial(serial)).toEqual({ ok: true, serial });
      for (let p = 0; p < OUR_SERIAL_RANDOM_LENGTH; p++)
        counts[p]![OUR_SERIAL_ALPHABET.indexOf(serial[OUR_SERIAL_PREFIX.length + p]!)]! += 1;
    }
    // df = 29: P(chi² > 80) ≈ 1e-6, so a fair source essentially never fails; a biased one
    // (say, modulo bias or a stuck position) lands in the hundreds or thousands.
    const expected = N / k;
    const chi = counts.map((row) => row.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0));
    for (const value of chi) expect(value).toBeLessThan(80);
    // And the test has teeth: a biased source fails it.
    const biased = Array.from({ length: 3000 }, () => makeOurSerial((n) => Math.min(n - 1, randomInt(n + 3))));
    const row = new Array<number>(k).fill(0);
    for (const s of biased) row[OUR_SERIAL_ALPHABET.indexOf(s[2]!)]! += 1;
    const e2 = 3000 / k;
    expect(row.reduce((sum, c) => sum + (c - e2) ** 2 / e2, 0)).toBeGreaterThan(80);
  });

  it('carries more than 60 random bits in at most 20 characters', () => {
    expect(OUR_SERIAL_RANDOM_LENGTH * Math.log2(OUR_SERIAL_ALPHABET.length)).toBeGreaterThan(60);
    expect(OUR_SERIAL_PREFIX.length + OUR_SERIAL_RANDOM_LENGTH + 1).toBeLessThanOrEqual(20);
  });
});

describe('issuing', () => {
  it('gives one serial per item, the same on a repeat, and caches them as UNUSED vouchers at once', () => {
    const { h, service, changes, issued } = setup({ titleFor: () => 'Afternoon tea for two' });
    const first = service.issue(ORDER);
    expect(first).toHaveLength(2);
    expect(first.every((s) => s.created && isOurSerialForm(s.serialNumber))).toBe(true);
    expect(first[0]!.serialNumber).not.toBe(first[1]!.serialNumber);
    const again = service.issue(ORDER);
    expect(again.map((s) => s.serialNumber)).toEqual(first.map((s) => s.serialNumber));
    expect(again.every((s) => !s.created)).toBe(true);
    expect(serialsOf(h.store.db).count()).toBe(2);

    const cached = h.store.vouchers.getBySerial(first[0]!.serialNumber)!.voucher;
    expect(cached).toMatchObject({
      voucherId: pendingVoucherId('YS1505120000043'),
      orderId: ORDER.orderId,
      orderItemId: 'YS1505120000043',
      productId: 'p12345679',
      price: '70',
      status: 'UNUSED',
      title: 'Afternoon tea for two',
      statusAppliedTime: null,
    });
    // Events: two UNUSED changes for the first call only; hooks for both calls, with `created`.
    expect(changes).toEqual(first.map((s) => ({ serialNumber: s.serialNumber, voucherId: null, status: 'UNUSED' })));
    expect(issued.map((o) => o.items.map((i) => i.created))).toEqual([
      [true, true],
      [false, false],
    ]);
  });

  it('retries a serial that is already taken (in serials or in the voucher cache)', () => {
    const { h } = setup();
    const taken = makeOurSerial(() => 0);
    h.store.vouchers.upsert(
      {
        voucherId: '1',
        productId: 'p',
        specId: '1',
        price: '1',
        serialNumber: taken,
        orderId: 'YM1',
        orderItemId: 'YS1',
        title: 't',
        redemptionDesc: null,
        buyerDetails: { name: null, phone: null },
        executedBy: null,
        status: 'UNUSED',
        refundType: null,
        redemptionType: null,
        statusAppliedTime: null,
        deliveredTime: null,
        expireTime: null,
        startTime: null,
      },
      '2025-01-01T00:00:00.000Z',
    );
    // First draws collide with the cached serial, then a fresh one.
    let calls = 0;
    const serials = serialsOf(h.store.db);
    const result = serials.issue(
      { ...ORDER, items: [ORDER.items[0]!] },
      {
        now: '2025-06-01T00:00:00.000Z',
        title: 't',
        newSerial: () => (++calls <= 2 ? taken : makeOurSerial(randomInt)),
      },
    );
    expect(calls).toBe(3);
    expect(result[0]!.serialNumber).not.toBe(taken);
    // And a collision inside serials itself (another item's serial).
    const other = serials.issue(
      { ...ORDER, items: [ORDER.items[1]!] },
      {
        now: '2025-06-01T00:00:00.000Z',
        title: 't',
        newSerial: (() => {
          let n = 0;
          return () => (++n === 1 ? result[0]!.serialNumber : makeOurSerial(randomInt));
        })(),
      },
    );
    expect(other[0]!.serialNumber).not.toBe(result[0]!.serialNumber);
  });
});

describe('the counter and our serials', () => {
  it('finds an issued serial in the cache at once, and rejects a typo of our form with bad_input', async () => {
    const { h, service } = setup();
    const [first] = service.issue(ORDER);
    const found = await h.counter.lookupVoucher(first!.serialNumber, 'cache');
    expect(found).toMatchObject({ kind: 'found', source: 'cache' });
    if (found.kind !== 'found') throw new Error('not found');
    expect(found.voucher.serialNumber).toBe(first!.serialNumber);
    expect(found.verdict.redeemable).toBe(true);
    // Change one random character: the check character catches it before any call.
    const s = first!.serialNumber;
    const i = 5;
    const replacement = OUR_SERIAL_ALPHABET[(OUR_SERIAL_ALPHABET.indexOf(s[i]!) + 1) % OUR_SERIAL_ALPHABET.length]!;
    const typo = s.slice(0, i) + replacement + s.slice(i + 1);
    const callsBefore = h.yahoo.calls.length;
    await expect(h.counter.lookupVoucher(typo, 'remote')).rejects.toSatisfy(
      (e: unknown) => e instanceof DeskError && e.code === 'bad_input',
    );
    expect(h.yahoo.calls.length).toBe(callsBefore);
  });
});

describe('cancelling', () => {
  it('marks unused serials CANCELLED in the cache and the serials table; twice is harmless', () => {
    const { h, service, changes } = setup();
    const issued = service.issue(ORDER);
    changes.length = 0;
    const ids = ORDER.items.map((i) => i.orderItemId);
    const outcome = service.cancel(ORDER.orderId, ids);
    expect(outcome).toMatchObject({
      kind: 'cancelled',
      serials: issued.map((s) => ({ orderItemId: s.orderItemId, serialNumber: s.serialNumber })),
    });
    for (const s of issued) expect(h.store.vouchers.getBySerial(s.serialNumber)!.voucher.status).toBe('CANCELLED');
    expect(service.listByOrder(ORDER.orderId).map((e) => [e.status, e.cancelledAt !== null])).toEqual([
      ['CANCELLED', true],
      ['CANCELLED', true],
    ]);
    expect(changes).toHaveLength(2);
    changes.length = 0;
    expect(service.cancel(ORDER.orderId, ids).kind).toBe('cancelled');
    expect(changes).toHaveLength(0);
  });

  it('refuses the whole cancel when one serial is USED, and changes nothing', () => {
    const { h, service } = setup();
    const issued = service.issue(ORDER);
    h.store.vouchers.applyStatus(
      pendingVoucherId('YS1505120000044'),
      { status: 'USED', statusAppliedTime: '2025-06-01T01:00:00.000Z' },
      '2025-06-01T01:00:00.000Z',
    );
    const outcome = service.cancel(
      ORDER.orderId,
      ORDER.items.map((i) => i.orderItemId),
    );
    expect(outcome).toEqual({ kind: 'used', orderItemIds: ['YS1505120000044'] });
    expect(h.store.vouchers.getBySerial(issued[0]!.serialNumber)!.voucher.status).toBe('UNUSED');
    expect(service.listByOrder(ORDER.orderId).every((e) => e.cancelledAt === null)).toBe(true);
  });

  it('treats a redemption queued at this desk as used', async () => {
    const { h, service } = setup();
    const [first] = service.issue(ORDER);
    h.setOffline(true);
    const result = await h.counter.redeemVoucher(first!.serialNumber);
    expect(result.outcome).toBe('queued');
    expect(service.cancel(ORDER.orderId, ['YS1505120000043']).kind).toBe('used');
  });

  it('refuses items never issued here, or of another order', () => {
    const { service } = setup();
    service.issue(ORDER);
    expect(service.cancel(ORDER.orderId, ['YS999'])).toEqual({ kind: 'unknown', orderItemIds: ['YS999'] });
    expect(service.cancel('YM-other', ['YS1505120000043']).kind).toBe('unknown');
  });
});

describe('notifications', () => {
  const note = (over: Partial<Parameters<ReturnType<typeof createSerialService>['notify']>[0][number]> = {}) => ({
    voucherId: '123239423',
    orderId: ORDER.orderId,
    orderItemId: 'YS1505120000043',
    status: 'USED' as const,
    statusAppliedTime: '2025-06-01T03:00:00.000Z',
    executedBy: 'system:VoucherOrderConsumerApp',
    ...over,
  });

  it('adopt Yahoo’s voucherId for our pending voucher, apply newest-wins, and ignore duplicates and stale ones', () => {
    const { h, service, changes } = setup();
    const [first] = service.issue(ORDER);
    changes.length = 0;
    expect(service.notify([note()])).toEqual({ updated: 1, unchanged: 0, unknown: 0 });
    expect(h.store.vouchers.getById(pendingVoucherId('YS1505120000043'))).toBeNull();
    expect(h.store.vouchers.getById('123239423')!.voucher).toMatchObject({
      serialNumber: first!.serialNumber,
      status: 'USED',
    });
    expect(changes).toEqual([{ serialNumber: first!.serialNumber, voucherId: '123239423', status: 'USED' }]);
    // Replayed: nothing changes, no event.
    expect(service.notify([note()])).toEqual({ updated: 0, unchanged: 1, unknown: 0 });
    // Out of order: an older UNUSED never overwrites the newer USED.
    expect(service.notify([note({ status: 'UNUSED', statusAppliedTime: '2025-06-01T02:30:00.000Z' })])).toEqual({
      updated: 0,
      unchanged: 1,
      unknown: 0,
    });
    expect(h.store.vouchers.getById('123239423')!.voucher.status).toBe('USED');
    expect(changes).toHaveLength(1);
    // A newer one applies.
    service.notify([note({ status: 'REFUNDPENDING', statusAppliedTime: '2025-06-02T00:00:00.000Z' })]);
    expect(h.store.vouchers.getById('123239423')!.voucher.status).toBe('REFUNDPENDING');
    expect(changes).toHaveLength(2);
  });

  it('in one body, applies the newest of several for the same voucher whatever their order', () => {
    const { h, service } = setup();
    service.issue(ORDER);
    service.notify([
      note({ status: 'REFUNDED', statusAppliedTime: '2025-06-03T00:00:00.000Z' }),
      note({ status: 'USED', statusAppliedTime: '2025-06-01T03:00:00.000Z' }),
    ]);
    expect(h.store.vouchers.getById('123239423')!.voucher.status).toBe('REFUNDED');
  });

  it('skips a voucher that is neither cached nor one of ours (the next sync brings it)', () => {
    const { h, service } = setup();
    const before = h.store.vouchers.count();
    expect(service.notify([note({ voucherId: '5', orderItemId: 'YS-unknown' })])).toEqual({
      updated: 0,
      unchanged: 0,
      unknown: 1,
    });
    expect(h.store.vouchers.count()).toBe(before);
  });
});
