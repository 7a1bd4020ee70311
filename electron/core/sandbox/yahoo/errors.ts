/**
 * [decision] The sandbox's error answers, all in Yahoo's shape {"error":{"code":N,"message":"…"}}.
 * Only 11001 and 12001 come from the seed; Yahoo's codes for auth, size and parameter errors are
 * undocumented, so these are ours. Clients must decide by HTTP status (401 → auth) and only
 * rely on 11001/12001 as codes.
 */
import { YAHOO_CODES } from '../../yahoo/constants.js';

export const SANDBOX_ERRORS = Object.freeze({
  badApiKey: { status: 401, code: 10001, message: 'Invalid ApiKey.' },
  badTimeStamp: { status: 401, code: 10002, message: 'TimeStamp missing or more than 300 seconds from server time.' },
  badSignature: { status: 401, code: 10003, message: 'Invalid signature.' },
  notFound: { status: 404, code: 10004, message: 'Resource not found.' },
  methodNotAllowed: { status: 405, code: 10005, message: 'Method not allowed.' },
  badRequest: { status: 400, code: 10010, message: 'Invalid request.' },
  tooLarge: { status: 413, code: 10013, message: 'Request body too large.' },
  adminForbidden: { status: 403, code: 10403, message: 'Sandbox admin header missing or wrong.' },
  internal: { status: 500, code: 10500, message: 'Internal server error.' },
  unavailable: { status: 503, code: 10503, message: 'Service temporarily unavailable.' },
  noVouchers: { status: 404, code: YAHOO_CODES.noVouchersFound, message: 'No Vouchers are found.' }, // [seed]
  redeemFailed: { status: 400, code: YAHOO_CODES.redeemFailed, message: 'Redeem Failed.' }, // [seed]
});

export type SandboxErrorName = keyof typeof SANDBOX_ERRORS;
