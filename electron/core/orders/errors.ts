/** How WAUG's failures reach the clerk: one DeskError code per WaugError kind, with a clear sentence. */
import { DeskError, type ErrorCode } from '../../../shared/errors.js';
import { WaugError, type WaugErrorKind } from '../waug/api.js';

const CODE_BY_KIND: Record<WaugErrorKind, ErrorCode> = {
  network: 'network',
  timeout: 'timeout',
  malformed: 'malformed',
  too_large: 'too_large',
  upstream: 'upstream',
  unknown_code: 'upstream',
  invalid_request: 'bad_input', // 100
  invalid_authentication: 'auth', // 101
  invalid_parameter: 'bad_input', // 102
  not_found: 'not_found', // 103
  insufficient_balance: 'refused', // 104
  product_modified: 'refused', // 105
  invalid_order: 'bad_input', // 106
  non_refundable: 'refused', // 107
  upstream_timeout: 'timeout', // 108
  price_mismatch: 'refused', // 109
  upload_too_large: 'too_large', // 110
  rate_limited: 'upstream', // 111
};

const PHRASE_BY_KIND: Record<WaugErrorKind, string> = {
  network: 'WAUG could not be reached',
  timeout: 'WAUG did not answer in time',
  malformed: 'WAUG answered with something this desk cannot read',
  too_large: 'WAUG’s answer was too large',
  upstream: 'WAUG answered with an error',
  unknown_code: 'WAUG answered with a code this desk does not know',
  invalid_request: 'WAUG rejected the request as invalid',
  invalid_authentication:
    'WAUG refused this desk’s credentials (check the WAUG client id and client secret in Settings)',
  invalid_parameter: 'WAUG rejected a parameter of the request',
  not_found: 'WAUG has no such order',
  insufficient_balance: 'The prepaid WAUG balance is too low',
  product_modified: 'The WAUG product has changed',
  invalid_order: 'WAUG rejected the order information',
  non_refundable: 'WAUG refused the refund: the order contains a non-refundable product',
  upstream_timeout: 'WAUG timed out while handling the request',
  price_mismatch: 'The WAUG price has changed',
  upload_too_large: 'The request was too large for WAUG',
  rate_limited: 'Too many requests to WAUG just now (wait a few seconds)',
};

/** Kinds after which a view may answer from the cache instead: WAUG is out of reach or failing. */
export const WAUG_CACHE_FALLBACK_KINDS: ReadonlySet<WaugErrorKind> = new Set([
  'network',
  'timeout',
  'upstream',
  'upstream_timeout',
  'rate_limited',
  'malformed',
]);

/** Kinds that say WAUG is out of reach (for the reachability judge). */
export const WAUG_UNREACHABLE_KINDS: ReadonlySet<WaugErrorKind> = new Set(['network', 'timeout']);

export function isWaugError(error: unknown): error is WaugError {
  return (
    error instanceof WaugError ||
    (error instanceof Error && error.name === 'WaugError' && 'kind' in error && 'details' in error)
  );
}

export function waugDeskCode(kind: WaugErrorKind): ErrorCode {
  return CODE_BY_KIND[kind];
}

export function waugPhrase(kind: WaugErrorKind): string {
  return PHRASE_BY_KIND[kind];
}

/** A DeskError for a failed WAUG call; `what` completes the sentence, e.g. "Nothing was refunded." */
export function deskErrorFromWaug(error: WaugError, what: string): DeskError {
  const code = error.details.responseCode === undefined ? '' : ` (code ${error.details.responseCode})`;
  return new DeskError(CODE_BY_KIND[error.kind], `${PHRASE_BY_KIND[error.kind]}${code}. ${what}`.trim(), {
    cause: error,
  });
}

/** Short text for the audit and logs: kind, status and code, never a body. */
export function describeWaugFailure(error: unknown): string {
  if (isWaugError(error)) {
    const status = error.details.httpStatus === undefined ? '' : ` http ${error.details.httpStatus}`;
    const code = error.details.responseCode === undefined ? '' : ` code ${error.details.responseCode}`;
    return `waug ${error.kind}${status}${code}`.slice(0, 200);
  }
  if (error instanceof DeskError) return `${error.code}`;
  if (error instanceof Error) return error.name.slice(0, 200);
  return 'unknown failure';
}

export function waugNotConfigured(): DeskError {
  return new DeskError(
    'not_configured',
    'WAUG is not set up on this desk: enter the WAUG environment, client id and client secret in Settings.',
  );
}
