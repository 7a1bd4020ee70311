/**
 * Schemas for Yahoo's bodies, applied to the output of parseLosslessJson (numbers are LosslessNumbers).
 * They validate AND normalise to the shared types (API-NOTES §1 "Traps in the data"):
 *  - voucherId, number or string → string of digits, digit for digit;
 *  - price → decimal string as sent (never a float);
 *  - statusAppliedTime and the other times, Unix seconds or ISO-8601 → ISO-8601 UTC ("…T…:…:….000Z");
 *  - a missing (or null, or empty-string) optional field → null;
 *  - an unknown status → the whole body is malformed.
 * Unknown extra fields are dropped.
 *
 * zod 4 note: a key may be absent only if its schema is optional *before* the transform, hence
 * `z.unknown().optional().transform(…)` for the nullable fields.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { VOUCHER_STATUSES, type Voucher } from '../../../shared/domain/voucher.js';
import type { RedeemedVoucher, VoucherPage } from './api.js';
import { isLosslessNumber } from '../http/json.js';

const DIGITS = /^\d{1,40}$/;
const DECIMAL = /^\d+(\.\d+)?$/;
/** ISO-8601 date-time that names its offset; a bare local time would be ambiguous. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
/** Unix seconds we accept: 1970 … 5138. A millisecond value would be out of range, and refused. */
const MAX_UNIX_SECONDS = 99_999_999_999;

function numberText(value: unknown): string | null {
  if (isLosslessNumber(value)) return value.value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function fail(ctx: z.core.$RefinementCtx, input: unknown, message: string): never {
  ctx.issues.push({ code: 'custom', message, input });
  return z.NEVER as never;
}

/** voucherId: a JSON number (query) or a string (notifications) → string of digits. */
export const voucherIdSchema = z.unknown().transform((value, ctx): string => {
  const text = typeof value === 'string' ? value.trim() : numberText(value);
  if (text === null || !DIGITS.test(text)) return fail(ctx, undefined, 'voucherId must be digits');
  if (typeof value === 'number' && !Number.isSafeInteger(value))
    return fail(ctx, undefined, 'voucherId lost precision');
  return text;
});

/** productId, specId, orderId …: strings, tolerated as integer numbers. */
const idText = z.unknown().transform((value, ctx): string => {
  if (typeof value === 'string' && value.length > 0) return value;
  const text = numberText(value);
  if (text !== null && DIGITS.test(text)) return text;
  return fail(ctx, undefined, 'expected an id string');
});

const nullableIdText = z
  .unknown()
  .optional()
  .transform((value, ctx): string | null => {
    if (value === undefined || value === null || value === '') return null;
    if (typeof value === 'string') return value;
    const text = numberText(value);
    if (text !== null && DIGITS.test(text)) return text;
    return fail(ctx, undefined, 'expected an id string or null');
  });

/** price: JSON number or numeric string → decimal string exactly as sent ("200", "199.5"). */
export const priceSchema = z.unknown().transform((value, ctx): string => {
  const text = typeof value === 'string' ? value.trim() : numberText(value);
  if (text === null || !DECIMAL.test(text)) return fail(ctx, undefined, 'price must be a non-negative decimal');
  return text;
});

const nullableText = z
  .unknown()
  .optional()
  .transform((value, ctx): string | null => {
    if (value === undefined || value === null) return null;
    if (typeof value === 'string') return value === '' ? null : value;
    return fail(ctx, undefined, 'expected a string or null');
  });

const requiredText = z.string();

/** ISO-8601 with an offset, or Unix seconds → ISO-8601 UTC with milliseconds. */
export function normaliseYahooTime(value: unknown): string | null | undefined {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') {
    const text = value.trim();
    if (/^\d+$/.test(text)) return unixSecondsToIso(text);
    if (!ISO_WITH_ZONE.test(text)) return undefined;
    const time = DateTime.fromISO(text, { setZone: true });
    return time.isValid ? time.toUTC().toJSDate().toISOString() : undefined;
  }
  const text = numberText(value);
  if (text === null || !/^\d+$/.test(text)) return undefined;
  return unixSecondsToIso(text);
}

function unixSecondsToIso(digits: string): string | undefined {
  const seconds = Number(digits);
  if (!Number.isSafeInteger(seconds) || seconds > MAX_UNIX_SECONDS) return undefined;
  return new Date(seconds * 1000).toISOString();
}

export const nullableTimeSchema = z
  .unknown()
  .optional()
  .transform((value, ctx): string | null => {
    const iso = normaliseYahooTime(value);
    if (iso === undefined) return fail(ctx, undefined, 'expected ISO-8601 with offset, Unix seconds, or null');
    return iso;
  });

export const statusSchema = z.enum(VOUCHER_STATUSES);

const buyerDetailsSchema = z
  .union([z.object({ name: nullableText, phone: nullableText }), z.null()])
  .optional()
  .transform((value) => value ?? { name: null, phone: null });

/** One voucher of a query response, normalised to the shared Voucher. */
export const yahooVoucherSchema = z.object({
  voucherId: voucherIdSchema,
  productId: idText,
  specId: idText,
  price: priceSchema,
  serialNumber: requiredText.min(1),
  orderId: idText,
  orderItemId: nullableIdText,
  title: requiredText,
  redemptionDesc: nullableText,
  buyerDetails: buyerDetailsSchema,
  executedBy: nullableText,
  status: statusSchema,
  refundType: nullableText,
  redemptionType: nullableText,
  statusAppliedTime: nullableTimeSchema,
  deliveredTime: nullableTimeSchema,
  expireTime: nullableTimeSchema,
  startTime: nullableTimeSchema,
});

const totalSchema = z.unknown().transform((value, ctx): number => {
  const text = numberText(value);
  const total = text !== null && /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(total)) return fail(ctx, undefined, 'total must be a non-negative integer');
  return total;
});

/** GET /stauth2/v1/vouchers → VoucherPage. */
export const yahooQueryResponseSchema = z.object({
  total: totalSchema,
  vouchers: z.array(yahooVoucherSchema),
});

/** One entry of a redeem success (statusAppliedTime is Unix seconds there). */
export const yahooRedeemedVoucherSchema = z.object({
  orderId: idText,
  orderItemId: nullableIdText,
  status: statusSchema,
  storeId: nullableText,
  statusAppliedTime: nullableTimeSchema,
});

/** POST /stauth2/v1/vouchers/redeem, HTTP 200. */
export const yahooRedeemResponseSchema = z.object({
  vouchers: z.array(yahooRedeemedVoucherSchema),
});

const errorCodeSchema = z.unknown().transform((value, ctx): number => {
  const text = typeof value === 'string' ? value.trim() : numberText(value);
  const code = text !== null && /^-?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(code)) return fail(ctx, undefined, 'error.code must be an integer');
  return code;
});

/** Yahoo's error shape: {"error":{"code":N,"message":"…"}}. */
export const yahooErrorBodySchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    message: nullableText,
  }),
});

/** One entry of Yahoo's status-changed notification (voucherId is a string there). */
export const yahooNotificationVoucherSchema = z.object({
  storeId: nullableText,
  voucherId: voucherIdSchema,
  orderId: idText,
  orderItemId: nullableIdText,
  status: statusSchema,
  statusAppliedTime: nullableTimeSchema,
  executedBy: nullableText,
});

export const yahooNotificationSchema = z.object({
  vouchers: z.array(yahooNotificationVoucherSchema),
});

export type YahooNotificationVoucher = z.output<typeof yahooNotificationVoucherSchema>;
export type YahooErrorBody = z.output<typeof yahooErrorBodySchema>;

// The schemas must produce exactly the shared types; these lines fail to compile if they drift.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const voucherShapeMatches: Equal<z.output<typeof yahooVoucherSchema>, Voucher> = true;
const pageShapeMatches: Equal<z.output<typeof yahooQueryResponseSchema>, VoucherPage> = true;
const redeemedShapeMatches: Equal<z.output<typeof yahooRedeemedVoucherSchema>, RedeemedVoucher> = true;
void [voucherShapeMatches, pageShapeMatches, redeemedShapeMatches];

/** Where a body failed its schema: paths and messages only, never the values (they hold personal data). */
export function describeSchemaIssues(error: z.ZodError, limit = 3): string {
  return error.issues
    .slice(0, limit)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
