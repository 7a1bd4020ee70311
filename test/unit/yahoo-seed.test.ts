import { describe, expect, it } from 'vitest';
import { DEMO_ORDERS, DEMO_SERIALS, HUGE_VOUCHER_ID, seedVouchers } from '../../electron/core/sandbox/yahoo/seed.js';
import { normaliseSerial } from '../../shared/domain/serial.js';
import { redeemVerdict, VOUCHER_STATUSES } from '../../shared/domain/voucher.js';

const NOW = Date.parse('2026-03-01T04:00:00Z');
const vouchers = seedVouchers(NOW);
const bySerial = new Map(vouchers.map((v) => [v.serialNumber, v]));
const at = new Date(NOW);

describe('sandbox seed data', () => {
  it('has the default 2400 vouchers with unique serials and voucher ids', () => {
    expect(vouchers).toHaveLength(2400);
    expect(bySerial.size).toBe(2400);
    expect(new Set(vouchers.map((v) => v.voucherId)).size).toBe(2400);
    expect(new Set(vouchers.map((v) => v.orderItemId)).size).toBe(2400);
  });

  it('covers every status, with some UNUSED already expired', () => {
    for (const status of VOUCHER_STATUSES) {
      expect(vouchers.filter((v) => v.status === status).length, status).toBeGreaterThan(50);
    }
    const expiredUnused = vouchers.filter((v) => v.status === 'UNUSED' && redeemVerdict(v, at).redeemable === false);
    expect(expiredUnused.length).toBeGreaterThan(20);
  });

  it('is deterministic for a seed and different for another', () => {
    expect(seedVouchers(NOW)).toEqual(vouchers);
    const other = seedVouchers(NOW, 2400, 7);
    expect(other.map((v) => v.serialNumber)).not.toEqual(vouchers.map((v) => v.serialNumber));
    expect(other.find((v) => v.serialNumber === DEMO_SERIALS.unusedA)?.status).toBe('UNUSED');
  });

  it('places times relative to the given clock', () => {
    const later = seedVouchers(NOW + 365 * 86_400_000);
    const a = later.find((v) => v.serialNumber === DEMO_SERIALS.unusedA);
    expect(a && redeemVerdict(a, new Date(NOW + 365 * 86_400_000))).toEqual({ redeemable: true });
    for (const v of vouchers) expect(Date.parse(v.createdTime)).toBeLessThan(NOW);
  });

  it('gives each demo serial the state its name promises', () => {
    const verdict = (serial: string) => {
      const v = bySerial.get(serial);
      if (v === undefined) throw new Error(`missing ${serial}`);
      return redeemVerdict(v, at);
    };
    for (const serial of [
      DEMO_SERIALS.unusedA,
      DEMO_SERIALS.unusedB,
      DEMO_SERIALS.unusedC,
      DEMO_SERIALS.hugeId,
      DEMO_SERIALS.seedExample,
      DEMO_SERIALS.group1,
      DEMO_SERIALS.group2,
      DEMO_SERIALS.group3,
    ]) {
      expect(verdict(serial), serial).toEqual({ redeemable: true });
    }
    expect(verdict(DEMO_SERIALS.used)).toEqual({ redeemable: false, reason: 'used' });
    expect(verdict(DEMO_SERIALS.refundPending)).toEqual({ redeemable: false, reason: 'refund_pending' });
    expect(verdict(DEMO_SERIALS.refunded)).toEqual({ redeemable: false, reason: 'refunded' });
    expect(verdict(DEMO_SERIALS.cancelled)).toEqual({ redeemable: false, reason: 'cancelled' });
    expect(verdict(DEMO_SERIALS.expired)).toEqual({ redeemable: false, reason: 'expired' });
    expect(bySerial.get(DEMO_SERIALS.expired)?.status).toBe('UNUSED');
  });

  it("carries the seed document's examples", () => {
    const huge = bySerial.get(DEMO_SERIALS.hugeId);
    expect(huge?.voucherId).toBe(HUGE_VOUCHER_ID);
    expect(huge?.orderId).toBe(DEMO_ORDERS.hugeId);
    expect(huge?.buyerDetails).toEqual({ name: '楊于慧', phone: '0912063990' });
    expect(Date.parse(huge?.expireTime ?? '')).toBeGreaterThan(NOW);
    expect(bySerial.get(DEMO_SERIALS.seedExample)?.orderId).toBe(DEMO_ORDERS.seedExample);
    const group = vouchers.filter((v) => v.orderId === DEMO_ORDERS.group);
    expect(group.map((v) => v.serialNumber).sort()).toEqual([
      DEMO_SERIALS.group1,
      DEMO_SERIALS.group2,
      DEMO_SERIALS.group3,
    ]);
  });

  it('looks like Yahoo data: formats of ids, phones, prices, Chinese titles and names', () => {
    for (const v of vouchers) {
      expect(v.orderId).toMatch(/^YM\d{13}$/);
      expect(v.orderItemId).toMatch(/^YS\d{13}$/);
      expect(v.productId).toMatch(/^p\d+$/);
      expect(v.price).toMatch(/^[1-9]\d*$/);
      expect(v.voucherId).toMatch(/^\d+$/);
      expect(v.buyerDetails.phone).toMatch(/^09\d{8}$/);
      expect(v.buyerDetails.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
      expect(v.title).toMatch(/[\u4e00-\u9fff]/);
      expect(v.redemptionDesc).toMatch(/[\u4e00-\u9fff]/);
      expect(normaliseSerial(v.serialNumber)).toEqual({ ok: true, serial: v.serialNumber });
      for (const time of [v.statusAppliedTime, v.deliveredTime, v.expireTime, v.startTime]) {
        expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
      }
    }
  });

  it('honours a smaller count and still includes every demo serial', () => {
    const small = seedVouchers(NOW, 20);
    expect(small).toHaveLength(20);
    for (const serial of Object.values(DEMO_SERIALS))
      expect(
        small.some((v) => v.serialNumber === serial),
        serial,
      ).toBe(true);
  });
});
