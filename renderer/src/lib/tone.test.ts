import { describe, expect, it } from 'vitest';
import { cardTone, localHeadlineKey, voucherTone } from './tone.js';

describe('cardTone', () => {
  it('lets this desk’s own redemption outrank a cached "unused"', () => {
    const redeemable = { redeemable: true } as const;
    expect(cardTone('UNUSED', redeemable, null)).toBe('redeemable');
    expect(cardTone('UNUSED', redeemable, { state: 'queued' })).toBe('pending');
    expect(cardTone('UNUSED', redeemable, { state: 'redeemed' })).toBe('used');
    expect(cardTone('UNUSED', redeemable, { state: 'conflict' })).toBe('void');
  });

  it('keeps Yahoo’s refusal when Yahoo already says no', () => {
    const used = { redeemable: false, reason: 'used' } as const;
    expect(cardTone('USED', used, { state: 'queued' })).toBe(voucherTone('USED', used));
    expect(localHeadlineKey({ state: 'queued' }, used)).toBeNull();
    expect(localHeadlineKey({ state: 'queued' }, { redeemable: true })).toBe('verdict.local.queued');
    expect(localHeadlineKey(null, { redeemable: true })).toBeNull();
  });
});
