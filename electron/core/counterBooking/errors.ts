/** WAUG's failures as the counter booking sees them: refusals are outcomes for the clerk, the rest are errors. */
import { DeskError } from '../../../shared/errors.js';
import { deskErrorFromWaug, isWaugError } from '../orders/errors.js';
import type { WaugError } from '../waug/api.js';

/** WAUG said no to the order (104, 105, 109, 106): the clerk can act on it and book again. */
export type Refusal = 'insufficient_balance' | 'product_modified' | 'price_mismatch' | 'invalid_order';
const REFUSALS: ReadonlySet<string> = new Set<Refusal>([
  'insufficient_balance',
  'product_modified',
  'price_mismatch',
  'invalid_order',
]);
export const isRefusal = (error: WaugError): error is WaugError & { kind: Refusal } => REFUSALS.has(error.kind);

/** WAUG's failure as the clerk's error; `what` says what did (not) happen. */
export function bookingDeskError(error: unknown, what: string): unknown {
  if (isWaugError(error)) {
    if (error.kind === 'not_found')
      return new DeskError('not_found', `WAUG no longer has this goods or option (code 103). ${what}`, {
        cause: error,
      });
    return deskErrorFromWaug(error, what);
  }
  return error;
}
