/**
 * Whether a refund may be requested for an order, and why not; and what a failed request
 * means to the manager. Pure, so every reason and error path is tested in Node.
 *
 * API-NOTES §2 "Refund request": WAUG refuses (107) when any goods is not refundable, and an
 * order already in refund cannot be refunded again. The core says so in `order.refundable`;
 * the reasons here only explain a `false` in words.
 */
import type { OrderView } from '../../../shared/contract.js';
import type { WaugOrderStatus } from '../../../shared/domain/waug.js';
import type { WireError } from '../../../shared/errors.js';
import { isGoodsInRefund, isOrderInRefund } from './waugStatus.js';

export type RefundBlock =
  | { kind: 'unconfigured' }
  | { kind: 'not_paid' }
  | { kind: 'in_refund'; status: WaugOrderStatus }
  | { kind: 'goods_in_refund'; goods: string[] }
  | { kind: 'non_refundable_goods'; goods: string[] }
  | { kind: 'unknown' };

export type RefundAvailability =
  | { kind: 'available' }
  /** Refundable, but no manager PIN is set, so no one could confirm it. */
  | { kind: 'needs_pin' }
  | { kind: 'blocked'; reasons: RefundBlock[] };

export interface RefundContext {
  /** null while the settings have not been read yet: treated as set, the core checks anyway. */
  hasManagerPin: boolean | null;
  waugConfigured: boolean;
}

type OrderForRefund = Pick<OrderView, 'orderStatus' | 'refundable'> & {
  goods: readonly Pick<OrderView['goods'][number], 'goodsName' | 'status' | 'refundable'>[];
};

export function refundBlocks(order: OrderForRefund): RefundBlock[] {
  const reasons: RefundBlock[] = [];
  if (isOrderInRefund(order.orderStatus)) reasons.push({ kind: 'in_refund', status: order.orderStatus });
  else {
    const inRefund = order.goods.filter((goods) => isGoodsInRefund(goods.status)).map((goods) => goods.goodsName);
    if (inRefund.length > 0) reasons.push({ kind: 'goods_in_refund', goods: inRefund });
  }
  const nonRefundable = order.goods.filter((goods) => !goods.refundable).map((goods) => goods.goodsName);
  if (nonRefundable.length > 0) reasons.push({ kind: 'non_refundable_goods', goods: nonRefundable });
  if (order.orderStatus === 'STATUS_WAIT') reasons.push({ kind: 'not_paid' });
  return reasons;
}

export function refundAvailability(order: OrderForRefund, context: RefundContext): RefundAvailability {
  if (!context.waugConfigured) return { kind: 'blocked', reasons: [{ kind: 'unconfigured' }] };
  if (!order.refundable) {
    const reasons = refundBlocks(order);
    return { kind: 'blocked', reasons: reasons.length > 0 ? reasons : [{ kind: 'unknown' }] };
  }
  if (context.hasManagerPin === false) return { kind: 'needs_pin' };
  return { kind: 'available' };
}

export type RefundProblem =
  | { kind: 'wrong_pin'; triesLeft: number | null }
  | { kind: 'locked'; seconds: number | null }
  | { kind: 'no_pin' }
  | { kind: 'non_refundable' }
  /** Refused by the order's own state (already in refund, not paid…), before or by WAUG. */
  | { kind: 'refused' }
  | { kind: 'busy' }
  | { kind: 'rate_limited' }
  | { kind: 'unconfirmed' }
  | { kind: 'network' }
  | { kind: 'not_configured' }
  | { kind: 'other' };

/** The WAUG responseCode quoted in a core error message ("… (code 107)"), if any. */
export function waugCodeIn(message: string): string | null {
  return /\(code (\d{3})\)/.exec(message)?.[1] ?? null;
}

const numberIn = (pattern: RegExp, message: string): number | null => {
  const found = pattern.exec(message)?.[1];
  return found === undefined ? null : Number(found);
};

/**
 * A failed refund request in the manager's terms. WireError carries only a code and a message,
 * so the details the core puts in its sentence (the WAUG code, tries left, a lockout) are read
 * from it when present; without them the words are still right, only less precise.
 */
export function refundProblem(error: WireError, hasManagerPin: boolean | null): RefundProblem {
  const code = waugCodeIn(error.message);
  if (code === '107') return { kind: 'non_refundable' };
  if (code === '111') return { kind: 'rate_limited' };
  switch (error.code) {
    case 'forbidden': {
      if (/too many wrong/i.test(error.message))
        return { kind: 'locked', seconds: numberIn(/try again in (\d+)\s*s/i, error.message) };
      if (hasManagerPin === false || /none is set/i.test(error.message)) return { kind: 'no_pin' };
      return { kind: 'wrong_pin', triesLeft: numberIn(/(\d+) tr(?:y|ies) left/i, error.message) };
    }
    case 'refused':
      return /non-refundable/i.test(error.message) ? { kind: 'non_refundable' } : { kind: 'refused' };
    case 'busy':
      return { kind: 'busy' };
    case 'timeout':
    case 'unconfirmed':
      // The request may have reached WAUG: re-read the order before asking again.
      return { kind: 'unconfirmed' };
    case 'network':
      return { kind: 'network' };
    case 'not_configured':
      return { kind: 'not_configured' };
    default:
      return { kind: 'other' };
  }
}

/** After these the order on screen may be stale: WAUG's answer says more than the copy shown. */
export function refundProblemRereads(problem: RefundProblem): boolean {
  return problem.kind === 'non_refundable' || problem.kind === 'refused' || problem.kind === 'unconfirmed';
}

/** The PIN box: digits only, as the contract's managerPin rule wants. */
export const PIN_PATTERN = /^\d{4,12}$/;

export interface RefundFormProblems {
  reason: boolean;
  pin: boolean;
}

export function refundFormProblems(reason: string, pin: string): RefundFormProblems {
  return { reason: reason.trim() === '' || reason.trim().length > 500, pin: !PIN_PATTERN.test(pin) };
}
