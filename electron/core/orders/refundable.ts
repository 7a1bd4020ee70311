/**
 * The one refund rule of this desk (issue 4): OrderView.refundable, the renderer's "offer a
 * refund" and requestRefund's local refusal all come from here.
 *
 * A refund may be requested when the order is paid and not already in any refund, and every
 * ordered goods is refundable [seed: otherwise WAUG answers 107] and neither cancelled nor in a
 * refund of its own.
 */
import type { WaugOrderGoodsStatus, WaugOrderStatus } from '../../../shared/domain/waug.js';

export interface RefundRuleInput {
  orderStatus: WaugOrderStatus;
  goods: readonly { goodsName: string; status: WaugOrderGoodsStatus; refundable: boolean }[];
}

export type RefundRefusal =
  | { why: 'non_refundable_goods'; goodsNames: string[] }
  | { why: 'in_refund'; status: WaugOrderStatus | WaugOrderGoodsStatus }
  | { why: 'not_paid'; status: WaugOrderStatus }
  | { why: 'no_goods' };

const GOODS_BLOCKING: ReadonlySet<WaugOrderGoodsStatus> = new Set([
  'STATUS_CANCEL',
  'STATUS_REFUND_REQUESTED',
  'STATUS_REFUND_COMPLETED',
  'STATUS_PARTIAL_REFUND_COMPLETED',
]);

/** Null when a refund may be requested; otherwise why not. */
export function refundRefusal(order: RefundRuleInput): RefundRefusal | null {
  const nonRefundable = order.goods.filter((g) => !g.refundable).map((g) => g.goodsName);
  if (nonRefundable.length > 0) return { why: 'non_refundable_goods', goodsNames: nonRefundable };
  if (order.orderStatus === 'STATUS_WAIT') return { why: 'not_paid', status: order.orderStatus };
  if (order.orderStatus !== 'STATUS_PAID') return { why: 'in_refund', status: order.orderStatus };
  const blocked = order.goods.find((g) => GOODS_BLOCKING.has(g.status));
  if (blocked) return { why: 'in_refund', status: blocked.status };
  if (order.goods.length === 0) return { why: 'no_goods' };
  return null;
}

export function isRefundable(order: RefundRuleInput): boolean {
  return refundRefusal(order) === null;
}

/** The sentence the manager reads when the desk refuses a refund itself. */
export function describeRefusal(orderNumber: string, refusal: RefundRefusal): string {
  switch (refusal.why) {
    case 'non_refundable_goods':
      return `Order ${orderNumber} cannot be refunded: ${refusal.goodsNames.join(', ')} ${
        refusal.goodsNames.length === 1 ? 'is' : 'are'
      } non-refundable, so WAUG would refuse the whole order. Nothing was sent to WAUG.`;
    case 'in_refund':
      return `Order ${orderNumber} is already in refund (${refusal.status}). Nothing was sent to WAUG.`;
    case 'not_paid':
      return `Order ${orderNumber} is not paid (${refusal.status}), so there is nothing to refund. Nothing was sent to WAUG.`;
    case 'no_goods':
      return `Order ${orderNumber} has no goods to refund. Nothing was sent to WAUG.`;
  }
}
