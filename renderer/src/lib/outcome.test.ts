import { describe, expect, it } from 'vitest';
import type { RedeemResult, VoucherView } from '../../../shared/contract.js';
import { createTranslator, SUPPORTED_LOCALES } from '../../../shared/i18n/index.js';
import { ERROR_CODES } from '../../../shared/errors.js';
import { bannerFromRedeem, describeBanner } from './outcome.js';

const used: VoucherView = {
  voucherId: '1',
  serialNumber: 'ABC123',
  orderId: '9',
  orderItemId: null,
  productId: 'p',
  specId: 's',
  title: '雙人午餐',
  redemptionDesc: null,
  price: '1200',
  buyerName: '楊*慧',
  buyerPhoneMasked: '•••••••990',
  status: 'USED',
  statusAppliedTime: '2025-01-05T07:20:00.000Z',
  executedBy: 'Front desk 2',
  startTime: null,
  expireTime: null,
  deliveredTime: null,
};

const result = (outcome: RedeemResult['outcome'], extra: Partial<RedeemResult> = {}): RedeemResult => ({
  redemptionId: 'R-1',
  serialNumber: 'ABC123',
  outcome,
  status: null,
  reason: null,
  voucher: null,
  at: '2025-01-05T07:21:00.000Z',
  ...extra,
});

describe('bannerFromRedeem', () => {
  it('takes the outcome from the answer', () => {
    expect(
      bannerFromRedeem('ABC123', 'Lunch', { ok: true, value: result('redeemed', { voucher: used }) }),
    ).toMatchObject({
      outcome: 'redeemed',
      title: '雙人午餐',
      voucher: used,
    });
    expect(
      bannerFromRedeem('ABC123', 'Lunch', { ok: true, value: result('rejected', { reason: 'used' }) }),
    ).toMatchObject({
      outcome: 'rejected',
      reason: 'used',
      title: 'Lunch',
    });
    expect(bannerFromRedeem('ABC123', 'Lunch', { ok: true, value: result('queued') }).outcome).toBe('queued');
  });

  it('shows an unconfirmed redemption as queued (amber), any other error as an error', () => {
    expect(
      bannerFromRedeem('ABC123', 'Lunch', { ok: false, error: { code: 'unconfirmed', message: '' } }),
    ).toMatchObject({
      outcome: 'queued',
      errorCode: 'unconfirmed',
    });
    expect(bannerFromRedeem('ABC123', 'Lunch', { ok: false, error: { code: 'timeout', message: '' } })).toMatchObject({
      outcome: 'error',
      errorCode: 'timeout',
    });
  });
});

describe('describeBanner', () => {
  for (const locale of SUPPORTED_LOCALES) {
    const tr = createTranslator(locale);

    it(`${locale}: words for every outcome, never a raw code`, () => {
      const texts = [
        describeBanner(bannerFromRedeem('ABC123', 'Lunch', { ok: true, value: result('redeemed') }), tr),
        describeBanner(
          bannerFromRedeem('ABC123', 'Lunch', {
            ok: true,
            value: result('rejected', { reason: 'used', voucher: used }),
          }),
          tr,
        ),
        describeBanner(bannerFromRedeem('ABC123', 'Lunch', { ok: true, value: result('rejected') }), tr),
        describeBanner(bannerFromRedeem('ABC123', 'Lunch', { ok: true, value: result('queued') }), tr),
        ...ERROR_CODES.map((code) =>
          describeBanner(bannerFromRedeem('ABC123', 'Lunch', { ok: false, error: { code, message: 'raw' } }), tr),
        ),
      ];
      for (const { headline, detail } of texts) {
        expect(headline).not.toBe('');
        expect(detail).not.toMatch(/[{}]|raw/);
      }
    });
  }

  it('names the reason a redemption was refused', () => {
    const text = describeBanner(
      bannerFromRedeem('ABC123', 'Lunch', { ok: true, value: result('rejected', { reason: 'used', voucher: used }) }),
      createTranslator('en'),
    );
    expect(text.headline).toBe('Not redeemed');
    expect(text.detail).toBe(
      'Serial ABC123: Already used at 5 Jan 2025, 15:20 (Front desk 2). It cannot be redeemed again.',
    );
  });
});
