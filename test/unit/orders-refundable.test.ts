/** The one refund rule (orders/refundable.ts) and the order view built on it. */
import { describe, expect, it } from 'vitest';
import type { WaugOrderGoodsStatus, WaugOrderStatus } from '../../shared/domain/waug.js';
import { describeRefusal, isRefundable, refundRefusal } from '../../electron/core/orders/refundable.js';
import { optionLabel, toOrderView } from '../../electron/core/orders/view.js';
import { createTestStore } from '../helpers/db.js';
import { makeGoods, makeOrder } from '../helpers/waugOrders.js';

const order = (
  orderStatus: WaugOrderStatus,
  goods: { status?: WaugOrderGoodsStatus; refundable?: boolean; goodsName?: string }[],
) => ({
  orderStatus,
  goods: goods.map((g, i) => ({
    goodsName: g.goodsName ?? `Goods ${i + 1}`,
    status: g.status ?? 'STATUS_CONFIRMED',
    refundable: g.refundable ?? true,
  })),
});

describe('refund rule', () => {
  it('allows a paid order whose goods are all refundable and not in refund', () => {
    expect(
      refundRefusal(order('STATUS_PAID', [{}, { status: 'STATUS_PAID' }, { status: 'STATUS_IN_PROGRESS' }])),
    ).toBeNull();
  });

  it('refuses when any goods is non-refundable, naming it', () => {
    const refusal = refundRefusal(order('STATUS_PAID', [{}, { refundable: false, goodsName: 'Taiwan 4G SIM' }]));
    expect(refusal).toEqual({ why: 'non_refundable_goods', goodsNames: ['Taiwan 4G SIM'] });
    expect(describeRefusal('WG1', refusal!)).toMatch(/Taiwan 4G SIM is non-refundable.*Nothing was sent to WAUG/);
  });

  it.each<[WaugOrderStatus, WaugOrderGoodsStatus, string]>([
    ['STATUS_REFUND_REQUESTED', 'STATUS_REFUND_REQUESTED', 'in_refund'],
    ['STATUS_PARTIAL_REFUND_REQUESTED', 'STATUS_CONFIRMED', 'in_refund'],
    ['STATUS_REFUND_COMPLETED', 'STATUS_REFUND_COMPLETED', 'in_refund'],
    ['STATUS_PARTIAL_REFUND_COMPLETED', 'STATUS_CONFIRMED', 'in_refund'],
    ['STATUS_PAID', 'STATUS_REFUND_REQUESTED', 'in_refund'],
    ['STATUS_PAID', 'STATUS_CANCEL', 'in_refund'],
    ['STATUS_WAIT', 'STATUS_WAIT', 'not_paid'],
  ])('refuses an order %s with goods %s (%s)', (orderStatus, goodsStatus, why) => {
    expect(refundRefusal(order(orderStatus, [{ status: goodsStatus }]))?.why).toBe(why);
  });

  it('is what OrderView.refundable says, from the cache', () => {
    const store = createTestStore();
    try {
      store.orders.upsert(makeOrder(), '2025-06-01T02:00:00.000Z');
      store.orders.upsert(
        makeOrder({ orderNumber: 'WG2', partnerOrderNumber: null }, [
          makeGoods({ orderGoodsId: 'a' }),
          makeGoods({ orderGoodsId: 'b', refundable: false }),
        ]),
        '2025-06-01T02:00:00.000Z',
      );
      const yes = toOrderView(store.orders.get('WG2506010000001')!);
      const no = toOrderView(store.orders.get('WG2')!);
      expect(yes.refundable).toBe(true);
      expect(no.refundable).toBe(false);
      expect(isRefundable(store.orders.get('WG2')!)).toBe(false);
      expect(yes.goods[0]?.options).toEqual(['Adult × 2']);
      expect(yes.goods[0]?.history).toEqual([{ status: 'STATUS_PAID', at: '2025-06-01T01:00:00.000Z' }]);
    } finally {
      store.close();
    }
  });

  it('labels an option by its item, else its option name', () => {
    expect(optionLabel({ option: 'Ticket', item: null, quantity: 3 })).toBe('Ticket × 3');
    expect(optionLabel({ option: null, item: null, quantity: 1 })).toBe('Option × 1');
  });
});
