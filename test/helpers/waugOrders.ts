/** WAUG values for tests (orders, goods, a cached goods), in the client's normalised form (api.ts). */
import type { GoodsWrite } from '../../electron/core/db/catalog.js';
import type { WaugGoods, WaugOrder, WaugOrderGoods } from '../../electron/core/waug/api.js';

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

/** A catalog goods: the given names and options; Taiwan and TWD, refundable, not instant, no texts unless overridden. */
export function makeWaugGoods(
  fields: Pick<WaugGoods, 'goodsId' | 'goodsName' | 'city'> & Partial<WaugGoods>,
): WaugGoods {
  return {
    countryCode: 'TW',
    currency: 'TWD',
    refundable: true,
    updatedAt: null,
    description: null,
    availableTime: null,
    notification: null,
    instantConfirmation: false,
    options: [],
    ...fields,
  };
}

/** A goods as cached by a sync of 2025-01-01 that WAUG does not list any more (for removal tests). */
export function retiredGoodsWrite(goodsId: string): GoodsWrite {
  return {
    goods: makeWaugGoods({ goodsId, goodsName: 'Retired tour', city: 'Nowhere' }),
    orderInfos: [],
    prices: [],
    range: { startDate: '2025-01-01', endDate: '2025-01-01' },
    comments: null,
    syncedAt: '2025-01-01T00:00:00.000Z',
  };
}
