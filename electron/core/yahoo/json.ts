/**
 * Yahoo's JSON is parsed losslessly: voucherId can be 18446744073709551615 (2^64−1), which
 * JSON.parse silently turns into 18446744073709552000. Every number stays a LosslessNumber
 * (its exact source text); the schemas decide what each one becomes.
 */
import { isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';

export { isLosslessNumber, LosslessNumber };

export class YahooJsonSyntaxError extends Error {
  override readonly name = 'YahooJsonSyntaxError';
}

/** Parses a UTF-8 body. Throws YahooJsonSyntaxError (without quoting the body) when it is not JSON. */
export function parseYahooJson(body: Buffer | string): unknown {
  let text: string;
  try {
    text = typeof body === 'string' ? body : new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new YahooJsonSyntaxError('not valid UTF-8');
  }
  try {
    return parse(text, null, (value: string) => new LosslessNumber(value));
  } catch {
    throw new YahooJsonSyntaxError('not valid JSON');
  }
}

/** Serialises with LosslessNumbers written out digit for digit (used by the sandbox and fixtures). */
export function stringifyYahooJson(value: unknown): string {
  const text = stringify(value);
  if (text === undefined) throw new TypeError('stringifyYahooJson: value is not serialisable');
  return text;
}
