/**
 * Signing of calls to Yahoo's stauth2 API (API-NOTES §1 "Signing the calls to Yahoo").
 *
 * Signed data = the request target exactly as sent (path + '?' + query string) immediately
 * followed by the raw body bytes, no separator; a GET has no body. The HMAC key is the
 * Shared Secret's UTF-8 bytes as given (not base64-decoded).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type YahooSigningAlgorithm = 'sha1' | 'sha256';
export type YahooSigningEncoding = 'hex' | 'base64';

export interface YahooSigningOptions {
  algorithm: YahooSigningAlgorithm;
  encoding: YahooSigningEncoding;
}

/**
 * [evidence + decision] HMAC-SHA1, lowercase hex: how Yahoo's older /stauth/ API on the same host
 * signs. The one place to change if a merchant's full vendor documentation says otherwise.
 */
export const YAHOO_SIGNING_DEFAULTS: Readonly<YahooSigningOptions> = Object.freeze({
  algorithm: 'sha1',
  encoding: 'hex',
});

/** [seed] The header that carries the signature. */
export const YAHOO_SIGNATURE_HEADER = 'X-STOREAUTH-SIG';

export function resolveSigningOptions(options?: Partial<YahooSigningOptions>): YahooSigningOptions {
  return {
    algorithm: options?.algorithm ?? YAHOO_SIGNING_DEFAULTS.algorithm,
    encoding: options?.encoding ?? YAHOO_SIGNING_DEFAULTS.encoding,
  };
}

/** The bytes to sign: request target (path?query, as sent) then the body bytes, nothing between. */
export function signatureData(requestTarget: string, body: Buffer | null): Buffer {
  const target = Buffer.from(requestTarget, 'utf8');
  if (body === null || body.length === 0) return target;
  return Buffer.concat([target, body]);
}

export function signYahoo(data: Buffer | string, secret: string, options?: Partial<YahooSigningOptions>): string {
  const { algorithm, encoding } = resolveSigningOptions(options);
  return createHmac(algorithm, Buffer.from(secret, 'utf8'))
    .update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    .digest(encoding);
}

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function decodeSignature(signature: string, encoding: YahooSigningEncoding): Buffer | null {
  const text = signature.trim();
  if (encoding === 'hex') {
    if (text.length % 2 !== 0 || !HEX.test(text)) return null;
    return Buffer.from(text, 'hex');
  }
  if (text.length % 4 !== 0 || !BASE64.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  // Only the canonical form: otherwise the unused low bits of the last character would let
  // several different strings (a one-bit change among them) verify as the same signature.
  return bytes.toString('base64') === text ? bytes : null;
}

/**
 * Checks a received signature in constant time (over the digest bytes). Hex is accepted in
 * either case; anything that does not decode, or decodes to the wrong length, is refused.
 */
export function verifyYahooSignature(
  data: Buffer | string,
  secret: string,
  signature: string | undefined | null,
  options?: Partial<YahooSigningOptions>,
): boolean {
  if (typeof signature !== 'string' || signature.length === 0) return false;
  const resolved = resolveSigningOptions(options);
  const given = decodeSignature(signature, resolved.encoding);
  if (given === null) return false;
  const expected = createHmac(resolved.algorithm, Buffer.from(secret, 'utf8'))
    .update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    .digest();
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}
