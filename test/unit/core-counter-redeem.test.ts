import { afterEach, describe, expect, it } from 'vitest';
import type { VoucherStatus } from '../../shared/domain/voucher.js';
import { counterHarness } from '../helpers/counter.js';
import { yahooError } from '../helpers/fakeYahoo.js';
import { deskError } from '../helpers/rejection.js';
import { makeVoucher } from '../helpers/vouchers.js';

let h: ReturnType<typeof counterHarness>;
afterEach(() => h?.close());

/** A harness with one UNUSED voucher already looked up (so it is cached), the usual counter sequence. */
async function withCachedVoucher(overrides: Parameters<typeof makeVoucher>[0] = {}) {
  h = counterHarness();
  const v = makeVoucher(overrides);
  h.yahoo.add(v);
  await h.counter.lookupVoucher(v.serialNumber, 'remote');
  h.clock.advance(1000);
  return v;
}

const redeemAudit = () =>
  h.store.audit
    .recent()
    .filter((e) => e.action === 'redeem')
    .reverse()
    .map((e) => e.outcome);

describe('redeemVoucher', () => {
  it('redeems: pending row and audit first, then redeemed, cache USED, redeemAt names station and id', async () => {
    const v = await withCachedVoucher();
    let seenBeforeSend: unknown;
    h.yahoo.onRedeem = () => {
      seenBeforeSend = {
        pending: h.store.redemptions.pending().map((r) => r.state),
        audit: h.store.audit.recent(1)[0]?.outcome,
      };
    };
    const result = await h.counter.redeemVoucher(v.serialNumber.toLowerCase());
    expect(seenBeforeSend).toEqual({ pending: ['pending'], audit: 'sending' });
    expect(result).toMatchObject({
      outcome: 'redeemed',
      status: 'USED',
      reason: null,
      serialNumber: v.serialNumber,
      voucher: { status: 'USED' },
    });
    expect(result.redemptionId).toMatch(/^R-[0-9a-f]{8}$/);
    expect(h.yahoo.calls.at(-1)).toEqual({
      op: 'redeem',
      serial: v.serialNumber,
      redeemAt: `Front desk 1 · ${result.redemptionId}`,
    });

    const row = h.store.redemptions.get(result.redemptionId);
    expect(row).toMatchObject({
      state: 'redeemed',
      yahooStatus: 'USED',
      attempts: 1,
      station: 'Front desk 1',
      operator: 'Amy',
      orderId: v.orderId,
    });
    expect(row?.nonce).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.store.vouchers.getBySerial(v.serialNumber)?.voucher.status).toBe('USED');
    expect(redeemAudit()).toEqual(['sending', 'redeemed']);
    const audit = h.store.audit.recent(1)[0];
    expect(audit).toMatchObject({
      station: 'Front desk 1',
      operator: 'Amy',
      redemptionId: result.redemptionId,
      at: h.clock.now().toISOString(),
    });
  });

  it('looks an uncached voucher up first to learn its orderId', async () => {
    h = counterHarness();
    const v = makeVoucher();
    h.yahoo.add(v);
    const result = await h.counter.redeemVoucher(v.serialNumber);
    expect(result.outcome).toBe('redeemed');
    expect(h.yahoo.calls.map((c) => c.op)).toEqual(['query', 'redeem']);
  });

  it('answers not_found for a serial Yahoo does not know, sending nothing', async () => {
    h = counterHarness();
    expect((await deskError(h.counter.redeemVoucher('NOSUCH1'))).code).toBe('not_found');
    expect(h.yahoo.count('redeem')).toBe(0);
    expect(h.store.redemptions.pending()).toEqual([]);
  });

  it.each([
    ['USED', 'used'],
    ['REFUNDPENDING', 'refund_pending'],
    ['REFUNDED', 'refunded'],
    ['CANCELLED', 'cancelled'],
  ] as [VoucherStatus, string][])('on 12001 asks Yahoo why: %s → rejected %s', async (status, reason) => {
    const v = await withCachedVoucher();
    h.yahoo.setStatus(v.serialNumber, status); // changed at Yahoo since our lookup
    const result = await h.counter.redeemVoucher(v.serialNumber);
    expect(result).toMatchObject({ outcome: 'rejected', reason, status });
    expect(h.store.redemptions.get(result.redemptionId)).toMatchObject({
      state: 'rejected',
      reason,
      yahooStatus: status,
    });
    expect(h.store.vouchers.getBySerial(v.serialNumber)?.voucher.status).toBe(status);
    expect(redeemAudit()).toEqual(['sending', 'rejected']);
  });

  it('on 12001 for an expired voucher reports expired', async () => {
    const v = await withCachedVoucher();
    const atYahoo = h.yahoo.get(v.serialNumber)!;
    atYahoo.expireTime = '2025-05-31T00:00:00.000Z';
    atYahoo.statusAppliedTime = h.clock.now().toISOString();
    const result = await h.counter.redeemVoucher(v.serialNumber);
    expect(result).toMatchObject({
      outcome: 'rejected',
      reason: 'expired',
      status: 'UNUSED',
    });
  });

  it('on 12001 with the query failing too, rejects without a reason', async () => {
    const v = await withCachedVoucher();
    h.yahoo.setStatus(v.serialNumber, 'CANCELLED');
    h.yahoo.redeemScripts.push('normal');
    let queries = 0;
    h.yahoo.queryVouchers = async () => {
      queries += 1;
      throw yahooError('network');
    };
    const result = await h.counter.redeemVoucher(v.serialNumber);
    expect(queries).toBe(1);
    expect(result).toMatchObject({
      outcome: 'rejected',
      reason: null,
      status: null,
    });
  });

  it('ambiguous, then USED and claimed by nobody else: redeemed, confirmed by query', async () => {
    const v = await withCachedVoucher();
    h.yahoo.redeemScripts.push('apply-then-timeout');
    const result = await h.counter.redeemVoucher(v.serialNumber);
    expect(result).toMatchObject({ outcome: 'redeemed', status: 'USED' });
    expect(h.yahoo.count('redeem')).toBe(1);
    expect(h.store.redemptions.get(result.redemptionId)).toMatchObject({
      state: 'redeemed',
      lastError: 'yahoo timeout',
    });
    expect(h.store.audit.recent(1)[0]?.detail).toMatch(/confirmed by query/);
  });

  it('ambiguous, then USED by another redemption: rejected as used', async () => {
    const v = await withCachedVoucher();
    h.yahoo.redeemScripts.push('used-elsewhere-then-timeout');
    const result = await h.counter.redeemVoucher(v.serialNumber);
    expect(result).toMatchObject({
      outcome: 'rejected',
      reason: 'used',
      status: 'USED',
    });
    expect(h.store.audit.recent(1)[0]?.detail).toMatch(/R-00000000/);
  });

  it('ambiguous, then still UNUSED: it did not apply, so it is sent once more with the same row', async () => {
    const v = await withCachedVoucher();
    h.yahoo.redeemScripts.push('timeout-not-applied');
    const result = await h.counter.redeemVoucher(v.serialNumber);
    expect(result).toMatchObject({ outcome: 'redeemed', status: 'USED' });
    const sends = h.yahoo.calls.filter((c) => c.op === 'redeem');
    expect(sends).toHaveLength(2);
    expect(sends[0]?.redeemAt).toBe(sends[1]?.redeemAt);
    expect(h.store.redemptions.get(result.redemptionId)).toMatchObject({
      state: 'redeemed',
      attempts: 2,
    });
    expect(redeemAudit()).toEqual(['sending', 'retrying', 'redeemed']);
  });

  it('ambiguous twice and still UNUSED: failed, nothing redeemed, and the clerk is told to try again', async () => {
    const v = await withCachedVoucher();
    h.yahoo.redeemScripts.push('timeout-not-applied', 'timeout-not-applied');
    const error = await deskError(h.counter.redeemVoucher(v.serialNumber));
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/nothing was redeemed/);
    expect(h.yahoo.count('redeem')).toBe(2);
    const [row] = h.store.db.prepare(`SELECT state, attempts FROM redemptions`).all();
    expect(row).toEqual({ state: 'failed', attempts: 2 });
  });

  it('ambiguous and the status cannot be checked, offline redemption off: row stays pending, DeskError unconfirmed', async () => {
    const v = await withCachedVoucher();
    h.setAllowOffline(false);
    h.yahoo.redeemScripts.push('apply-then-timeout');
    h.yahoo.queryFaults.push(yahooError('network'));
    const error = await deskError(h.counter.redeemVoucher(v.serialNumber));
    expect(error.code).toBe('unconfirmed');
    expect(error.message).toMatch(/Do not hand over the service until it is confirmed/);
    const pending = h.store.redemptions.pending();
    expect(pending).toHaveLength(1);
    expect(pending[0]?.lastError).toMatch(/yahoo timeout; status query failed: yahoo network/);
    expect(redeemAudit()).toEqual(['sending', 'unconfirmed']);
    expect(h.counter.listShiftRedemptions('Front desk 1', '2025-01-01T00:00:00.000Z')[0]?.outcome).toBe('pending');
  });

  it('settles an earlier unconfirmed attempt by query before sending again', async () => {
    const v = await withCachedVoucher();
    h.setAllowOffline(false);
    h.yahoo.redeemScripts.push('apply-then-timeout');
    h.yahoo.queryFaults.push(yahooError('network'));
    await deskError(h.counter.redeemVoucher(v.serialNumber));
    const [earlier] = h.store.redemptions.pending();

    // Still offline: still unconfirmed, nothing sent.
    h.yahoo.queryFaults.push(yahooError('network'));
    expect((await deskError(h.counter.redeemVoucher(v.serialNumber))).code).toBe('unconfirmed');
    expect(h.yahoo.count('redeem')).toBe(1);

    // Back online: Yahoo shows it USED by our earlier attempt, so that attempt was the redemption.
    const result = await h.counter.redeemVoucher(v.serialNumber);
    expect(result).toMatchObject({
      outcome: 'redeemed',
      redemptionId: earlier?.id,
    });
    expect(h.yahoo.count('redeem')).toBe(1);
    expect(h.store.redemptions.pending()).toEqual([]);
  });

  it('a failure before sending, offline redemption off: the row fails and the answer is network', async () => {
    const v = await withCachedVoucher();
    h.setAllowOffline(false);
    h.yahoo.redeemScripts.push('refused-before-send');
    const error = await deskError(h.counter.redeemVoucher(v.serialNumber));
    expect(error.code).toBe('network');
    expect(error.message).toMatch(/Nothing was redeemed/);
    const [row] = h.store.db.prepare(`SELECT state, last_error FROM redemptions`).all();
    expect(row).toEqual({ state: 'failed', last_error: 'yahoo network' });
    expect(redeemAudit()).toEqual(['sending', 'failed']);
    // It can simply be tried again.
    expect((await h.counter.redeemVoucher(v.serialNumber)).outcome).toBe('redeemed');
  });

  it('refuses busy while the same serial is being redeemed on this desk', async () => {
    const v = await withCachedVoucher();
    const other = makeVoucher();
    h.yahoo.add(other);
    let open!: () => void;
    h.yahoo.gate = new Promise((resolve) => (open = resolve));
    const first = h.counter.redeemVoucher(v.serialNumber);
    const second = await deskError(h.counter.redeemVoucher(` ${v.serialNumber.toLowerCase()}`));
    expect(second.code).toBe('busy');
    const third = h.counter.redeemVoucher(other.serialNumber); // another voucher is not blocked
    open();
    expect((await first).outcome).toBe('redeemed');
    expect((await third).outcome).toBe('redeemed');
    expect(h.yahoo.count('redeem')).toBe(2);
  });

  it('refuses locally what this desk already redeemed, without asking Yahoo', async () => {
    const v = await withCachedVoucher();
    const first = await h.counter.redeemVoucher(v.serialNumber);
    const calls = h.yahoo.calls.length;
    h.yahoo.offline = true;
    const again = await h.counter.redeemVoucher(v.serialNumber);
    expect(h.yahoo.calls.length).toBe(calls);
    expect(again).toMatchObject({
      outcome: 'rejected',
      reason: 'used',
      status: 'USED',
    });
    expect(again.redemptionId).not.toBe(first.redemptionId);
    expect(h.store.audit.recent(1)[0]?.detail).toBe(`already redeemed at this desk as ${first.redemptionId}`);
  });

  it('refreshes a cached "not redeemable" before refusing', async () => {
    const v = await withCachedVoucher({ status: 'REFUNDPENDING' });
    h.yahoo.setStatus(v.serialNumber, 'UNUSED'); // the buyer withdrew the refund request
    expect((await h.counter.redeemVoucher(v.serialNumber)).outcome).toBe('redeemed');

    const used = makeVoucher({ status: 'USED' });
    h.yahoo.add(used);
    await h.counter.lookupVoucher(used.serialNumber, 'remote');
    const redeems = h.yahoo.count('redeem');
    const queries = h.yahoo.count('query');
    const result = await h.counter.redeemVoucher(used.serialNumber);
    expect(result).toMatchObject({ outcome: 'rejected', reason: 'used' });
    expect(h.yahoo.count('query')).toBe(queries + 1);
    expect(h.yahoo.count('redeem')).toBe(redeems);
  });

  it('decides on the cached status when the refresh cannot reach Yahoo', async () => {
    const v = await withCachedVoucher({ status: 'REFUNDED' });
    h.yahoo.offline = true;
    expect(await h.counter.redeemVoucher(v.serialNumber)).toMatchObject({
      outcome: 'rejected',
      reason: 'refunded',
    });
  });

  it('needs Yahoo configured to send', async () => {
    const v = await withCachedVoucher();
    h.setConfigured(false);
    expect((await deskError(h.counter.redeemVoucher(v.serialNumber))).code).toBe('not_configured');
  });
});

describe('listShiftRedemptions', () => {
  it("lists this station's attempts since the shift start, newest first, names masked", async () => {
    const a = await withCachedVoucher();
    const b = makeVoucher({
      buyerDetails: { name: 'Wang Da Ming', phone: null },
      title: 'Spa',
    });
    const c = makeVoucher({ status: 'CANCELLED' });
    h.yahoo.add(b, c);
    await h.counter.redeemVoucher(a.serialNumber); // before the shift
    h.clock.advance(60_000);
    const shiftStart = h.clock.now().toISOString();
    h.clock.advance(1000);
    const rb = await h.counter.redeemVoucher(b.serialNumber);
    h.clock.advance(1000);
    const rc = await h.counter.redeemVoucher(c.serialNumber);
    h.identity.station = 'Front desk 2';
    h.clock.advance(1000);
    await h.counter.redeemVoucher(makeVoucherAt(h).serialNumber).catch(() => {});

    const list = h.counter.listShiftRedemptions('Front desk 1', shiftStart);
    expect(list).toEqual([
      {
        redemptionId: rc.redemptionId,
        at: expect.any(String),
        serialNumber: c.serialNumber,
        title: c.title,
        outcome: 'rejected',
        reason: 'cancelled',
        buyerNameMasked: '楊*慧',
        operatorName: 'Amy',
      },
      {
        redemptionId: rb.redemptionId,
        at: expect.any(String),
        serialNumber: b.serialNumber,
        title: 'Spa',
        outcome: 'redeemed',
        reason: null,
        buyerNameMasked: 'W*** D* M***',
        operatorName: 'Amy',
      },
    ]);
  });
});

function makeVoucherAt(harness: typeof h) {
  const v = makeVoucher();
  harness.yahoo.add(v);
  return v;
}
