import { afterEach, describe, expect, it } from 'vitest';
import { searchVouchers } from '../../electron/core/db/search.js';
import type { DeskStore } from '../../electron/core/db/store.js';
import { purgePersonalData } from '../../electron/core/sync/retention.js';
import type { Voucher } from '../../shared/domain/voucher.js';
import { createTestStore } from '../helpers/db.js';
import { makeVoucher } from '../helpers/vouchers.js';

const NOW = new Date('2025-06-01T02:00:00.000Z');
const DAY = 86_400_000;
/** 90 days before NOW: what "older than 90 days" is measured against. */
const CUTOFF = NOW.getTime() - 90 * DAY;
const at = (ms: number) => new Date(ms).toISOString();
const FUTURE = '2030-12-31T15:59:59.000Z';

let store: DeskStore;
afterEach(() => store?.close());

function put(overrides: Partial<Voucher>): Voucher {
  const v = makeVoucher({ buyerDetails: { name: '林志明', phone: '0911222333' }, expireTime: FUTURE, ...overrides });
  store.vouchers.upsert(v, NOW.toISOString());
  return v;
}

const buyer = (v: Voucher) => store.vouchers.getBySerial(v.serialNumber)!.voucher.buyerDetails;

describe('purgePersonalData', () => {
  it('clears name and phone of vouchers used, refunded or cancelled more than retentionDays ago (strictly older)', () => {
    store = createTestStore();
    const usedOld = put({ status: 'USED', statusAppliedTime: at(CUTOFF - 1000) });
    const refundedOld = put({ status: 'REFUNDED', statusAppliedTime: at(CUTOFF - DAY) });
    const cancelledOld = put({ status: 'CANCELLED', statusAppliedTime: at(CUTOFF - 1) });
    const usedAtCutoff = put({ status: 'USED', statusAppliedTime: at(CUTOFF) });
    const usedRecent = put({ status: 'USED', statusAppliedTime: at(CUTOFF + 1000) });
    const pendingOld = put({ status: 'REFUNDPENDING', statusAppliedTime: at(CUTOFF - 10 * DAY) });
    const unusedOldIssue = put({ status: 'UNUSED', statusAppliedTime: at(CUTOFF - 100 * DAY) });
    const usedNoTime = put({ status: 'USED', statusAppliedTime: null });

    expect(purgePersonalData(store, NOW, 90)).toBe(3);
    for (const v of [usedOld, refundedOld, cancelledOld]) expect(buyer(v)).toEqual({ name: null, phone: null });
    for (const v of [usedAtCutoff, usedRecent, pendingOld, unusedOldIssue, usedNoTime]) {
      expect(buyer(v)).toEqual({ name: '林志明', phone: '0911222333' });
    }
    // The voucher itself stays: the counter can still say it was used.
    expect(store.vouchers.getBySerial(usedOld.serialNumber)!.voucher).toMatchObject({
      status: 'USED',
      serialNumber: usedOld.serialNumber,
      orderId: usedOld.orderId,
    });
  });

  it('clears vouchers of any status whose expiry is older than retentionDays', () => {
    store = createTestStore();
    const expiredOld = put({ status: 'UNUSED', expireTime: at(CUTOFF - 1000) });
    const pendingExpiredOld = put({ status: 'REFUNDPENDING', expireTime: at(CUTOFF - DAY) });
    const expiredAtCutoff = put({ status: 'UNUSED', expireTime: at(CUTOFF) });
    const expiredRecently = put({ status: 'UNUSED', expireTime: at(NOW.getTime() - DAY) });
    const noExpiry = put({ status: 'UNUSED', expireTime: null });

    expect(purgePersonalData(store, NOW, 90)).toBe(2);
    expect(buyer(expiredOld)).toEqual({ name: null, phone: null });
    expect(buyer(pendingExpiredOld)).toEqual({ name: null, phone: null });
    for (const v of [expiredAtCutoff, expiredRecently, noExpiry]) expect(buyer(v).name).toBe('林志明');
  });

  it('is idempotent, counts rows with only a name or only a phone, and takes the period as given', () => {
    store = createTestStore();
    put({ status: 'USED', statusAppliedTime: at(CUTOFF - DAY), buyerDetails: { name: '林志明', phone: null } });
    put({ status: 'USED', statusAppliedTime: at(CUTOFF - DAY), buyerDetails: { name: null, phone: '0911222333' } });
    put({ status: 'USED', statusAppliedTime: at(CUTOFF - DAY), buyerDetails: { name: null, phone: null } });
    const usedYesterday = put({ status: 'USED', statusAppliedTime: at(NOW.getTime() - DAY) });

    expect(purgePersonalData(store, NOW, 90)).toBe(2);
    expect(purgePersonalData(store, NOW, 90)).toBe(0);
    expect(purgePersonalData(store, NOW, 2)).toBe(0);
    expect(purgePersonalData(store, NOW, 0)).toBe(1);
    expect(buyer(usedYesterday)).toEqual({ name: null, phone: null });
    expect(() => purgePersonalData(store, NOW, -1)).toThrow(RangeError);
    expect(() => purgePersonalData(store, NOW, Number.NaN)).toThrow(RangeError);
  });

  it('takes purged vouchers out of name and phone search, not serial search', () => {
    store = createTestStore();
    const v = put({
      status: 'USED',
      statusAppliedTime: at(CUTOFF - DAY),
      buyerDetails: { name: '鄭雅婷', phone: '0933444555' },
    });
    expect(searchVouchers(store, '鄭雅', 10).hits).toHaveLength(1);
    expect(searchVouchers(store, '4555', 10).hits).toHaveLength(1);
    purgePersonalData(store, NOW, 90);
    expect(searchVouchers(store, '鄭雅', 10)).toEqual({ matchedBy: null, hits: [], truncated: false });
    expect(searchVouchers(store, '4555', 10).matchedBy).toBeNull();
    expect(searchVouchers(store, v.serialNumber, 10).matchedBy).toBe('serial');
  });
});
