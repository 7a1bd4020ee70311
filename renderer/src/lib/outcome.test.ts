import { describe, expect, it } from 'vitest';
import type { LookupResult, RedeemResult, VoucherView } from '../../../shared/contract.js';
import { createTranslator, SUPPORTED_LOCALES } from '../../../shared/i18n/index.js';
import { ERROR_CODES } from '../../../shared/errors.js';
import { bannerFromRedeem, cardAfterRedeem, describeBanner } from './outcome.js';

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

describe('queued banner', () => {
  it('says the redemption is saved on this desk, gives its id, and warns not to redeem again', () => {
    const banner = bannerFromRedeem('ABC123', 'Lunch', { ok: true, value: result('queued', { redemptionId: 'R-7' }) });
    expect(banner.redemptionId).toBe('R-7');
    const en = describeBanner(banner, createTranslator('en'));
    expect(en.headline).toBe('Saved on this desk');
    expect(en.detail).toContain('R-7');
    expect(en.detail).toContain('Do not redeem it again');
    expect(describeBanner(banner, createTranslator('zh-TW')).detail).toContain('請勿重複兌換');
  });
});

describe('cardAfterRedeem', () => {
  type Found = Extract<LookupResult, { kind: 'found' }>;
  const unused: VoucherView = { ...used, status: 'UNUSED', statusAppliedTime: null, executedBy: null };
  const cached: Found = {
    kind: 'found',
    voucher: unused,
    verdict: { redeemable: true },
    source: 'cache',
    fetchedAt: '2025-01-05T06:00:00.000Z',
    localRedemption: null,
  };
  const now = new Date('2025-01-05T07:22:00.000Z');

  it('queued: keeps the cached status and its age, and marks the local redemption', () => {
    const card = cardAfterRedeem(cached, result('queued', { redemptionId: 'R-9', voucher: null }), now);
    expect(card.source).toBe('cache');
    expect(card.fetchedAt).toBe(cached.fetchedAt);
    expect(card.localRedemption).toEqual({ redemptionId: 'R-9', state: 'queued', at: '2025-01-05T07:21:00.000Z' });
  });

  it('redeemed: the voucher as Yahoo now has it, fresh as of the answer', () => {
    const card = cardAfterRedeem(cached, result('redeemed', { voucher: used }), now);
    expect(card).toMatchObject({
      source: 'remote',
      fetchedAt: '2025-01-05T07:21:00.000Z',
      verdict: { redeemable: false, reason: 'used' },
      localRedemption: { redemptionId: 'R-1', state: 'redeemed' },
    });
  });

  it('rejected: judged again from Yahoo’s answer, or left alone when it carried no voucher', () => {
    expect(cardAfterRedeem(cached, result('rejected', { reason: 'used', voucher: used }), now)).toMatchObject({
      verdict: { redeemable: false, reason: 'used' },
      localRedemption: null,
    });
    expect(cardAfterRedeem(cached, result('rejected'), now)).toBe(cached);
  });
});
