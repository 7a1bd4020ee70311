/**
 * Authenticating Yahoo's calls to the merchant (API-NOTES §1 "Authenticating Yahoo's calls"):
 * [decision] the same scheme as our calls to Yahoo, mirrored from the Yahoo sandbox's check.
 *  - the query carries TimeStamp (Unix seconds) and ApiKey; the ApiKey must be ours;
 *  - TimeStamp within YAHOO_MAX_CLOCK_SKEW_MS (300 s) of our clock, either way;
 *  - X-STOREAUTH-SIG = HMAC(shared secret, request target as received + raw body), compared in
 *    constant time (verifyYahooSignature).
 * Any failure is a 401 in Yahoo's shape; which check failed is in the code, nothing else.
 */
import { timingSafeEqual } from 'node:crypto';
import { YAHOO_MAX_CLOCK_SKEW_MS } from '../yahoo/constants.js';
import {
  signatureData,
  verifyYahooSignature,
  YAHOO_SIGNATURE_HEADER,
  type YahooSigningOptions,
} from '../yahoo/sign.js';
import type { MerchantErrorName } from './constants.js';
import type { RouteRequest } from './routes.js';

export interface MerchantCredentials {
  apiKey: string;
  sharedSecret: string;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  // Lengths are not secret (ours is fixed); the bytes are compared in constant time.
  return x.length === y.length && timingSafeEqual(x, y);
}

function header(request: RouteRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? undefined : value;
}

/** Null when the call is Yahoo's; otherwise the refusal to answer. */
export function verifyYahooCall(
  request: RouteRequest,
  credentials: MerchantCredentials | null,
  options: { now: Date; signing?: Partial<YahooSigningOptions> },
): MerchantErrorName | null {
  if (credentials === null) return 'notConfigured';
  const apiKey = request.url.searchParams.getAll('ApiKey');
  if (apiKey.length !== 1 || !safeEqual(apiKey[0]!, credentials.apiKey)) return 'badApiKey';
  const stamps = request.url.searchParams.getAll('TimeStamp');
  if (stamps.length !== 1 || !/^\d{1,12}$/.test(stamps[0]!)) return 'staleTimeStamp';
  const skewMs = Math.abs(options.now.getTime() - Number(stamps[0]) * 1000);
  if (skewMs > YAHOO_MAX_CLOCK_SKEW_MS) return 'staleTimeStamp';
  const data = signatureData(request.requestTarget, request.body);
  const signature = header(request, YAHOO_SIGNATURE_HEADER);
  if (!verifyYahooSignature(data, credentials.sharedSecret, signature, options.signing)) return 'badSignature';
  return null;
}
