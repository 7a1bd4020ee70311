/**
 * Schemas for WAUG's bodies, applied to the output of parseLosslessJson (numbers are
 * LosslessNumbers). They validate AND normalise to the types of api.ts:
 *  - integer ids (goodsId, orderGoodsId …), number or string → string of digits, digit for digit;
 *  - prices and totals, number or string → canonical decimal string ("20580.0" → "20580");
 *  - PHP DateTimes → ISO-8601 UTC, read in their own zone (time.ts);
 *  - goodsOptionTimeslotId 0 (the seed's "none") → null;
 *  - an unknown status or field type → the whole body is malformed.
 * Unknown extra fields are dropped. Issues name paths, never values (orders hold personal data).
 */
import { z } from 'zod';
import { isLosslessNumber } from '../http/json.js';
import { WAUG_FIELD_OPTION_SEPARATOR, WAUG_FIELD_TYPES, WAUG_INFO_GROUPS, WAUG_SUCCESS_CODE } from './constants.js';
import {
  WAUG_ORDER_GOODS_STATUSES,
  WAUG_ORDER_STATUSES,
  type WaugComment,
  type WaugGoods,
  type WaugGoodsSummary,
  type WaugOrder,
  type WaugOrderGoods,
  type WaugOrderInfoGroup,
  type WaugOrderValidation,
  type WaugPrice,
  type WaugVoucherState,
} from './api.js';
import { isWaugDate, phpDateTimeToIso } from './time.js';

const DIGITS = /^\d{1,40}$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

function numberText(value: unknown): string | null {
  if (isLosslessNumber(value)) return value.value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function fail(ctx: z.core.$RefinementCtx, message: string): never {
  ctx.issues.push({ code: 'custom', message, input: undefined });
  return z.NEVER as never;
}

/** "20580.0" → "20580", "0.50" → "0.5", "007" → "7". Digits only, so never a float on the way. */
export function canonicalDecimal(text: string): string | null {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return null;
  const negative = trimmed.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? trimmed.slice(1) : trimmed).split('.');
  const intPart = whole.replace(/^0+(?=\d)/, '');
  const fracPart = fraction.replace(/0+$/, '');
  const body = fracPart === '' ? intPart : `${intPart}.${fracPart}`;
  return negative && body !== '0' ? `-${body}` : body;
}

/** Integer id: JSON number or digit string → digit string. */
export const waugIdSchema = z.unknown().transform((value, ctx): string => {
  const text = typeof value === 'string' ? value.trim() : numberText(value);
  if (text === null || !DIGITS.test(text)) return fail(ctx, 'expected an integer id');
  return text.replace(/^0+(?=\d)/, '');
});

/** A free-form id such as orderNumber: a non-empty string, tolerated as an integer number. */
const textIdSchema = z.unknown().transform((value, ctx): string => {
  if (typeof value === 'string' && value.trim().length > 0) return value.trim();
  const text = numberText(value);
  if (text !== null && DIGITS.test(text)) return text;
  return fail(ctx, 'expected an id');
});

const nullableTextIdSchema = z
  .unknown()
  .optional()
  .transform((value, ctx): string | null => {
    if (value === undefined || value === null || value === '') return null;
    if (typeof value === 'string') return value.trim();
    const text = numberText(value);
    if (text !== null && DIGITS.test(text)) return text;
    return fail(ctx, 'expected an id or null');
  });

export const decimalSchema = z.unknown().transform((value, ctx): string => {
  const text = typeof value === 'string' ? value : numberText(value);
  const decimal = text === null ? null : canonicalDecimal(text);
  if (decimal === null) return fail(ctx, 'expected a decimal number');
  return decimal;
});

const integerSchema = z.unknown().transform((value, ctx): number => {
  const text = typeof value === 'string' ? value.trim() : numberText(value);
  const n = text !== null && /^-?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) return fail(ctx, 'expected an integer');
  return n;
});

/** true/false, or PHP's 1/0. */
const flagSchema = z.unknown().transform((value, ctx): boolean => {
  if (typeof value === 'boolean') return value;
  const text = numberText(value);
  if (text === '1') return true;
  if (text === '0') return false;
  return fail(ctx, 'expected a boolean');
});

const nullableText = z
  .unknown()
  .optional()
  .transform((value, ctx): string | null => {
    if (value === undefined || value === null) return null;
    if (typeof value === 'string') return value === '' ? null : value;
    return fail(ctx, 'expected a string or null');
  });

const dateSchema = z.string().refine(isWaugDate, 'expected yyyy-MM-dd');

export const phpTimeSchema = z.unknown().transform((value, ctx): string => {
  const iso = phpDateTimeToIso(value);
  if (iso === undefined) return fail(ctx, 'expected a PHP DateTime {date, timezone_type, timezone}');
  return iso;
});

const nullablePhpTimeSchema = z
  .unknown()
  .optional()
  .transform((value, ctx): string | null => {
    if (value === undefined || value === null || value === '') return null;
    const iso = phpDateTimeToIso(value);
    if (iso === undefined) return fail(ctx, 'expected a PHP DateTime or null');
    return iso;
  });

/** goodsOptionTimeslotId: 0 or absent means "no timeslot" (the seed sends 0). */
const timeslotIdSchema = z
  .unknown()
  .optional()
  .transform((value, ctx): string | null => {
    if (value === undefined || value === null || value === '') return null;
    const text = typeof value === 'string' ? value.trim() : numberText(value);
    if (text === null || !DIGITS.test(text)) return fail(ctx, 'expected a timeslot id');
    return /^0+$/.test(text) ? null : text.replace(/^0+(?=\d)/, '');
  });

const responseCodeSchema = z.unknown().transform((value, ctx): string => {
  const text = typeof value === 'string' ? value.trim() : numberText(value);
  if (text === null || !/^\d{1,3}$/.test(text)) return fail(ctx, 'responseCode must be up to 3 digits');
  return text.padStart(3, '0');
});

/** [seed] The standard response format. `data` is checked per endpoint. */
export const waugEnvelopeSchema = z.object({
  responseCode: responseCodeSchema,
  message: nullableText,
  data: z.unknown().optional(),
  count: z
    .unknown()
    .optional()
    .transform((value): number | null => {
      const text = numberText(value);
      const n = text !== null && /^\d+$/.test(text) ? Number(text) : NaN;
      return Number.isSafeInteger(n) ? n : null;
    }),
  version: nullableText,
  uri: nullableText,
  service: nullableText,
});
export type WaugEnvelope = z.output<typeof waugEnvelopeSchema>;

export function isSuccessEnvelope(envelope: WaugEnvelope): boolean {
  return envelope.responseCode === WAUG_SUCCESS_CODE;
}

/** [seed] {"accessToken","tokenType":"bearer","expiresIn":"43199"}: expiresIn a string of seconds. */
export const waugTokenSchema = z.object({
  accessToken: z.string().min(1).max(4096),
  tokenType: z
    .string()
    .refine((type) => type.toLowerCase() === 'bearer', 'tokenType must be bearer')
    .optional(),
  expiresIn: z.unknown().transform((value, ctx): number => {
    const text = typeof value === 'string' ? value.trim() : numberText(value);
    const seconds = text !== null && /^\d{1,10}$/.test(text) ? Number(text) : NaN;
    if (!(seconds > 0)) return fail(ctx, 'expiresIn must be a positive number of seconds');
    return seconds;
  }),
});
export type WaugToken = z.output<typeof waugTokenSchema>;

const goodsSummaryShape = {
  goodsId: waugIdSchema,
  goodsName: z.string(),
  city: nullableText,
  countryCode: nullableText,
  currency: z.string().min(1),
  refundable: flagSchema,
  updatedAt: nullablePhpTimeSchema,
};

export const waugGoodsSummarySchema = z.object(goodsSummaryShape);

export const waugGoodsSchema = z.object({
  ...goodsSummaryShape,
  description: nullableText,
  availableTime: nullableText,
  notification: nullableText,
  instantConfirmation: flagSchema.optional().transform((value) => value ?? false),
  options: z.array(
    z.object({
      goodsOptionId: waugIdSchema,
      goodsOptionName: z.string(),
      items: z.array(z.object({ goodsOptionItemId: waugIdSchema, goodsOptionItemName: z.string() })),
      timeslots: z
        .array(z.object({ goodsOptionTimeslotId: waugIdSchema, time: z.string() }))
        .optional()
        .transform((value) => value ?? []),
    }),
  ),
});

export const waugPriceSchema = z.object({
  date: dateSchema,
  goodsOptionId: waugIdSchema,
  goodsOptionItemId: waugIdSchema,
  price: decimalSchema,
  currency: z.string().min(1),
});

export const waugOrderInfoGroupSchema = z.object({
  groupCategory: z.enum(WAUG_INFO_GROUPS),
  fields: z.array(
    z
      .object({
        fieldId: waugIdSchema,
        fieldName: z.string(),
        fieldExplain: nullableText,
        fieldPlaceholder: nullableText,
        fieldOption: nullableText,
        fieldType: z.enum(WAUG_FIELD_TYPES),
        required: flagSchema,
      })
      .transform(({ fieldOption, ...field }) => ({
        ...field,
        choices:
          fieldOption === null
            ? []
            : fieldOption
                .split(WAUG_FIELD_OPTION_SEPARATOR)
                .map((choice) => choice.trim())
                .filter((choice) => choice !== ''),
      })),
  ),
});

export const waugCommentSchema = z.object({
  commentId: waugIdSchema,
  rating: integerSchema.refine((n) => n >= 1 && n <= 5, 'rating must be 1–5'),
  content: z.string(),
  nickname: nullableText,
  createdAt: nullablePhpTimeSchema,
});

export const waugValidationSchema = z.object({
  orderable: z.literal(true),
  totalPrice: decimalSchema,
  currency: z.string().min(1),
});

const voucherWireSchema = z
  .object({
    issued: flagSchema,
    voucherNumber: nullableTextIdSchema,
    voucherUrl: nullableText,
    issuedAt: nullablePhpTimeSchema,
  })
  .nullable()
  .optional();

function voucherState(issued: boolean, status: string): WaugVoucherState {
  if (issued) return 'issued';
  return status === 'STATUS_IN_PROGRESS' ? 'issuing' : 'not_issued';
}

export const waugOrderGoodsSchema = z
  .object({
    orderGoodsId: waugIdSchema,
    goodsId: waugIdSchema,
    goodsName: z.string(),
    status: z.enum(WAUG_ORDER_GOODS_STATUSES),
    useDate: dateSchema,
    refundable: flagSchema,
    totalPrice: decimalSchema,
    orderOptions: z.array(
      z.object({
        goodsOptionId: waugIdSchema,
        goodsOptionName: nullableText,
        goodsOptionItemId: waugIdSchema,
        goodsOptionItemName: nullableText,
        goodsOptionTimeslotId: timeslotIdSchema,
        quantity: integerSchema.refine((n) => n > 0, 'quantity must be positive'),
        price: decimalSchema,
      }),
    ),
    voucher: voucherWireSchema,
    updatedAt: phpTimeSchema,
  })
  .transform(({ orderOptions, voucher, ...goods }): WaugOrderGoods => ({
    orderGoodsId: goods.orderGoodsId,
    goodsId: goods.goodsId,
    goodsName: goods.goodsName,
    status: goods.status,
    useDate: goods.useDate,
    options: orderOptions,
    refundable: goods.refundable,
    totalPrice: goods.totalPrice,
    voucher: {
      state: voucherState(voucher?.issued ?? false, goods.status),
      voucherNumber: voucher?.voucherNumber ?? null,
      voucherUrl: voucher?.voucherUrl ?? null,
      issuedAt: voucher?.issuedAt ?? null,
    },
    updatedAt: goods.updatedAt,
  }));

export const waugOrderSchema = z.object({
  orderNumber: textIdSchema,
  partnerOrderNumber: nullableTextIdSchema,
  orderStatus: z.enum(WAUG_ORDER_STATUSES),
  orderedAt: phpTimeSchema,
  currency: z.string().min(1),
  totalPrice: decimalSchema,
  orderGoods: z.array(waugOrderGoodsSchema),
});

// The schemas must produce exactly the api.ts types; these lines fail to compile if they drift.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const shapes: [
  Equal<z.output<typeof waugOrderSchema>, WaugOrder>,
  Equal<z.output<typeof waugGoodsSummarySchema>, WaugGoodsSummary>,
  Equal<z.output<typeof waugGoodsSchema>, WaugGoods>,
  Equal<z.output<typeof waugPriceSchema>, WaugPrice>,
  Equal<z.output<typeof waugOrderInfoGroupSchema>, WaugOrderInfoGroup>,
  Equal<z.output<typeof waugCommentSchema>, WaugComment>,
  Equal<z.output<typeof waugValidationSchema>, WaugOrderValidation>,
] = [true, true, true, true, true, true, true];
void shapes;

/** Where a body failed its schema: paths and messages only, never the values. */
export function describeWaugIssues(error: z.ZodError, limit = 3): string {
  return error.issues
    .slice(0, limit)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
