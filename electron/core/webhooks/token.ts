/**
 * [decision] How the merchant knows a webhook comes from WAUG: nothing in WAUG's docs says, so
 * the merchant registers its webhook URL with WAUG carrying a shared secret token, e.g.
 *   https://merchant.example/v1/waug/webhooks?token=<token>
 * (a URL is all a partner's webhook settings usually take); the header X-Webhook-Token is
 * accepted too. The token is random (256 bits), made on first use and kept in the settings
 * store; both are compared in constant time. Anything else is refused with 401.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SettingsStore } from '../config/settings.js';

export const WAUG_WEBHOOK_TOKEN_KEY = 'waugWebhookToken';
export const WAUG_WEBHOOK_TOKEN_HEADER = 'x-webhook-token';
export const WAUG_WEBHOOK_TOKEN_PARAM = 'token';

const TOKEN = /^[A-Za-z0-9_-]{32,128}$/;

/** The token, created (and saved) when there is none yet. */
export function webhookToken(store: SettingsStore): string {
  const stored = store.get(WAUG_WEBHOOK_TOKEN_KEY);
  if (typeof stored === 'string' && TOKEN.test(stored)) return stored;
  const token = randomBytes(32).toString('base64url');
  store.set(WAUG_WEBHOOK_TOKEN_KEY, token);
  return token;
}

/** Constant time whatever the lengths: both sides are hashed first. */
export function tokenMatches(given: string | null | undefined, expected: string | null): boolean {
  if (typeof given !== 'string' || given.length === 0 || expected === null || expected.length === 0) return false;
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}
