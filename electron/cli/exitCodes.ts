import type { ErrorCode } from '../../shared/errors.js';

/** The command line's exit codes, as documented in the README. */
export const EXIT = {
  ok: 0,
  failure: 1,
  badInput: 2,
  notFound: 3,
  refused: 4,
  /** `book`: a price changed since the file was written; nothing was booked. */
  priceChanged: 5,
  /** `book`: sent, but WAUG's answer was lost; running the same file again is safe. */
  unconfirmed: 6,
} as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'bad_input':
      return EXIT.badInput;
    case 'not_found':
      return EXIT.notFound;
    case 'busy':
    case 'refused':
      return EXIT.refused;
    default:
      return EXIT.failure;
  }
}
