import { describe, expect, it, vi } from 'vitest';
import type { LookupResult, VoucherView } from '../../../shared/contract.js';
import type { IpcResult } from '../../../shared/errors.js';
import { LatestOnly, lookupWithRefresh, showAfterDelay, type LookupApi, type LookupUpdate } from './lookup.js';

const voucher = (status: VoucherView['status']): VoucherView => ({
  voucherId: '18446744073709551615',
  serialNumber: 'ABC123',
  orderId: '1',
  orderItemId: null,
  productId: 'p',
  specId: 's',
  title: 'Lunch',
  redemptionDesc: null,
  price: '200',
  buyerName: null,
  buyerPhoneMasked: null,
  status,
  statusAppliedTime: null,
  executedBy: null,
  startTime: null,
  expireTime: null,
  deliveredTime: null,
});

const found = (source: 'cache' | 'remote', status: VoucherView['status'] = 'UNUSED'): IpcResult<LookupResult> => ({
  ok: true,
  value: {
    kind: 'found',
    voucher: voucher(status),
    verdict: status === 'UNUSED' ? { redeemable: true } : { redeemable: false, reason: 'used' },
    source,
    fetchedAt: '2025-01-05T07:20:00.000Z',
    localRedemption: null,
  },
});

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('lookupWithRefresh', () => {
  it('asks the cache first, then Yahoo when the answer came from the cache', async () => {
    const api: LookupApi = {
      lookupVoucher: vi.fn(async (request) => (request.prefer === 'cache' ? found('cache') : found('remote', 'USED'))),
    };
    const updates: LookupUpdate[] = [];
    await lookupWithRefresh(
      api,
      'ABC123',
      () => true,
      (u) => updates.push(u),
    );
    expect(vi.mocked(api.lookupVoucher).mock.calls.map(([r]) => r)).toEqual([
      { serial: 'ABC123', prefer: 'cache' },
      { serial: 'ABC123', prefer: 'remote' },
    ]);
    expect(updates.map((u) => u.phase)).toEqual(['first', 'refreshing', 'refreshed']);
  });

  it('does not ask again when the first answer was already remote or an error', async () => {
    for (const first of [found('remote'), { ok: false, error: { code: 'network', message: '' } } as const]) {
      const api: LookupApi = { lookupVoucher: vi.fn(async () => first) };
      const updates: LookupUpdate[] = [];
      await lookupWithRefresh(
        api,
        'ABC123',
        () => true,
        (u) => updates.push(u),
      );
      expect(api.lookupVoucher).toHaveBeenCalledTimes(1);
      expect(updates.map((u) => u.phase)).toEqual(['first']);
    }
  });

  it('does not ask Yahoo while the clerk works offline', async () => {
    const api: LookupApi = { lookupVoucher: vi.fn(async () => found('cache')) };
    const updates: LookupUpdate[] = [];
    await lookupWithRefresh(
      api,
      'ABC123',
      () => true,
      (u) => updates.push(u),
      () => false,
    );
    expect(api.lookupVoucher).toHaveBeenCalledTimes(1);
    expect(updates.map((u) => u.phase)).toEqual(['first']);
  });

  it('ignores a late background answer once a newer scan has started', async () => {
    const latest = new LatestOnly();
    const remote = deferred<IpcResult<LookupResult>>();
    const api: LookupApi = {
      lookupVoucher: vi.fn(async (request) => (request.prefer === 'cache' ? found('cache') : remote.promise)),
    };
    const updates: LookupUpdate[] = [];
    const ticket = latest.next();
    const running = lookupWithRefresh(
      api,
      'ABC123',
      () => latest.isCurrent(ticket),
      (u) => updates.push(u),
    );
    await Promise.resolve();
    await Promise.resolve();
    latest.next(); // the clerk scans the next voucher
    remote.resolve(found('remote', 'USED'));
    await running;
    expect(updates.map((u) => u.phase)).toEqual(['first', 'refreshing']);
  });

  it('ignores a late first answer entirely', async () => {
    const latest = new LatestOnly();
    const slow = deferred<IpcResult<LookupResult>>();
    const api: LookupApi = { lookupVoucher: vi.fn(() => slow.promise) };
    const onUpdate = vi.fn();
    const ticket = latest.next();
    const running = lookupWithRefresh(api, 'OLD', () => latest.isCurrent(ticket), onUpdate);
    latest.invalidate();
    slow.resolve(found('cache'));
    await running;
    expect(onUpdate).not.toHaveBeenCalled();
    expect(api.lookupVoucher).toHaveBeenCalledTimes(1);
  });
});

describe('showAfterDelay', () => {
  it('shows the loading state only if the answer is slow', () => {
    vi.useFakeTimers();
    try {
      const show = vi.fn();
      const cancelFast = showAfterDelay(150, show);
      vi.advanceTimersByTime(100);
      cancelFast();
      vi.advanceTimersByTime(500);
      expect(show).not.toHaveBeenCalled();

      showAfterDelay(150, show);
      vi.advanceTimersByTime(151);
      expect(show).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
