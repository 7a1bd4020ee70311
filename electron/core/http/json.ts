/**
 * Lossless JSON for partner APIs whose ids may exceed 2^53 (Yahoo's voucherId, WAUG's integer
 * ids): every number stays a LosslessNumber (its exact source text) and the schemas decide what
 * each one becomes. JSON.parse would silently turn 18446744073709551615 into 18446744073709552000.
 */
import { isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';

export { isLosslessNumber, LosslessNumber };

export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
}

/** Parses a UTF-8 body. Throws JsonSyntaxError (never quoting the body) when it is not JSON. */
export function parseLosslessJson(body: Buffer | string): unknown {
  let text: string;
  try {
    text = typeof body === 'string' ? body : new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new JsonSyntaxError('not valid UTF-8');
  }
  try {
    return parse(text, null, (value: string) => new LosslessNumber(value));
  } catch {
    throw new JsonSyntaxError('not valid JSON');
  }
}

/** Serialises with LosslessNumbers written out digit for digit. */
export function stringifyLosslessJson(value: unknown): string {
  const text = stringify(value);
  if (text === undefined) throw new TypeError('stringifyLosslessJson: value is not serialisable');
  return text;
}
