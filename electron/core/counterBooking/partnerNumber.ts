/**
 * The partnerOrderNumber of a counter booking: the WAUG idempotency key (one number, at most one
 * order). The desk makes its own as "VDB" + the Asia/Seoul day (yyMMdd) + 10 characters of the
 * serial alphabet (about 49 random bits): never all digits, so it can never be taken for a Yahoo
 * orderItemId, which is the partner number of the bookings made for Yahoo sales (issue 5).
 */
import { randomInt } from 'node:crypto';
import { DateTime } from 'luxon';
import { OUR_SERIAL_ALPHABET } from '../../../shared/domain/serial.js';
import { WAUG_TIME_ZONE } from '../waug/constants.js';

export const DESK_PARTNER_PREFIX = 'VDB';
export const DESK_PARTNER_RANDOM_LENGTH = 10;
/** The longest partner number the desk accepts (a `book --file` may bring its own). */
export const PARTNER_ORDER_NUMBER_MAX = 40;

/** `randomIndex(n)`: a uniform integer in [0, n) from a cryptographic source. */
export function newPartnerOrderNumber(nowMs: number, randomIndex: (n: number) => number = randomInt): string {
  let random = '';
  for (let i = 0; i < DESK_PARTNER_RANDOM_LENGTH; i++)
    random += OUR_SERIAL_ALPHABET[randomIndex(OUR_SERIAL_ALPHABET.length)] as string;
  return `${DESK_PARTNER_PREFIX}${DateTime.fromMillis(nowMs, { zone: WAUG_TIME_ZONE }).toFormat('yyMMdd')}${random}`;
}

/** Why a partner number brought from outside (a booking file) cannot be used; null when it can. */
export function partnerNumberProblem(text: string): string | null {
  if (text === '') return 'partnerOrderNumber is empty';
  if (text.length > PARTNER_ORDER_NUMBER_MAX)
    return `partnerOrderNumber is longer than ${PARTNER_ORDER_NUMBER_MAX} characters`;
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(text))
    return 'partnerOrderNumber may hold only letters, digits, "-" and "_", starting with a letter or digit';
  if (/^\d+$/.test(text))
    return 'partnerOrderNumber is all digits, like a Yahoo orderItemId: those numbers belong to the bookings of Yahoo sales; add a letter (e.g. a prefix)';
  return null;
}
