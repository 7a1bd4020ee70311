/**
 * Error codes that may cross the IPC boundary. Each one has a message in the catalog
 * (shared/i18n) and, for the command line, an exit code (electron/cli/exitCodes.ts).
 */
export const ERROR_CODES = [
  'bad_input', // the request itself is wrong: a mistyped serial, a missing field
  'not_found', // nothing matches (Yahoo 11001, or a miss in the cache while offline)
  'network', // Yahoo could not be reached (refused, reset before sending, DNS)
  'timeout', // Yahoo did not answer in time
  'auth', // Yahoo refused our signature, key or clock (401)
  'upstream', // Yahoo answered with an error we do not otherwise know (5xx, unknown code)
  'malformed', // Yahoo answered with something we cannot read (bad JSON, wrong shape)
  'too_large', // an answer or a request body over the size cap
  'not_configured', // credentials missing and no demo sandbox running
  'unconfirmed', // a redemption was sent but its outcome could not be confirmed yet
  'busy', // the same voucher is already being redeemed on this desk
  'forbidden', // the caller is not allowed (wrong origin, bad token, a wrong manager PIN)
  'refused', // the partner's rules refuse the request: a non-refundable WAUG order (107), already in refund
  'internal', // a bug: logged in main with a correlation id, never shown raw
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface WireError {
  code: ErrorCode;
  message: string;
}

/** What every IPC call answers. Raw exceptions never cross the boundary. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: WireError };

/** Thrown inside the core; the dispatcher turns it into `{ok:false,error}`. */
export class DeskError extends Error {
  override readonly name = 'DeskError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
