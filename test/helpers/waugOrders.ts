/** WaugOrder values for unit tests, in the client's normalised form (api.ts). */
import type { WaugOrder, WaugOrderGoods } from '../../electron/core/waug/api.js';

export function makeGoods(overrides: Partial<WaugOrderGoods> = {}): WaugOrderGoods {
  return {
    orderGoodsId: '3100001',
    goodsId: '107439',
    goodsName: '淡水 藍色公路船票 Tamsui Blue Highway Ferry',
    status: 'STATUS_PAID',
    useDate: '2025-06-10',
    options: [
      {
        goodsOptionId: '501',
        goodsOptionName: '票種 Ticket',
        goodsOptionItemId: '9001',
        goodsOptionItemName: 'Adult',
        goodsOptionTimeslotId: null,
        quantity: 2,
        price: '280',
      },
    ],
    refundable: true,
    totalPrice: '560',
    voucher: { state: 'not_issued', voucherNumber: null, voucherUrl: null, issuedAt: null },
    updatedAt: '2025-06-01T01:00:00.000Z',
    ...overrides,
  };
}

export function makeOrder(overrides: Partial<WaugOrder> = {}, goods: WaugOrderGoods[] = [makeGoods()]): WaugOrder {
  return {
    orderNumber: 'WG2506010000001',
    partnerOrderNumber: 'YS2506010000001',
    orderStatus: 'STATUS_PAID',
    orderedAt: '2025-06-01T01:00:00.000Z',
    currency: 'TWD',
    totalPrice: goods.reduce((sum, g) => sum + Number(g.totalPrice), 0).toString(),
    orderGoods: goods,
    ...overrides,
  };
}
