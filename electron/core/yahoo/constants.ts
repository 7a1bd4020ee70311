/**
 * Yahoo stauth2 facts and this project's decisions about them (API-NOTES §1), kept in one place
 * so the client and the sandbox cannot drift apart.
 */

/** [seed] Endpoint paths, relative to the API host. */
export const YAHOO_PATHS = Object.freeze({
  queryVouchers: '/stauth2/v1/vouchers',
  redeem: '/stauth2/v1/vouchers/redeem',
});

/** [seed] Yahoo error codes the client understands. */
export const YAHOO_CODES = Object.freeze({
  /** HTTP 404 on query: nothing matched. An empty page, not an error. */
  noVouchersFound: 11001,
  /** HTTP 400 on redeem: the whole batch failed, reason not given. */
  redeemFailed: 12001,
});

/** [decision] Yahoo (and the sandbox) refuse a TimeStamp further than this from their clock. */
export const YAHOO_MAX_CLOCK_SKEW_MS = 300_000;

/**
 * [decision] A 401 is retried once, with the clock offset from its Date header, only when that
 * header shows our offset was wrong by more than this. Smaller changes cannot explain a 401.
 */
export const YAHOO_CLOCK_RETRY_THRESHOLD_MS = 60_000;

/** [decision] Query filters in the fixed order they are appended after TimeStamp and ApiKey. */
export const YAHOO_QUERY_FILTER_ORDER = [
  'voucherId',
  'serialNumber',
  'orderId',
  'orderItemId',
  'productId',
  'specId',
  'createdTimeStart',
  'createdTimeEnd',
  'expiredTimeStart',
  'expiredTimeEnd',
  'sort',
  'status',
] as const;

/** [decision] The sandbox (and, we assume, Yahoo) answers at most this many vouchers per query. */
export const YAHOO_QUERY_PAGE_LIMIT = 500;
