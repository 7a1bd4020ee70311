import { afterEach, describe, expect, it } from 'vitest';
import { counterHarness } from '../helpers/counter.js';
import { yahooError } from '../helpers/fakeYahoo.js';
import { deskError } from '../helpers/rejection.js';
import { makeVoucher } from '../helpers/vouchers.js';

let h: ReturnType<typeof counterHarness>;
afterEach(() => h?.close());

describe('lookupVoucher', () => {
  it('refuses a malformed serial with bad_input before any network call', async () => {
    h = counterHarness();
    for (const [input, pattern] of [
      ['   ', /Enter or scan/],
      ['ABC$123', /only letters and digits/],
      ['A'.repeat(21), /too long/],
    ] as const) {
      const error = await deskError(h.counter.lookupVoucher(input, 'remote'));
      expect(error.code).toBe('bad_input');
      expect(error.message).toMatch(pattern);
    }
    expect(h.yahoo.calls).toEqual([]);
  });

  it('asks Yahoo, caches the voucher and answers a masked view with its verdict', async () => {
    h = counterHarness();
    const v = makeVoucher();
    h.yahoo.add(v);
    const result = await h.counter.lookupVoucher(
      ` ${v.serialNumber.toLowerCase().slice(0, 4)}-${v.serialNumber.toLowerCase().slice(4)} `,
      'remote',
    );
    expect(result).toMatchObject({
      kind: 'found',
      source: 'remote',
      fetchedAt: h.clock.now().toISOString(),
      verdict: { redeemable: true },
      voucher: {
        serialNumber: v.serialNumber,
        buyerName: '楊于慧',
        buyerPhoneMasked: '•••••••990',
        orderId: v.orderId,
      },
    });
    expect(JSON.stringify(result)).not.toContain('0912063990');
    expect(h.store.vouchers.getBySerial(v.serialNumber)?.voucher).toEqual(v);
  });

  it("prefer 'cache' answers from SQLite with no network call", async () => {
    h = counterHarness();
    const v = makeVoucher();
    h.yahoo.add(v);
    await h.counter.lookupVoucher(v.serialNumber, 'remote');
    const fetchedAt = h.clock.now().toISOString();
    h.clock.advance(60_000);
    const calls = h.yahoo.calls.length;
    const result = await h.counter.lookupVoucher(v.serialNumber, 'cache');
    expect(h.yahoo.calls.length).toBe(calls);
    expect(result).toMatchObject({ kind: 'found', source: 'cache', fetchedAt });
  });

  it("prefer 'cache' goes to Yahoo on a cache miss", async () => {
    h = counterHarness();
    const v = makeVoucher();
    h.yahoo.add(v);
    expect(await h.counter.lookupVoucher(v.serialNumber, 'cache')).toMatchObject({ kind: 'found', source: 'remote' });
    expect(h.yahoo.count('query')).toBe(1);
  });

  it('reports a miss as not_found, not as an error', async () => {
    h = counterHarness();
    expect(await h.counter.lookupVoucher('NOSUCH1', 'remote')).toEqual({
      kind: 'not_found',
      serial: 'NOSUCH1',
      source: 'remote',
    });
  });

  it('falls back to the cache when Yahoo is unreachable, slow or failing', async () => {
    h = counterHarness();
    const v = makeVoucher();
    h.yahoo.add(v);
    await h.counter.lookupVoucher(v.serialNumber, 'remote');
    const fetchedAt = h.clock.now().toISOString();
    h.clock.advance(1000);
    for (const kind of ['network', 'timeout', 'upstream'] as const) {
      h.yahoo.queryFaults.push(yahooError(kind));
      expect(await h.counter.lookupVoucher(v.serialNumber, 'remote')).toMatchObject({
        kind: 'found',
        source: 'cache',
        fetchedAt,
      });
    }
  });

  it('says so when offline and the voucher is not cached', async () => {
    h = counterHarness();
    h.yahoo.offline = true;
    const error = await deskError(h.counter.lookupVoucher('ABC123', 'remote'));
    expect(error.code).toBe('network');
    expect(error.message).toMatch(/not in this desk’s cache/);
    h.yahoo.queryFaults.push(yahooError('timeout'));
    expect((await deskError(h.counter.lookupVoucher('ABC123', 'cache'))).code).toBe('timeout');
  });

  it('maps auth and malformed answers to their codes without falling back', async () => {
    h = counterHarness();
    const v = makeVoucher();
    h.yahoo.add(v);
    await h.counter.lookupVoucher(v.serialNumber, 'remote');
    h.yahoo.queryFaults.push(
      yahooError('auth', false, { httpStatus: 401 }),
      yahooError('malformed'),
      yahooError('too_large'),
    );
    expect((await deskError(h.counter.lookupVoucher(v.serialNumber, 'remote'))).code).toBe('auth');
    expect((await deskError(h.counter.lookupVoucher(v.serialNumber, 'remote'))).code).toBe('malformed');
    expect((await deskError(h.counter.lookupVoucher(v.serialNumber, 'remote'))).code).toBe('too_large');
  });

  it('gives the verdict for the time now: used, refund pending, expired', async () => {
    h = counterHarness();
    const used = makeVoucher({ status: 'USED' });
    const pending = makeVoucher({ status: 'REFUNDPENDING' });
    const expired = makeVoucher({ expireTime: '2025-05-31T00:00:00.000Z' });
    h.yahoo.add(used, pending, expired);
    expect(await h.counter.lookupVoucher(used.serialNumber, 'remote')).toMatchObject({
      verdict: { redeemable: false, reason: 'used' },
    });
    expect(await h.counter.lookupVoucher(pending.serialNumber, 'remote')).toMatchObject({
      verdict: { redeemable: false, reason: 'refund_pending' },
    });
    expect(await h.counter.lookupVoucher(expired.serialNumber, 'remote')).toMatchObject({
      verdict: { redeemable: false, reason: 'expired' },
    });
  });

  it('without Yahoo configured answers from the cache, else not_configured', async () => {
    h = counterHarness();
    const v = makeVoucher();
    h.yahoo.add(v);
    await h.counter.lookupVoucher(v.serialNumber, 'remote');
    h.setConfigured(false);
    expect(await h.counter.lookupVoucher(v.serialNumber, 'remote')).toMatchObject({ source: 'cache' });
    expect((await deskError(h.counter.lookupVoucher('OTHER1', 'remote'))).code).toBe('not_configured');
  });

  it('audits lookups off the scan path, with no buyer data', async () => {
    h = counterHarness();
    const v = makeVoucher();
    h.yahoo.add(v);
    await h.counter.lookupVoucher(v.serialNumber, 'remote');
    await h.counter.lookupVoucher(v.serialNumber, 'cache');
    await h.counter.lookupVoucher('MISS1', 'remote');
    h.counter.flushAudit();
    const entries = h.store.audit.recent();
    expect(entries.map((e) => [e.action, e.outcome, e.detail])).toEqual([
      ['lookup', 'not_found', 'remote'],
      ['lookup', 'found', 'cache'],
      ['lookup', 'found', 'remote'],
    ]);
    expect(entries[2]).toMatchObject({
      station: 'Front desk 1',
      operator: 'Amy',
      voucherId: v.voucherId,
    });
    const all = JSON.stringify(h.store.db.prepare('SELECT * FROM audit_log').all());
    expect(all).not.toContain('楊于慧');
    expect(all).not.toContain('0912063990');
  });

  it('writes queued lookup audits by itself soon after answering', async () => {
    h = counterHarness();
    await h.counter.lookupVoucher('MISS1', 'remote');
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.store.audit.recent()).toHaveLength(1);
  });
});
