/**
 * [decision] How the merchant knows a webhook comes from WAUG: nothing in WAUG's docs says, so
 * the merchant registers its webhook URL with WAUG carrying a shared secret token, e.g.
 *   https://merchant.example/v1/waug/webhooks?token=<token>
 * (a URL is all a partner's webhook settings usually take); the header X-Webhook-Token is
 * accepted too. The token is random (256 bits), made on first use and kept like every secret
 * (config/deskSettings.ts: encrypted at rest, or in memory only); compared in constant time. Anything else is refused with 401.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const WAUG_WEBHOOK_TOKEN_HEADER = 'x-webhook-token';
export const WAUG_WEBHOOK_TOKEN_PARAM = 'token';

const TOKEN = /^[A-Za-z0-9_-]{32,128}$/;

export function isWebhookToken(value: string): boolean {
  return TOKEN.test(value);
}

/** 256 random bits, URL-safe. Stored by the settings service like any other secret. */
export function newWebhookToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant time whatever the lengths: both sides are hashed first. */
export function tokenMatches(given: string | null | undefined, expected: string | null): boolean {
  if (typeof given !== 'string' || given.length === 0 || expected === null || expected.length === 0) return false;
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}
