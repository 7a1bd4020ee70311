/**
 * What the rest of the core needs from WAUG (API-NOTES §2). The real client (client.ts) and any
 * test double implement WaugApi; nothing else in the core knows about tokens, pacing, the
 * envelope or WAUG's JSON quirks.
 *
 * Normalised like the Yahoo side: every id is a string of digits (WAUG sends integers, some of
 * which may exceed 2^53), every price or total is a decimal string (never a float), every
 * instant is ISO-8601 UTC ("…T…Z"; WAUG sends PHP DateTimes in Asia/Seoul), and calendar days
 * (useDate, price dates) are "yyyy-MM-dd" as WAUG means them, in Asia/Seoul.
 */
import {
  WAUG_RESPONSE_CODES,
  type WaugCodeErrorKind,
  type WaugFailureCode,
  type WaugFieldType,
  type WaugInfoGroup,
} from './constants.js';

export {
  WAUG_ORDER_GOODS_STATUSES,
  WAUG_ORDER_STATUSES,
  WAUG_VOUCHER_STATES,
  type WaugOrderGoodsStatus,
  type WaugOrderStatus,
  type WaugVoucherState,
} from '../../../shared/domain/waug.js';
import type { WaugOrderGoodsStatus, WaugOrderStatus, WaugVoucherState } from '../../../shared/domain/waug.js';

export interface WaugVoucherIssuance {
  state: WaugVoucherState;
  /** The activity voucher's number, once issued. */
  voucherNumber: string | null;
  voucherUrl: string | null;
  /** ISO-8601 UTC. */
  issuedAt: string | null;
}

export interface WaugOrderedOption {
  goodsOptionId: string;
  goodsOptionName: string | null;
  goodsOptionItemId: string;
  goodsOptionItemName: string | null;
  goodsOptionTimeslotId: string | null;
  quantity: number;
  /** Unit price, decimal string. */
  price: string;
}

export interface WaugOrderGoods {
  orderGoodsId: string;
  goodsId: string;
  goodsName: string;
  status: WaugOrderGoodsStatus;
  /** yyyy-MM-dd, Asia/Seoul. */
  useDate: string;
  options: WaugOrderedOption[];
  /** [seed] When false, a refund request for the whole order is refused with 107. */
  refundable: boolean;
  /** Decimal string. */
  totalPrice: string;
  voucher: WaugVoucherIssuance;
  /** ISO-8601 UTC: when `status` last changed (newest-wins against ORDER_UPDATE webhooks). */
  updatedAt: string;
}

export interface WaugOrder {
  orderNumber: string;
  /** The merchant's own number; for Yahoo-fulfilled orders the Yahoo orderItemId. */
  partnerOrderNumber: string | null;
  orderStatus: WaugOrderStatus;
  /** ISO-8601 UTC. */
  orderedAt: string;
  currency: string;
  /** Decimal strings. */
  totalPrice: string;
  orderGoods: WaugOrderGoods[];
}

export interface WaugGoodsSummary {
  goodsId: string;
  goodsName: string;
  city: string | null;
  countryCode: string | null;
  currency: string;
  refundable: boolean;
  /** ISO-8601 UTC. */
  updatedAt: string | null;
}

export interface WaugOptionItem {
  goodsOptionItemId: string;
  goodsOptionItemName: string;
}

export interface WaugTimeslot {
  goodsOptionTimeslotId: string;
  /** HH:mm, local to the activity. */
  time: string;
}

export interface WaugGoodsOption {
  goodsOptionId: string;
  goodsOptionName: string;
  items: WaugOptionItem[];
  timeslots: WaugTimeslot[];
}

export interface WaugGoods extends WaugGoodsSummary {
  description: string | null;
  /** [seed, changelog 2021-04-09] Free text, e.g. "09:00-18:00". */
  availableTime: string | null;
  /** [seed, changelog 2021-12-22] Notice to the buyer. */
  notification: string | null;
  /** True when WAUG issues the voucher at once; otherwise "after a certain amount of time". */
  instantConfirmation: boolean;
  options: WaugGoodsOption[];
}

/** One orderable (date, option item) and its unit price. A date without a price is not orderable. */
export interface WaugPrice {
  /** yyyy-MM-dd, Asia/Seoul. */
  date: string;
  goodsOptionId: string;
  goodsOptionItemId: string;
  /** Decimal string. */
  price: string;
  currency: string;
}

export interface WaugOrderInfoField {
  fieldId: string;
  fieldName: string;
  fieldExplain: string | null;
  fieldPlaceholder: string | null;
  fieldType: WaugFieldType;
  /** The choices of radio/select/checkbox fields; empty for the others. */
  choices: string[];
  required: boolean;
}

export interface WaugOrderInfoGroup {
  groupCategory: WaugInfoGroup;
  fields: WaugOrderInfoField[];
}

export interface WaugComment {
  commentId: string;
  /** 1–5. */
  rating: number;
  content: string;
  nickname: string | null;
  /** ISO-8601 UTC. */
  createdAt: string | null;
}

export interface WaugPage<T> {
  /** The envelope's count: how many there are in all. */
  count: number;
  items: T[];
}

export interface WaugOrderInfoValue {
  fieldId: string;
  values: string[];
}

export interface WaugOrderOptionRequest {
  goodsOptionId: string;
  goodsOptionItemId: string;
  goodsOptionTimeslotId?: string;
  quantity: number;
  /** The unit price the operator saw, decimal string; WAUG answers 109 if it differs. */
  price: string;
}

export interface WaugOrderGoodsRequest {
  goodsId: string;
  /** yyyy-MM-dd, Asia/Seoul. */
  useDate: string;
  additionalInput?: string;
  orderOptions: WaugOrderOptionRequest[];
  /** GOODS: one value; EACH: one value per unit ordered. */
  orderInfos: (WaugOrderInfoValue & { groupCategory: 'GOODS' | 'EACH' })[];
}

export interface WaugOrderRequest {
  /** [decision] The merchant's own number and the idempotency key: one number, at most one order. */
  partnerOrderNumber: string;
  locale: string;
  orderGoods: WaugOrderGoodsRequest[];
  orderInfos: (WaugOrderInfoValue & { groupCategory: 'ORDER' })[];
}

export interface WaugOrderValidation {
  orderable: true;
  /** Decimal string. */
  totalPrice: string;
  currency: string;
}

export interface WaugDateRange {
  /** yyyy-MM-dd, Asia/Seoul, inclusive. */
  startDate: string;
  /** yyyy-MM-dd, Asia/Seoul, inclusive. */
  endDate: string;
}

export interface WaugCallOptions {
  signal?: AbortSignal;
  /** Overrides the client's default per-exchange timeout. */
  timeoutMs?: number;
  /**
   * Bulk work no clerk waits for (the daily catalog sync): paced in the background lane, which
   * uses only part of the rate limit and yields to every other call (waug/rateLimit.ts).
   */
  background?: boolean;
}

export interface WaugApi {
  listGoods(query?: { page?: number; size?: number }, options?: WaugCallOptions): Promise<WaugPage<WaugGoodsSummary>>;
  /** Throws WaugError 'not_found' (103) for an unknown goods. */
  getGoods(goodsId: string, options?: WaugCallOptions): Promise<WaugGoods>;
  /** Orderable dates and option items with their prices; dates missing from the answer are not orderable. */
  getGoodsPrices(goodsId: string, range: WaugDateRange, options?: WaugCallOptions): Promise<WaugPrice[]>;
  getGoodsOrderInfos(goodsId: string, options?: WaugCallOptions): Promise<WaugOrderInfoGroup[]>;
  getGoodsComments(
    goodsId: string,
    query?: { page?: number; size?: number },
    options?: WaugCallOptions,
  ): Promise<WaugPage<WaugComment>>;
  /** Resolves when orderable; otherwise throws the reason (104, 105, 106, 109 …). */
  validateOrder(request: WaugOrderRequest, options?: WaugCallOptions): Promise<WaugOrderValidation>;
  /**
   * Not rate-limited [seed]. Idempotent by partnerOrderNumber [decision]: the same number answers
   * the existing order. After an ambiguous failure (mayHaveApplied), ask getOrderByPartnerNumber.
   */
  createOrder(request: WaugOrderRequest, options?: WaugCallOptions): Promise<WaugOrder>;
  /** Orders placed on the given Asia/Seoul days. */
  listOrders(range: WaugDateRange, options?: WaugCallOptions): Promise<WaugOrder[]>;
  /** A miss (103) is null, not an error. */
  getOrder(orderNumber: string, options?: WaugCallOptions): Promise<WaugOrder | null>;
  /** A miss (103) is null: most vouchers have no WAUG order. */
  getOrderByPartnerNumber(partnerOrderNumber: string, options?: WaugCallOptions): Promise<WaugOrder | null>;
  /**
   * Moves the order to refund-requested. 107 when any goods is not refundable. WAUG sends no
   * webhook for it [seed]; the answer is the order as re-read after the request.
   */
  requestRefund(orderNumber: string, reason?: string, options?: WaugCallOptions): Promise<WaugOrder>;
}

export type WaugErrorKind =
  | 'network' // could not connect, or the connection broke
  | 'timeout' // no complete answer in time
  | 'malformed' // not JSON, not the envelope, or data of the wrong shape
  | 'too_large' // the answer exceeded the response size cap
  | 'upstream' // an HTTP error status without a WAUG envelope (a gateway, a crash)
  | 'unknown_code' // an envelope with a responseCode not in the table
  | WaugCodeErrorKind; // one per responseCode 100–111

export interface WaugErrorDetails {
  /** True when the request may have reached WAUG and been applied (a POST cut after sending). */
  mayHaveApplied: boolean;
  httpStatus?: number;
  responseCode?: string;
  /**
   * The envelope's own `message` of a failure code (e.g. which order-input field a 106 is about),
   * for the clerk's screen. It may echo a value the clerk typed, so the logger redacts it.
   */
  upstreamMessage?: string;
  cause?: unknown;
}

export class WaugError extends Error {
  override readonly name = 'WaugError';
  constructor(
    readonly kind: WaugErrorKind,
    message: string,
    readonly details: WaugErrorDetails,
  ) {
    super(message, { cause: details.cause });
  }
}

/** The error for a failure responseCode: its kind and its table message, naming the operation. */
export function waugCodeError(
  operation: string,
  code: WaugFailureCode,
  details: Omit<WaugErrorDetails, 'responseCode'>,
): WaugError {
  const row = WAUG_RESPONSE_CODES[code];
  return new WaugError(row.kind, `WAUG ${operation}: ${row.message} (code ${code})`, {
    ...details,
    responseCode: code,
  });
}
