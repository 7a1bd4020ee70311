import { describe, expect, it } from 'vitest';
import type { LookupResult, VoucherView } from '../../../shared/contract.js';
import type { VoucherStatus } from '../../../shared/domain/voucher.js';
import { describeLiveChange, ordersToRefresh, voucherChangeConcernsCard, type OrderViewsShown } from './live.js';

type Found = Extract<LookupResult, { kind: 'found' }>;

function voucher(overrides: Partial<VoucherView> = {}): VoucherView {
  return {
    voucherId: 'V-1',
    serialNumber: 'YV7K3MQP9X2A',
    orderId: 'YM1',
    orderItemId: 'OI-1',
    productId: 'P1',
    specId: 'S1',
    title: 'Ticket',
    redemptionDesc: null,
    price: '500',
    buyerName: null,
    buyerPhoneMasked: null,
    status: 'UNUSED',
    statusAppliedTime: null,
    executedBy: null,
    startTime: null,
    expireTime: null,
    deliveredTime: null,
    ...overrides,
  };
}

function found(status: VoucherStatus, redeemable: boolean): Found {
  return {
    kind: 'found',
    voucher: voucher({ status }),
    verdict: redeemable ? { redeemable: true } : { redeemable: false, reason: 'cancelled' },
    source: 'cache',
    fetchedAt: '2025-01-05T07:20:00.000Z',
    localRedemption: null,
  };
}

describe('voucherChanged: does it concern the card?', () => {
  const card = found('UNUSED', true);

  it('matches the serial on the card, in its normal form', () => {
    expect(
      voucherChangeConcernsCard(card, { serialNumber: 'YV7K3MQP9X2A', voucherId: null, status: 'CANCELLED' }),
    ).toBe(true);
    expect(
      voucherChangeConcernsCard(card, { serialNumber: 'yv7k-3mqp-9x2a', voucherId: null, status: 'CANCELLED' }),
    ).toBe(true);
  });

  it('matches by voucher id too', () => {
    expect(voucherChangeConcernsCard(card, { serialNumber: 'OTHER', voucherId: 'V-1', status: 'USED' })).toBe(true);
  });

  it('ignores other vouchers, and an empty counter', () => {
    expect(voucherChangeConcernsCard(card, { serialNumber: 'ZZZ999', voucherId: 'V-2', status: 'USED' })).toBe(false);
    expect(voucherChangeConcernsCard(null, { serialNumber: 'YV7K3MQP9X2A', voucherId: null, status: 'USED' })).toBe(
      false,
    );
  });
});

describe('describeLiveChange', () => {
  it('says loudly when a redeemable voucher can no longer be redeemed', () => {
    expect(describeLiveChange(found('UNUSED', true), found('CANCELLED', false))).toEqual({
      serialNumber: 'YV7K3MQP9X2A',
      from: 'UNUSED',
      to: 'CANCELLED',
      lostRedeemable: true,
    });
  });

  it('reports a status change that does not take redeemability away', () => {
    expect(describeLiveChange(found('CANCELLED', false), found('REFUNDED', false))).toMatchObject({
      lostRedeemable: false,
      to: 'REFUNDED',
    });
  });

  it('says nothing for a duplicate or stale push', () => {
    expect(describeLiveChange(found('UNUSED', true), found('UNUSED', true))).toBeNull();
  });
});

describe('orderChanged: which views re-read', () => {
  const rows = new Set(['W-1', 'W-2']);
  const shown = (overrides: Partial<OrderViewsShown> = {}): OrderViewsShown => ({
    linked: { partnerOrderNumber: 'OI-1', orderNumber: 'W-1' },
    detailOrderNumber: null,
    list: { visible: false, has: (n) => rows.has(n) },
    bookingsVisible: false,
    ...overrides,
  });

  it('refreshes the counter panel that shows the order', () => {
    expect(ordersToRefresh('W-1', shown())).toEqual({ linked: true, detail: false, list: false, bookings: false });
    expect(ordersToRefresh('W-9', shown()).linked).toBe(false);
  });

  it('refreshes a panel that found no order yet: a booking may just have made it', () => {
    expect(ordersToRefresh('W-9', shown({ linked: { partnerOrderNumber: 'OI-1', orderNumber: null } })).linked).toBe(
      true,
    );
    expect(ordersToRefresh('W-9', shown({ linked: { partnerOrderNumber: null, orderNumber: null } })).linked).toBe(
      false,
    );
  });

  it('refreshes the open order detail only for its own order', () => {
    expect(ordersToRefresh('W-2', shown({ detailOrderNumber: 'W-2' })).detail).toBe(true);
    expect(ordersToRefresh('W-1', shown({ detailOrderNumber: 'W-2' })).detail).toBe(false);
  });

  it('refreshes the orders list only when it is on screen and shows that order', () => {
    const visible = { visible: true, has: (n: string) => rows.has(n) };
    expect(ordersToRefresh('W-2', shown({ list: visible })).list).toBe(true);
    expect(ordersToRefresh('W-7', shown({ list: visible })).list).toBe(false);
    expect(ordersToRefresh('W-2', shown()).list).toBe(false);
  });

  it('refreshes the bookings tab when it is on screen', () => {
    expect(ordersToRefresh('W-7', shown({ bookingsVisible: true })).bookings).toBe(true);
  });
});
