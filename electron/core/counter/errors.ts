/** How Yahoo's failures reach the clerk: one DeskError code per YahooError kind. */
import { DeskError, type ErrorCode } from '../../../shared/errors.js';
import { normaliseSerial } from '../../../shared/domain/serial.js';
import { YahooError, type YahooErrorKind } from '../yahoo/api.js';

const CODE_BY_KIND: Record<YahooErrorKind, ErrorCode> = {
  network: 'network',
  timeout: 'timeout',
  auth: 'auth',
  redeem_failed: 'upstream',
  upstream: 'upstream',
  malformed: 'malformed',
  too_large: 'too_large',
};

const PHRASE_BY_KIND: Record<YahooErrorKind, string> = {
  network: 'Yahoo could not be reached',
  timeout: 'Yahoo did not answer in time',
  auth: 'Yahoo refused this desk’s credentials (check the API key, shared secret and the computer’s clock)',
  redeem_failed: 'Yahoo refused the redemption',
  upstream: 'Yahoo answered with an error',
  malformed: 'Yahoo answered with something this desk cannot read',
  too_large: 'Yahoo’s answer was too large',
};

/** Kinds after which a lookup may answer from the cache instead. */
export const CACHE_FALLBACK_KINDS: ReadonlySet<YahooErrorKind> = new Set(['network', 'timeout', 'upstream']);

export function isYahooError(error: unknown): error is YahooError {
  return (
    error instanceof YahooError ||
    (error instanceof Error && error.name === 'YahooError' && 'kind' in error && 'details' in error)
  );
}

export function deskCodeFor(kind: YahooErrorKind): ErrorCode {
  return CODE_BY_KIND[kind];
}

export function yahooPhrase(kind: YahooErrorKind): string {
  return PHRASE_BY_KIND[kind];
}

/** A DeskError for a failed Yahoo call; `what` completes the sentence, e.g. "Nothing was redeemed." */
export function deskErrorFromYahoo(error: YahooError, what: string): DeskError {
  return new DeskError(CODE_BY_KIND[error.kind], `${PHRASE_BY_KIND[error.kind]}. ${what}`, { cause: error });
}

/** Short text for last_error and the audit log: the kind and status, never a body. */
export function describeFailure(error: unknown): string {
  if (isYahooError(error)) {
    const status = error.details.httpStatus === undefined ? '' : ` http ${error.details.httpStatus}`;
    const code = error.details.yahooCode === undefined ? '' : ` code ${error.details.yahooCode}`;
    return `yahoo ${error.kind}${status}${code}`.slice(0, 200);
  }
  if (error instanceof Error) return `${error.name}`.slice(0, 200);
  return 'unknown failure';
}

const SERIAL_PROBLEMS = {
  empty: 'Enter or scan a serial number.',
  too_long: 'That serial number is too long: Yahoo serial numbers have at most 20 characters.',
  bad_characters: 'A serial number has only letters and digits. Check what was typed or scanned.',
  bad_check: 'This serial number has a typo: its last character does not match. Check what was typed or scanned.',
} as const;

export function serialOrThrow(input: string): string {
  const check = normaliseSerial(input);
  if (!check.ok) throw new DeskError('bad_input', SERIAL_PROBLEMS[check.problem]);
  return check.serial;
}

export function notConfigured(): DeskError {
  return new DeskError(
    'not_configured',
    'Yahoo is not set up on this desk yet: enter the API base URL, API key and shared secret in Settings.',
  );
}
