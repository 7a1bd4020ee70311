/**
 * Yahoo's calls to the merchant (API-NOTES §1): issue serial numbers, cancel them, and the
 * status-changed notification. Each is verified (auth.ts), parsed losslessly, checked against a
 * schema, then handed to the serial service. Every refusal is in Yahoo's error shape.
 *
 * Schemas: every field we use is required and typed tightly (ids 1–24 printable ASCII, prices
 * decimal, counts integers); unknown extra fields are dropped, as for Yahoo's other bodies
 * (yahoo/schemas.ts), so a field Yahoo adds later does not break the sale.
 */
import { z } from 'zod';
import type { SerialService } from '../serials/service.js';
import { isLosslessNumber, JsonSyntaxError, parseLosslessJson } from '../http/json.js';
import { describeSchemaIssues, priceSchema, yahooNotificationVoucherSchema } from '../yahoo/schemas.js';
import type { YahooSigningOptions } from '../yahoo/sign.js';
import { verifyYahooCall, type MerchantCredentials } from './auth.js';
import { isCancelRequest, MERCHANT_MAX_ITEMS, MERCHANT_PATHS } from './constants.js';
import { merchantError, merchantJson, type MerchantRoute, type RouteAnswer, type RouteRequest } from './routes.js';

export interface YahooEndpointDeps {
  /** Our ApiKey and Shared Secret (live settings, or the demo sandbox's); null when not configured. */
  credentials: () => MerchantCredentials | null;
  serials: SerialService;
  now?: () => Date;
  signing?: Partial<YahooSigningOptions>;
}

const PRINTABLE_ID = /^[\x21-\x7e]+$/;

/** An id: a string (or an integer JSON number) of 1–max printable ASCII characters. */
function id(max: number) {
  return z.unknown().transform((value, ctx): string => {
    const text = typeof value === 'string' ? value : isLosslessNumber(value) ? value.value : null;
    if (text === null || text.length === 0 || text.length > max || !PRINTABLE_ID.test(text)) {
      ctx.issues.push({ code: 'custom', message: `must be an id of 1–${max} printable characters`, input: undefined });
      return z.NEVER;
    }
    return text;
  });
}

const count = z.unknown().transform((value, ctx): number => {
  const text = isLosslessNumber(value) ? value.value : null;
  const n = text !== null && /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MERCHANT_MAX_ITEMS)) {
    ctx.issues.push({ code: 'custom', message: `must be an integer 1–${MERCHANT_MAX_ITEMS}`, input: undefined });
    return z.NEVER;
  }
  return n;
});

function distinctItems(items: readonly { orderItemId: string }[], ctx: z.core.$RefinementCtx): void {
  const seen = new Set<string>();
  for (const [index, item] of items.entries()) {
    if (seen.has(item.orderItemId))
      ctx.issues.push({
        code: 'custom',
        message: 'orderItemId repeated',
        path: ['orderItems', index],
        input: undefined,
      });
    seen.add(item.orderItemId);
  }
}

export const issueRequestSchema = z
  .object({
    storeId: id(64),
    transactionId: id(64),
    orderId: id(24),
    productId: id(24),
    specId: id(24),
    customizedProductId: id(24).optional(),
    quantity: count,
    orderItems: z
      .array(z.object({ orderItemId: id(24), price: priceSchema, originalPrice: priceSchema.optional() }))
      .min(1)
      .max(MERCHANT_MAX_ITEMS),
  })
  .superRefine((body, ctx) => {
    if (body.quantity !== body.orderItems.length)
      ctx.issues.push({
        code: 'custom',
        message: 'quantity must equal the number of orderItems',
        path: ['quantity'],
        input: undefined,
      });
    distinctItems(body.orderItems, ctx);
  });

/** Cancel: the seed's body; only orderId and the orderItemIds decide anything. */
export const cancelRequestSchema = z
  .object({
    storeId: id(64).optional(),
    transactionId: id(64).optional(),
    orderId: id(24),
    productId: id(24).optional(),
    specId: id(24).optional(),
    customizedProductId: id(24).optional(),
    quantity: count.optional(),
    orderItems: z
      .array(z.object({ orderItemId: id(24), price: priceSchema.optional(), originalPrice: priceSchema.optional() }))
      .min(1)
      .max(MERCHANT_MAX_ITEMS),
  })
  .superRefine((body, ctx) => distinctItems(body.orderItems, ctx));

/** The notification; statusAppliedTime is required here (newest-wins needs it). */
export const notificationRequestSchema = z.object({
  vouchers: z
    .array(
      yahooNotificationVoucherSchema.superRefine((voucher, ctx) => {
        if (voucher.statusAppliedTime === null)
          ctx.issues.push({
            code: 'custom',
            message: 'statusAppliedTime is required',
            path: ['statusAppliedTime'],
            input: undefined,
          });
      }),
    )
    .min(1)
    .max(MERCHANT_MAX_ITEMS),
});

type Handler<T> = (body: T, request: RouteRequest) => RouteAnswer;

/** Verify → parse JSON losslessly → schema → handler. */
function yahooHandler<S extends z.ZodType>(
  deps: YahooEndpointDeps,
  schema: S,
  handler: Handler<z.output<S>>,
): (request: RouteRequest) => RouteAnswer {
  return (request) => {
    const refusal = verifyYahooCall(request, deps.credentials(), {
      now: deps.now?.() ?? new Date(),
      ...(deps.signing ? { signing: deps.signing } : {}),
    });
    if (refusal !== null) return merchantError(refusal);
    let json: unknown;
    try {
      json = parseLosslessJson(request.body);
    } catch (error) {
      if (error instanceof JsonSyntaxError) return merchantError('malformedJson');
      throw error;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) return merchantError('invalidBody', describeSchemaIssues(parsed.error));
    return handler(parsed.data, request);
  };
}

export function yahooMerchantRoutes(deps: YahooEndpointDeps): MerchantRoute[] {
  const cancel: Handler<z.output<typeof cancelRequestSchema>> = (body) => {
    const outcome = deps.serials.cancel(
      body.orderId,
      body.orderItems.map((item) => item.orderItemId),
    );
    if (outcome.kind === 'unknown') return merchantError('unknownOrderItem');
    if (outcome.kind === 'used') return merchantError('serialUsed');
    return merchantJson(200, { vouchers: outcome.serials });
  };
  const issue: Handler<z.output<typeof issueRequestSchema>> = (body) => {
    const issued = deps.serials.issue({
      storeId: body.storeId,
      transactionId: body.transactionId,
      orderId: body.orderId,
      productId: body.productId,
      specId: body.specId,
      items: body.orderItems.map((item) => ({ orderItemId: item.orderItemId, price: item.price })),
    });
    return merchantJson(200, {
      vouchers: issued.map((s) => ({ orderItemId: s.orderItemId, serialNumber: s.serialNumber })),
    });
  };
  const issueOrCancel = yahooHandler(deps, issueRequestSchema, issue);
  const cancelByQuery = yahooHandler(deps, cancelRequestSchema, cancel);
  return [
    {
      name: 'yahoo.serialNumbers',
      method: 'POST',
      path: MERCHANT_PATHS.serialNumbers,
      handle: (request) => (isCancelRequest(request.url) ? cancelByQuery(request) : issueOrCancel(request)),
    },
    {
      name: 'yahoo.cancelSerialNumbers',
      method: 'POST',
      path: MERCHANT_PATHS.cancelSerialNumbers,
      handle: yahooHandler(deps, cancelRequestSchema, cancel),
    },
    {
      name: 'yahoo.notification',
      method: 'POST',
      path: MERCHANT_PATHS.notification,
      handle: yahooHandler(deps, notificationRequestSchema, (body) => {
        deps.serials.notify(
          body.vouchers.map((v) => ({
            voucherId: v.voucherId,
            orderId: v.orderId,
            orderItemId: v.orderItemId,
            status: v.status,
            statusAppliedTime: v.statusAppliedTime!,
            executedBy: v.executedBy,
          })),
        );
        return merchantJson(200, {});
      }),
    },
  ];
}
