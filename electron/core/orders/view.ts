/** What the renderer sees of a cached order: names of goods and options, statuses, the timeline. */
import type { OrderGoodsView, OrderSummary, OrderView } from '../../../shared/contract.js';
import type { CachedOrder, CachedOrderOption, OrderSummaryRow } from '../db/orders.js';
import { isRefundable } from './refundable.js';

/** "Adult × 2"; the option's name when the item has none. */
export function optionLabel(option: CachedOrderOption): string {
  const name = option.item ?? option.option ?? 'Option';
  return `${name} × ${option.quantity}`;
}

export function toOrderView(order: CachedOrder): OrderView {
  const goods = order.goods.map((g): OrderGoodsView => ({
    orderGoodsId: g.orderGoodsId,
    goodsId: g.goodsId,
    goodsName: g.goodsName,
    status: g.status,
    useDate: g.useDate,
    options: g.options.map(optionLabel),
    refundable: g.refundable,
    totalPrice: g.totalPrice,
    voucher: { ...g.voucher },
    updatedAt: g.updatedAt,
    history: g.history.map((h) => ({ ...h })),
  }));
  return {
    orderNumber: order.orderNumber,
    partnerOrderNumber: order.partnerOrderNumber,
    orderStatus: order.orderStatus,
    orderedAt: order.orderedAt,
    currency: order.currency,
    totalPrice: order.totalPrice,
    goods,
    refundable: isRefundable(order),
  };
}

export function toOrderSummary(row: OrderSummaryRow): OrderSummary {
  return { ...row };
}
