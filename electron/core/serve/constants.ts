/**
 * The merchant endpoints Yahoo calls (API-NOTES §1 "Yahoo → merchant endpoints"), and every
 * refusal they answer, in one place: the server, the tests and the Yahoo sandbox (which plays
 * Yahoo calling us) import these, so they cannot drift apart.
 */

/** [seed] Paths on the merchant's host. */
export const MERCHANT_PATHS = Object.freeze({
  /** Issue serial numbers; also cancel, with CANCEL_DISCRIMINATOR's query parameter. */
  serialNumbers: '/v1/vouchers/serialNumbers',
  /** Cancel, by path (CANCEL_DISCRIMINATOR.path). */
  cancelSerialNumbers: '/v1/vouchers/serialNumbers/cancel',
  notification: '/v1/vouchers/notification',
});

/**
 * [decision] The seed shows cancel on the same method and path as issue, with the query string
 * elided. A request is a cancel when its query has `action=cancel`, or when its path is
 * `/v1/vouchers/serialNumbers/cancel`. This constant is the only place that says so.
 */
export const CANCEL_DISCRIMINATOR = Object.freeze({
  queryParameter: 'action',
  queryValue: 'cancel',
  path: MERCHANT_PATHS.cancelSerialNumbers,
});

/** True for a cancel request (either form of CANCEL_DISCRIMINATOR). */
export function isCancelRequest(url: URL): boolean {
  return (
    url.pathname === CANCEL_DISCRIMINATOR.path ||
    url.searchParams.get(CANCEL_DISCRIMINATOR.queryParameter) === CANCEL_DISCRIMINATOR.queryValue
  );
}

/** [decision] Request bodies above this are refused with 413 (a 1 000-item issue is ~80 KiB). */
export const MERCHANT_MAX_BODY_BYTES = 256 * 1024;

/** [decision] At most this many order items (issue, cancel) or vouchers (notification) per call. */
export const MERCHANT_MAX_ITEMS = 1000;

/**
 * [decision] Every refusal of the merchant endpoints, in Yahoo's error shape
 * {"error":{"code":N,"message":"…"}}. Yahoo's own codes are 11xxx/12xxx; ours are 2xxxx so the
 * two can never be confused in a log. The message never echoes the request.
 */
export const MERCHANT_ERRORS = Object.freeze({
  malformedJson: { status: 400, code: 20001, message: 'Malformed JSON.' },
  invalidBody: { status: 400, code: 20002, message: 'Invalid request body.' },
  badApiKey: { status: 401, code: 20101, message: 'Unknown ApiKey.' },
  staleTimeStamp: { status: 401, code: 20102, message: 'TimeStamp missing or too far from our clock.' },
  badSignature: { status: 401, code: 20103, message: 'Bad signature.' },
  notFound: { status: 404, code: 20401, message: 'No such endpoint.' },
  unknownOrderItem: { status: 404, code: 20402, message: 'Order items not issued here.' },
  methodNotAllowed: { status: 405, code: 20501, message: 'Method not allowed.' },
  serialUsed: { status: 409, code: 20901, message: 'Serial number already used; nothing was cancelled.' },
  bodyTooLarge: { status: 413, code: 21301, message: 'Request body too large.' },
  unsupportedMediaType: { status: 415, code: 21501, message: 'Body must be JSON.' },
  internal: { status: 500, code: 25001, message: 'Internal error.' },
  notConfigured: { status: 503, code: 25301, message: 'Merchant credentials are not configured.' },
} satisfies Record<string, { status: number; code: number; message: string }>);

export type MerchantErrorName = keyof typeof MERCHANT_ERRORS;
