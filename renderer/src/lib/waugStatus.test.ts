import { describe, expect, it } from 'vitest';
import { WAUG_ORDER_GOODS_STATUSES, WAUG_ORDER_STATUSES, WAUG_VOUCHER_STATES } from '../../../shared/domain/waug.js';
import { ERROR_CODES } from '../../../shared/errors.js';
import { CATALOGS, createTranslator, SUPPORTED_LOCALES } from '../../../shared/i18n/index.js';
import { goodsTone, isGoodsInRefund, isOrderInRefund, orderTone, TONE_ICONS, voucherStateTone } from './waugStatus.js';

describe('WAUG status colours', () => {
  it('shows each goods status in its colour family', () => {
    expect(goodsTone('STATUS_WAIT')).toBe('waiting');
    expect(goodsTone('STATUS_CANCEL')).toBe('void');
    expect(goodsTone('STATUS_PAID')).toBe('paid');
    expect(goodsTone('STATUS_IN_PROGRESS')).toBe('progress');
    expect(goodsTone('STATUS_CONFIRMED')).toBe('done');
    expect(goodsTone('STATUS_REFUND_REQUESTED')).toBe('refund');
    expect(goodsTone('STATUS_REFUND_COMPLETED')).toBe('void');
    expect(goodsTone('STATUS_PARTIAL_REFUND_COMPLETED')).toBe('refund');
  });

  it('shows each order status in its colour family', () => {
    expect(orderTone('STATUS_WAIT')).toBe('waiting');
    expect(orderTone('STATUS_PAID')).toBe('paid');
    expect(orderTone('STATUS_REFUND_REQUESTED')).toBe('refund');
    expect(orderTone('STATUS_PARTIAL_REFUND_REQUESTED')).toBe('refund');
    expect(orderTone('STATUS_REFUND_COMPLETED')).toBe('void');
    expect(orderTone('STATUS_PARTIAL_REFUND_COMPLETED')).toBe('refund');
  });

  it('shows voucher issuance from not issued to issued', () => {
    expect(WAUG_VOUCHER_STATES.map(voucherStateTone)).toEqual(['waiting', 'progress', 'done']);
  });

  it('gives every tone an icon, so colour is never the only signal', () => {
    for (const status of WAUG_ORDER_GOODS_STATUSES) expect(TONE_ICONS[goodsTone(status)]).toBeTruthy();
    for (const status of WAUG_ORDER_STATUSES) expect(TONE_ICONS[orderTone(status)]).toBeTruthy();
  });

  it('knows which statuses mean a refund is under way or done', () => {
    expect(WAUG_ORDER_STATUSES.filter(isOrderInRefund)).toEqual([
      'STATUS_REFUND_REQUESTED',
      'STATUS_PARTIAL_REFUND_REQUESTED',
      'STATUS_REFUND_COMPLETED',
      'STATUS_PARTIAL_REFUND_COMPLETED',
    ]);
    expect(WAUG_ORDER_GOODS_STATUSES.filter(isGoodsInRefund)).toEqual([
      'STATUS_REFUND_REQUESTED',
      'STATUS_REFUND_COMPLETED',
      'STATUS_PARTIAL_REFUND_COMPLETED',
    ]);
  });
});

describe('WAUG status words', () => {
  for (const locale of SUPPORTED_LOCALES) {
    const t = createTranslator(locale);
    const catalog = CATALOGS[locale] as Record<string, string>;

    it(`${locale}: every order status, goods status and issuance state has its own words`, () => {
      const orderWords = WAUG_ORDER_STATUSES.map((status) => {
        expect(catalog[`waugOrderStatus.${status}`], status).toBeDefined();
        return t.orderStatus(status);
      });
      expect(new Set(orderWords).size).toBe(WAUG_ORDER_STATUSES.length);
      const goodsWords = WAUG_ORDER_GOODS_STATUSES.map((status) => {
        expect(catalog[`waugGoodsStatus.${status}`], status).toBeDefined();
        return t.goodsStatus(status);
      });
      expect(new Set(goodsWords).size).toBe(WAUG_ORDER_GOODS_STATUSES.length);
      for (const word of [...orderWords, ...goodsWords]) expect(word).not.toMatch(/STATUS_/);
      const issuance = WAUG_VOUCHER_STATES.map((state) => t.voucherIssuance(state));
      expect(new Set(issuance).size).toBe(3);
    });

    it(`${locale}: every error code has WAUG words, distinct and never raw`, () => {
      const seen = new Set<string>();
      for (const code of ERROR_CODES) {
        expect(catalog[`waugError.${code}`], code).toBeDefined();
        seen.add(t.waugError(code));
      }
      expect(seen.size).toBe(ERROR_CODES.length);
      expect(t.waugError('ECONNRESET')).toBe(t.waugError('internal'));
      expect(t.waugError('network')).toMatch(/WAUG/);
    });
  }

  it('names the statuses in both languages', () => {
    expect(createTranslator('en').goodsStatus('STATUS_CONFIRMED')).toBe('Voucher issued');
    expect(createTranslator('zh-TW').goodsStatus('STATUS_IN_PROGRESS')).toBe('憑證開立中');
    expect(createTranslator('zh-TW').orderStatus('STATUS_REFUND_REQUESTED')).toBe('已申請退款');
  });

  it('shows WAUG amounts in their currency without floats', () => {
    const t = createTranslator('en');
    expect(t.money('52000', 'KRW')).toBe('52,000 KRW');
    expect(t.money('1200', 'TWD')).toBe('NT$1,200');
    expect(t.money('12345678901234567890', 'KRW')).toBe('12,345,678,901,234,567,890 KRW');
    expect(t.money('19.90', 'usd')).toBe('19.90 USD');
    expect(t.money('1500', null)).toBe('1,500');
    expect(t.money('n/a', 'KRW')).toBe('n/a KRW');
  });
});
