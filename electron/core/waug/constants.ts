/**
 * WAUG PARTNER API v1 facts and this project's decisions about them (API-NOTES §2), kept in one
 * place so the client and the sandbox cannot drift apart. [seed] / [evidence] / [decision] as in
 * API-NOTES.
 */

/** [evidence] The hosts of the published docs. Settings: the seed warns BETA ≠ PRODUCTION. */
export const WAUG_ENVIRONMENTS = Object.freeze({
  BETA: 'https://beta-partner-api.waug.com',
  PRODUCTION: 'https://partner-api.waug.com',
});
export type WaugEnvironment = keyof typeof WAUG_ENVIRONMENTS;

export type WaugEndpointName =
  | 'token'
  | 'listGoods'
  | 'getGoods'
  | 'getGoodsPrices'
  | 'getGoodsOrderInfos'
  | 'getGoodsComments'
  | 'validateOrder'
  | 'createOrder'
  | 'listOrders'
  | 'getOrder'
  | 'getOrderByPartnerNumber'
  | 'requestRefund';

export interface WaugEndpoint {
  method: 'GET' | 'POST';
  /** Path template; `{name}` segments are filled (URI-encoded) by fillWaugPath. */
  path: string;
  /** [seed] Counts against 100 requests / 10 s. Only order creation is exempt. */
  rateLimited: boolean;
  /** Sent with `Authorization: Bearer`; only the token call uses HTTP Basic instead. */
  bearer: boolean;
}

/** The one table of endpoint paths (API-NOTES §2 "Endpoints"). */
export const WAUG_ENDPOINTS: Readonly<Record<WaugEndpointName, Readonly<WaugEndpoint>>> = Object.freeze({
  token: { method: 'POST', path: '/v1/token', rateLimited: true, bearer: false }, // seed
  listGoods: { method: 'GET', path: '/v1/goods', rateLimited: true, bearer: true }, // decision
  getGoods: { method: 'GET', path: '/v1/goods/{goodsId}', rateLimited: true, bearer: true }, // seed
  getGoodsPrices: { method: 'GET', path: '/v1/goods/{goodsId}/prices', rateLimited: true, bearer: true }, // decision
  getGoodsOrderInfos: { method: 'GET', path: '/v1/goods/{goodsId}/order-infos', rateLimited: true, bearer: true }, // decision
  getGoodsComments: { method: 'GET', path: '/v1/goods/{goodsId}/comments', rateLimited: true, bearer: true }, // seed
  validateOrder: { method: 'POST', path: '/v1/orders/validation', rateLimited: true, bearer: true }, // decision
  createOrder: { method: 'POST', path: '/v1/orders', rateLimited: false, bearer: true }, // seed: exempt
  listOrders: { method: 'GET', path: '/v1/orders', rateLimited: true, bearer: true }, // seed
  getOrder: { method: 'GET', path: '/v1/orders/{orderNumber}', rateLimited: true, bearer: true }, // seed
  getOrderByPartnerNumber: {
    method: 'GET',
    path: '/v1/orders-partner/{partnerOrderNumber}',
    rateLimited: true,
    bearer: true,
  }, // seed
  requestRefund: {
    method: 'POST',
    path: '/v2/orders/{orderNumber}/refund-request',
    rateLimited: true,
    bearer: true,
  }, // seed (v2); path is a decision
});

/** Fills `{name}` segments of a path template. Throws on a missing or empty parameter. */
export function fillWaugPath(template: string, params: Readonly<Record<string, string>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new RangeError(`WAUG path: ${name} is required`);
    return encodeURIComponent(value);
  });
}

export type WaugResponseCode =
  '000' | '100' | '101' | '102' | '103' | '104' | '105' | '106' | '107' | '108' | '109' | '110' | '111';

export const WAUG_SUCCESS_CODE = '000';

/** [seed] The failure codes, with the error kind and the operator-facing English message of each. */
export const WAUG_RESPONSE_CODES = Object.freeze({
  '100': {
    kind: 'invalid_request',
    meaning: 'Invalid request',
    message: 'WAUG rejected the request as invalid.',
  },
  '101': {
    kind: 'invalid_authentication',
    meaning: 'Invalid authentication',
    message: 'WAUG refused our authentication. Check the WAUG client id and client secret in the settings.',
  },
  '102': {
    kind: 'invalid_parameter',
    meaning: 'Invalid parameter',
    message: 'WAUG rejected a parameter of the request (an id, a date or a page size).',
  },
  '103': {
    kind: 'not_found',
    meaning: 'Data does not exist',
    message: 'WAUG has no such record.',
  },
  '104': {
    kind: 'insufficient_balance',
    meaning: 'There is not enough balance',
    message: 'The prepaid WAUG balance is too low for this order. Top up the balance with WAUG first.',
  },
  '105': {
    kind: 'product_modified',
    meaning: 'Product information is modified',
    message: 'The WAUG product has changed since it was last read. Reload the product and its prices before ordering.',
  },
  '106': {
    kind: 'invalid_order',
    meaning: 'Invalid order information',
    message: 'WAUG rejected the order information (a required field is missing or badly formatted).',
  },
  '107': {
    kind: 'non_refundable',
    meaning: 'This product is non-refundable',
    message: 'This order cannot be refunded: it contains a non-refundable product.',
  },
  '108': {
    kind: 'upstream_timeout',
    meaning: 'Response timed out',
    message: 'WAUG timed out while handling the request. Check the order before trying again.',
  },
  '109': {
    kind: 'price_mismatch',
    meaning: 'Price mismatch',
    message: 'The price has changed at WAUG. Reload the prices and confirm the new price before ordering.',
  },
  '110': {
    kind: 'upload_too_large',
    meaning: 'Exceeded upload file max size',
    message: 'The request was too large for WAUG.',
  },
  '111': {
    kind: 'rate_limited',
    meaning: 'Exceeded api request rate limit',
    message: 'Too many requests to WAUG in a short time. Wait a few seconds and try again.',
  },
} as const satisfies Record<Exclude<WaugResponseCode, '000'>, { kind: string; meaning: string; message: string }>);

export type WaugFailureCode = keyof typeof WAUG_RESPONSE_CODES;
export type WaugCodeErrorKind = (typeof WAUG_RESPONSE_CODES)[WaugFailureCode]['kind'];

export function isWaugFailureCode(code: string): code is WaugFailureCode {
  return Object.hasOwn(WAUG_RESPONSE_CODES, code);
}

/** [seed] The envelope's constant fields. */
export const WAUG_API_VERSION = 'v1';
export const WAUG_SERVICE_NAME = 'WAUG_PARTNER_API';

/** [seed] 100 requests per 10 s per client; past that, 111 until the 10 s block ends. */
export const WAUG_RATE_LIMIT = Object.freeze({ limit: 100, windowMs: 10_000 });

/**
 * [decision] The client paces itself to this many of WAUG_RATE_LIMIT.limit, keeping a few for
 * another device or process sharing the credentials, and never reaches 111 in normal use.
 */
export const WAUG_CLIENT_RATE_RESERVE = 5;

/** [seed] `updatedAt` and other times are PHP DateTimes; WAUG's own zone is Asia/Seoul. */
export { WAUG_TIME_ZONE } from '../../../shared/domain/waugFields.js';

/** [decision] `startDate`/`endDate` and `useDate` are calendar days, yyyy-MM-dd, in WAUG_TIME_ZONE. */
export const WAUG_DATE_FORMAT = 'yyyy-MM-dd';

/** [seed] /v1/goods/{goodsId}/comments: page size at most 100. */
export const WAUG_COMMENTS_MAX_PAGE_SIZE = 100;

// The field types, input groups and choice separator live with the shared field checker, which
// the renderer's booking form uses too.
export {
  WAUG_FIELD_OPTION_SEPARATOR,
  WAUG_FIELD_TYPES,
  WAUG_INFO_GROUPS,
  type WaugFieldType,
  type WaugInfoGroup,
} from '../../../shared/domain/waugFields.js';
