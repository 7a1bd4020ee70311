import { describe, expect, it } from 'vitest';
import type { OrderGoodsView, OrderView } from '../../../shared/contract.js';
import {
  refundAvailability,
  refundBlocks,
  refundFormProblems,
  refundProblem,
  refundProblemRereads,
  waugCodeIn,
} from './refund.js';

const goods = (over: Partial<OrderGoodsView> = {}): OrderGoodsView => ({
  orderGoodsId: 'g1',
  goodsId: '100',
  goodsName: 'Nami Island day tour',
  status: 'STATUS_CONFIRMED',
  useDate: '2025-03-14',
  options: ['Adult × 2'],
  refundable: true,
  totalPrice: '52000',
  voucher: { state: 'issued', voucherNumber: 'V-1', issuedAt: '2025-03-01T01:00:00.000Z' },
  updatedAt: null,
  history: [],
  ...over,
});

const order = (over: Partial<OrderView> = {}): OrderView => ({
  orderNumber: 'W1001',
  partnerOrderNumber: 'OI-1',
  orderStatus: 'STATUS_PAID',
  orderedAt: '2025-03-01T00:00:00.000Z',
  currency: 'KRW',
  totalPrice: '52000',
  goods: [goods()],
  refundable: true,
  ...over,
});

const ready = { hasManagerPin: true, waugConfigured: true };

describe('refundAvailability', () => {
  it('offers the refund when the order is refundable and a manager PIN exists', () => {
    expect(refundAvailability(order(), ready)).toEqual({ kind: 'available' });
    // Settings not read yet: offered, the core checks the PIN anyway.
    expect(refundAvailability(order(), { ...ready, hasManagerPin: null })).toEqual({ kind: 'available' });
  });

  it('asks for a manager PIN first when none is set', () => {
    expect(refundAvailability(order(), { ...ready, hasManagerPin: false })).toEqual({ kind: 'needs_pin' });
  });

  it('names each non-refundable goods', () => {
    const o = order({
      refundable: false,
      goods: [goods(), goods({ orderGoodsId: 'g2', goodsName: 'Lotte World pass', refundable: false })],
    });
    expect(refundAvailability(o, ready)).toEqual({
      kind: 'blocked',
      reasons: [{ kind: 'non_refundable_goods', goods: ['Lotte World pass'] }],
    });
  });

  it('says the order is already in refund', () => {
    const o = order({ refundable: false, orderStatus: 'STATUS_REFUND_REQUESTED' });
    expect(refundAvailability(o, ready)).toEqual({
      kind: 'blocked',
      reasons: [{ kind: 'in_refund', status: 'STATUS_REFUND_REQUESTED' }],
    });
  });

  it('names goods already in refund when the order status does not say so yet', () => {
    const o = order({ refundable: false, goods: [goods({ status: 'STATUS_REFUND_REQUESTED' })] });
    expect(refundBlocks(o)).toEqual([{ kind: 'goods_in_refund', goods: ['Nami Island day tour'] }]);
  });

  it('gives every reason that applies, and an unpaid order its own', () => {
    const o = order({ refundable: false, orderStatus: 'STATUS_WAIT', goods: [goods({ refundable: false })] });
    expect(refundBlocks(o)).toEqual([
      { kind: 'non_refundable_goods', goods: ['Nami Island day tour'] },
      { kind: 'not_paid' },
    ]);
  });

  it('still says something when the core refuses for a reason the order does not show', () => {
    expect(refundAvailability(order({ refundable: false }), ready)).toEqual({
      kind: 'blocked',
      reasons: [{ kind: 'unknown' }],
    });
  });

  it('is never offered while WAUG is not set up', () => {
    expect(refundAvailability(order(), { ...ready, waugConfigured: false })).toEqual({
      kind: 'blocked',
      reasons: [{ kind: 'unconfigured' }],
    });
  });
});

describe('refundProblem', () => {
  const error = (code: Parameters<typeof refundProblem>[0]['code'], message = 'x') => ({ code, message });

  it('reads forbidden as a wrong PIN (with the tries left), a lockout, or no PIN set', () => {
    expect(refundProblem(error('forbidden', 'Wrong manager PIN. 2 tries left before …'), true)).toEqual({
      kind: 'wrong_pin',
      triesLeft: 2,
    });
    expect(refundProblem(error('forbidden', 'Wrong manager PIN. 1 try left …'), null)).toEqual({
      kind: 'wrong_pin',
      triesLeft: 1,
    });
    expect(refundProblem(error('forbidden'), true)).toEqual({ kind: 'wrong_pin', triesLeft: null });
    expect(refundProblem(error('forbidden'), false)).toEqual({ kind: 'no_pin' });
    expect(refundProblem(error('forbidden', 'Refunds need a manager PIN, and none is set on this desk'), null)).toEqual(
      {
        kind: 'no_pin',
      },
    );
    expect(refundProblem(error('forbidden', 'Too many wrong manager PINs: try again in 42 s.'), true)).toEqual({
      kind: 'locked',
      seconds: 42,
    });
  });

  it('recognises WAUG refusals by their response code or the refused code', () => {
    expect(waugCodeIn('WAUG refund: This order cannot be refunded (code 107)')).toBe('107');
    expect(waugCodeIn('no code here')).toBeNull();
    expect(refundProblem(error('refused', 'WAUG refused … non-refundable product (code 107).'), true)).toEqual({
      kind: 'non_refundable',
    });
    expect(refundProblem(error('refused', 'Order W1 cannot be refunded: X is non-refundable'), true)).toEqual({
      kind: 'non_refundable',
    });
    expect(refundProblem(error('refused', 'Order W1 is already in refund (STATUS_REFUND_REQUESTED).'), true)).toEqual({
      kind: 'refused',
    });
    expect(refundProblem(error('upstream', 'Too many requests to WAUG (code 111).'), true)).toEqual({
      kind: 'rate_limited',
    });
    expect(refundProblem(error('upstream', 'WAUG answered with an error'), true)).toEqual({ kind: 'other' });
  });

  it('tells an unreachable WAUG from an outcome that may have happened', () => {
    expect(refundProblem(error('network'), true)).toEqual({ kind: 'network' });
    expect(refundProblem(error('timeout'), true)).toEqual({ kind: 'unconfirmed' });
    expect(refundProblem(error('unconfirmed'), true)).toEqual({ kind: 'unconfirmed' });
    expect(refundProblem(error('not_configured'), true)).toEqual({ kind: 'not_configured' });
    expect(refundProblem(error('busy'), true)).toEqual({ kind: 'busy' });
    expect(refundProblem(error('internal'), true)).toEqual({ kind: 'other' });
  });

  it('re-reads the order after a refusal or an unconfirmed outcome, not after a PIN problem', () => {
    expect(refundProblemRereads({ kind: 'non_refundable' })).toBe(true);
    expect(refundProblemRereads({ kind: 'refused' })).toBe(true);
    expect(refundProblemRereads({ kind: 'unconfirmed' })).toBe(true);
    expect(refundProblemRereads({ kind: 'wrong_pin', triesLeft: 2 })).toBe(false);
    expect(refundProblemRereads({ kind: 'network' })).toBe(false);
  });
});

describe('refundFormProblems', () => {
  it('wants a reason and a 4–12 digit PIN', () => {
    expect(refundFormProblems('Trip cancelled', '1234')).toEqual({ reason: false, pin: false });
    expect(refundFormProblems('   ', '1234')).toEqual({ reason: true, pin: false });
    expect(refundFormProblems('x'.repeat(501), '1234').reason).toBe(true);
    expect(refundFormProblems('ok', '123').pin).toBe(true);
    expect(refundFormProblems('ok', '1234567890123').pin).toBe(true);
    expect(refundFormProblems('ok', '12a4').pin).toBe(true);
  });
});
