/**
 * WAUG → merchant webhooks (API-NOTES §2 "Webhooks"), one route of the merchant server:
 *
 *   POST WAUG_WEBHOOK_PATH?token=<token>   (or header X-Webhook-Token; see token.ts)
 *   {"goodsId":1,"type":"GOODS_UPDATE","updatedAt":{"date":…,"timezone_type":3,"timezone":"Asia/Seoul"}}
 *   {"orderNumber":"…","orderGoodsId":1,"type":"ORDER_UPDATE","orderStatus":"STATUS_CONFIRMED","updatedAt":{…}}
 *
 * `updatedAt` is a PHP DateTime read IN ITS NAMED ZONE (waug/time.ts), never assumed UTC.
 *  - ORDER_UPDATE: the ordered goods' status, newest-wins by updatedAt, appended to its timeline
 *    (db/orders.ts applyGoodsStatus); an older or repeated webhook changes nothing. For an order
 *    not in the cache, the order is read from WAUG (when configured) and cached; otherwise the
 *    update is recorded (waug_pending_order_updates) and the next pull brings the order.
 *  - GOODS_UPDATE: the update time is recorded newest-wins (waug_goods_updates); when WAUG is
 *    configured, the goods is re-read into the catalog cache (catalog/service.ts refreshGoods:
 *    detail, order infos, prices, comments; a 103 removes it) and the names of cached ordered
 *    goods follow it. A failed re-read leaves it to the next catalog sync.
 * Answers: 200 {"ok":true,"result":…}; refusals in the merchant error shape, 401 for a wrong
 * token, 400 for malformed JSON or a body that is not one of the two (strict schemas), 413 over
 * WAUG_WEBHOOK_MAX_BODY_BYTES (the server enforces it before the handler runs).
 */
import { z } from 'zod';
import { WAUG_ORDER_GOODS_STATUSES } from '../../../shared/domain/waug.js';
import { catalogRange } from '../catalog/service.js';
import type { CatalogReader } from '../catalog/types.js';
import { webhookRecordsOf } from '../db/bookings.js';
import type { DeskStore } from '../db/store.js';
import { isLosslessNumber, parseLosslessJson } from '../http/json.js';
import type { Logger } from '../log/logger.js';
import { isWaugError } from '../orders/errors.js';
import {
  merchantError,
  merchantJson,
  type MerchantRoute,
  type RouteAnswer,
  type RouteRequest,
} from '../serve/routes.js';
import type { WaugApi } from '../waug/api.js';
import { phpDateTimeToIso } from '../waug/time.js';
import { tokenMatches, WAUG_WEBHOOK_TOKEN_HEADER, WAUG_WEBHOOK_TOKEN_PARAM } from './token.js';

/** [decision] The one path both webhook types are posted to. */
export const WAUG_WEBHOOK_PATH = '/v1/waug/webhooks';
/** [decision] A webhook is a few hundred bytes. */
export const WAUG_WEBHOOK_MAX_BODY_BYTES = 16 * 1024;
/** How long an unknown order's read from WAUG may hold the webhook's answer. */
export const WEBHOOK_FETCH_TIMEOUT_MS = 5_000;

/** [decision] A wrong or missing token, in the merchant error shape (22xxx: webhooks). */
export const WEBHOOK_UNAUTHORIZED: RouteAnswer = {
  status: 401,
  json: { error: { code: 22101, message: 'Webhook token missing or wrong.' } },
};

const idText = z.unknown().transform((value, ctx): string => {
  const text = isLosslessNumber(value) ? value.value : typeof value === 'string' ? value.trim() : null;
  if (text === null || !/^\d{1,20}$/.test(text)) {
    ctx.issues.push({ code: 'custom', message: 'expected an integer id', input: undefined });
    return z.NEVER;
  }
  return text.replace(/^0+(?=\d)/, '');
});
const phpDateTime = z
  .object({
    date: z.string().max(40),
    timezone_type: z.unknown().transform((v) => (isLosslessNumber(v) ? Number(v.value) : v)),
    timezone: z.string().max(64),
  })
  .strict()
  .transform((value, ctx): string => {
    const iso = phpDateTimeToIso(value);
    if (iso === undefined) {
      ctx.issues.push({ code: 'custom', message: 'updatedAt is not a valid PHP DateTime', input: undefined });
      return z.NEVER;
    }
    return iso;
  });

export const WaugWebhookSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('GOODS_UPDATE'), goodsId: idText, updatedAt: phpDateTime }).strict(),
  z
    .object({
      type: z.literal('ORDER_UPDATE'),
      orderNumber: z.string().trim().min(1).max(40),
      orderGoodsId: idText,
      orderStatus: z.enum(WAUG_ORDER_GOODS_STATUSES),
      updatedAt: phpDateTime,
    })
    .strict(),
]);
export type WaugWebhook = z.output<typeof WaugWebhookSchema>;

export type WebhookResult = 'applied' | 'duplicate' | 'stale' | 'fetched' | 'recorded';

export interface WaugWebhookOptions {
  store: () => DeskStore;
  waug: () => WaugApi | null;
  /** Re-reads a goods into the catalog cache on GOODS_UPDATE (it emits catalogChanged). */
  catalog: CatalogReader;
  /** The expected token; null refuses every call. */
  token: () => string | null;
  now: () => Date;
  log: Logger;
  onOrderChanged?: (orderNumber: string) => void;
}

export interface WaugWebhookHandler {
  /** The route to register into serve's table. */
  route: MerchantRoute;
  /** Applies one parsed webhook (tests, replay). */
  apply(webhook: WaugWebhook): Promise<WebhookResult>;
}

export function createWaugWebhookHandler(options: WaugWebhookOptions): WaugWebhookHandler {
  const { log } = options;
  const emit = (orderNumber: string): void => {
    try {
      options.onOrderChanged?.(orderNumber);
    } catch (error) {
      log.error('webhooks: orderChanged listener failed', { error });
    }
  };

  async function applyOrderUpdate(w: Extract<WaugWebhook, { type: 'ORDER_UPDATE' }>): Promise<WebhookResult> {
    const store = options.store();
    const at = options.now().toISOString();
    const change = { status: w.orderStatus, updatedAt: w.updatedAt };
    const cached = store.orders.get(w.orderNumber);
    if (cached !== null && cached.goods.some((g) => g.orderGoodsId === w.orderGoodsId)) {
      const outcome = store.orders.applyGoodsStatus(w.orderGoodsId, change, at);
      if (outcome === 'updated') {
        emit(w.orderNumber);
        return 'applied';
      }
      return outcome === 'kept' ? 'stale' : 'duplicate';
    }
    // Not cached: read the order from WAUG, then apply this update on top (newest-wins).
    const api = options.waug();
    if (api !== null) {
      try {
        const order = await api.getOrder(w.orderNumber, { timeoutMs: WEBHOOK_FETCH_TIMEOUT_MS });
        if (order !== null && order.orderGoods.some((g) => g.orderGoodsId === w.orderGoodsId)) {
          store.orders.upsert(order, at);
          store.orders.applyGoodsStatus(w.orderGoodsId, change, at);
          emit(w.orderNumber);
          return 'fetched';
        }
      } catch (error) {
        log.warn('webhooks: could not read the order from WAUG; recorded for the next pull', {
          orderNumber: w.orderNumber,
          error,
        });
      }
    }
    webhookRecordsOf(store.db).recordOrderUpdate(
      { orderNumber: w.orderNumber, orderGoodsId: w.orderGoodsId, status: w.orderStatus, updatedAt: w.updatedAt },
      at,
    );
    return 'recorded';
  }

  async function applyGoodsUpdate(w: Extract<WaugWebhook, { type: 'GOODS_UPDATE' }>): Promise<WebhookResult> {
    const store = options.store();
    const at = options.now().toISOString();
    const records = webhookRecordsOf(store.db);
    if (records.recordGoodsUpdate(w.goodsId, w.updatedAt, at) === 'kept') {
      return records.goodsUpdatedAt(w.goodsId) === w.updatedAt ? 'duplicate' : 'stale';
    }
    if (options.waug() !== null) {
      try {
        const fresh = await options.catalog.refreshGoods(w.goodsId, catalogRange(options.now().getTime()), {
          timeoutMs: WEBHOOK_FETCH_TIMEOUT_MS,
        });
        records.renameCachedGoods(w.goodsId, fresh.goods.goodsName);
      } catch (error) {
        if (isWaugError(error) && error.kind === 'not_found')
          log.info('webhooks: WAUG no longer has the goods; it left the catalog cache', { goodsId: w.goodsId });
        else log.warn('webhooks: could not re-read the goods; the next sync will', { goodsId: w.goodsId, error });
      }
    }
    return 'applied';
  }

  async function apply(webhook: WaugWebhook): Promise<WebhookResult> {
    return webhook.type === 'ORDER_UPDATE' ? applyOrderUpdate(webhook) : applyGoodsUpdate(webhook);
  }

  async function handle(request: RouteRequest): Promise<RouteAnswer> {
    const header = request.headers[WAUG_WEBHOOK_TOKEN_HEADER];
    const given =
      request.url.searchParams.get(WAUG_WEBHOOK_TOKEN_PARAM) ?? (typeof header === 'string' ? header : null);
    if (!tokenMatches(given, options.token())) return WEBHOOK_UNAUTHORIZED;
    if (request.body.length > WAUG_WEBHOOK_MAX_BODY_BYTES) return merchantError('bodyTooLarge');
    let json: unknown;
    try {
      json = parseLosslessJson(request.body);
    } catch {
      return merchantError('malformedJson');
    }
    const parsed = WaugWebhookSchema.safeParse(json);
    if (!parsed.success) return merchantError('invalidBody', 'Expected a WAUG GOODS_UPDATE or ORDER_UPDATE webhook.');
    const result = await apply(parsed.data);
    log.info('WAUG webhook', { type: parsed.data.type, result });
    return merchantJson(200, { ok: true, result });
  }

  return {
    route: {
      name: 'waug.webhook',
      method: 'POST',
      path: WAUG_WEBHOOK_PATH,
      maxBodyBytes: WAUG_WEBHOOK_MAX_BODY_BYTES,
      handle,
    },
    apply,
  };
}
