/**
 * The WAUG sandbox: a real HTTP server playing WAUG's side of API-NOTES §2 — the envelope, token
 * issue and expiry, the seed's rate limit (100 per 10 s per client, then 111 for the rest of the
 * block, order creation exempt), goods with options, prices by date and order-input groups,
 * comments, validation and idempotent creation, goods that move PAID → IN_PROGRESS → CONFIRMED
 * on the sandbox clock, refunds under the `refundable` rule — with the Yahoo sandbox's fault
 * knobs. Never imports electron; runs in tests, the CLI and the desktop demo.
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { z } from 'zod';
import { WAUG_ORDER_GOODS_STATUSES, type WaugOrderGoodsStatus } from '../../waug/api.js';
import {
  WAUG_API_VERSION,
  WAUG_COMMENTS_MAX_PAGE_SIZE,
  WAUG_ENDPOINTS,
  WAUG_RATE_LIMIT,
  WAUG_RESPONSE_CODES,
  WAUG_SERVICE_NAME,
  WAUG_SUCCESS_CODE,
  type WaugEndpointName,
  type WaugFailureCode,
} from '../../waug/constants.js';
import { BodyTooLargeError, MiB, readCappedBody } from '../../http/body.js';
import { isLosslessNumber, LosslessNumber, parseLosslessJson, stringifyLosslessJson } from '../../http/json.js';
import { isWaugDate, toPhpDateTime } from '../../waug/time.js';
import {
  applyFaultsAfter,
  applyFaultsBefore,
  drainThenRefuse,
  faultsPatchSchema as sharedFaultsPatchSchema,
  isAdmin as hasAdminHeader,
  NO_SANDBOX_FAULTS,
  pushCapped,
  safeEqual,
  sendJson,
  sendMalformedBody,
  startSandboxServer,
  type SandboxFaults,
} from '../faults.js';
import { createPrng } from '../yahoo/prng.js';
import { buildCatalogue } from './catalogue.js';
import { WaugWebhookSender, type SentWebhook } from './webhooks.js';
import { DEFAULT_WAUG_SEED, defaultLinkedVouchers, seedComments, seedOrders, type LinkedVoucher } from './seed.js';
import {
  fromMinor,
  goodsSummaryToWire,
  goodsToWire,
  orderInfosToWire,
  orderToWire,
  WaugBook,
  WaugRefusal,
  type OrderRequest,
  type Progression,
  type SandboxOrderView,
} from './store.js';

export {
  DEFAULT_WAUG_SEED,
  DEMO_WAUG,
  HUGE_ORDER_GOODS_ID,
  WAUG_FULFILLED_YAHOO_PRODUCTS,
  type DemoWaugName,
  type DemoWaugOrder,
  type LinkedVoucher,
} from './seed.js';
export { KOREAN_GOODS_IDS, NON_REFUNDABLE_ADDON_GOODS_ID } from './catalogue.js';
export type { SandboxOrderView } from './store.js';
export type { SentWebhook } from './webhooks.js';

export const WAUG_MALFORMED_BODY_KINDS = ['not-json', 'wrong-shape', 'bad-data', 'truncated', 'oversized'] as const;
export type WaugMalformedBodyKind = (typeof WAUG_MALFORMED_BODY_KINDS)[number];

/**
 * Fault knobs, as the Yahoo sandbox's plus `responseCode`. They apply to WAUG routes (the token
 * route included, `responseCode` excepted), never to /__sandbox/*, in this order:
 * hang → latencyMs → status5xx → errorRate → (auth, rate limit) → responseCode → (routing, the
 * change is applied) → resetAfterApply → malformedBody. status5xx (HTTP 500) and errorRate
 * (HTTP 503) answer without an envelope.
 */
export interface WaugSandboxFaults extends SandboxFaults<WaugMalformedBodyKind> {
  /** Answer this failure code (e.g. '108') instead of handling the request. */
  responseCode: WaugFailureCode | null;
  /**
   * Apply the knobs to this endpoint only (null: every WAUG route), e.g. 'createOrder' with
   * resetAfterApply loses only the create's answer while validation and queries still work.
   */
  onlyEndpoint: WaugEndpointName | null;
}

export const NO_WAUG_FAULTS: Readonly<WaugSandboxFaults> = Object.freeze({
  ...NO_SANDBOX_FAULTS,
  responseCode: null,
  onlyEndpoint: null,
});

const FAILURE_CODES = Object.keys(WAUG_RESPONSE_CODES) as [WaugFailureCode, ...WaugFailureCode[]];

const faultsPatchSchema = sharedFaultsPatchSchema(WAUG_MALFORMED_BODY_KINDS, {
  responseCode: z.enum(FAILURE_CODES).nullable(),
  onlyEndpoint: z.enum(Object.keys(WAUG_ENDPOINTS) as [WaugEndpointName, ...WaugEndpointName[]]).nullable(),
});

/** [decision] HTTP statuses the sandbox pairs with each code. Clients must decide by responseCode. */
export const WAUG_SANDBOX_HTTP_STATUS: Readonly<Record<WaugFailureCode, number>> = Object.freeze({
  '100': 400,
  '101': 401,
  '102': 400,
  '103': 200, // a failure with HTTP 200, as API-NOTES warns
  '104': 200,
  '105': 200,
  '106': 400,
  '107': 200,
  '108': 504,
  '109': 200,
  '110': 413,
  '111': 429,
});

/** Size of the 'oversized' answer: over the client's default 8 MiB cap. */
export const WAUG_OVERSIZED_BODY_BYTES = 10 * MiB;

const MAX_REQUEST_RECORDS = 20_000;

export const WAUG_SANDBOX_ADMIN_HEADER = 'x-sandbox-admin';
export const WAUG_SANDBOX_ADMIN_PATHS = Object.freeze({
  faults: '/__sandbox/faults',
  revokeTokens: '/__sandbox/revoke-tokens',
  goodsStatus: '/__sandbox/goods-status',
  balance: '/__sandbox/balance',
});

export const WAUG_SANDBOX_DEFAULTS = Object.freeze({
  tokenTtlSeconds: 43_199, // [seed] "expiresIn": "43199"
  balance: '100000000',
  progression: Object.freeze({ inProgressAfterMs: 5_000, confirmedAfterMs: 15_000 }),
});

export interface WaugSandboxOptions {
  host?: string;
  port?: number;
  clientId?: string;
  clientSecret?: string;
  /** The sandbox clock in Unix ms: token expiry, rate-limit blocks, goods progression. Default Date.now. */
  now?: () => number;
  /** PRNG seed for the demo orders and errorRate. */
  seed?: number;
  /** Token lifetime. Default 43 199 s, as in the seed. */
  tokenTtlSeconds?: number;
  /** 'bare' (as in the seed) or inside the envelope's data. Default 'bare'. */
  tokenShape?: 'bare' | 'envelope';
  /** Default 100 per 10 000 ms [seed]. limit null turns the limit off. */
  rateLimit?: { limit: number | null; windowMs: number };
  /** Delays of PAID → IN_PROGRESS → CONFIRMED for new (and the progressing demo) orders. */
  progression?: Partial<Progression>;
  /** Prepaid balance, decimal string. Default 100 000 000. */
  balance?: string;
  /** Request body cap; larger bodies get 110. Default 1 MiB. */
  maxBodyBytes?: number;
  faults?: Partial<WaugSandboxFaults>;
  /** The Yahoo vouchers to link orders to. Default: the Yahoo sandbox's seed for this clock. */
  linkedVouchers?: readonly LinkedVoucher[];
  /** Whether to seed demo orders at all. Default true. */
  demoOrders?: boolean;
  /** The merchant's webhook URL (token included); webhooks.ts. Also settable later. */
  webhookUrl?: string | null;
  /** How often goods progress is scanned for ORDER_UPDATEs. Default 1 000 ms; 0 = only on flushWebhooks(). */
  webhookScanEveryMs?: number;
  /** The zone of webhook `updatedAt`s. Default Asia/Seoul. */
  webhookTimeZone?: string;
}

export interface WaugSandboxRequestRecord {
  method: string;
  /** Path only (query strings hold nothing secret here, but stay out for symmetry). */
  path: string;
  /** 0 when no answer was sent (hang, reset). */
  status: number;
  /** The envelope's responseCode, or null (no envelope: faults, token bare answers). */
  responseCode: string | null;
  /** Sandbox clock ms when the request was counted. */
  atMs: number;
}

export interface WaugSandbox {
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly faults: Readonly<WaugSandboxFaults>;
  setFaults(patch: Partial<WaugSandboxFaults>): Readonly<WaugSandboxFaults>;
  /** WAUG-route requests (the latest 20 000), each once answered or abandoned. Live. */
  readonly requests: readonly WaugSandboxRequestRecord[];
  readonly orderCount: number;
  readonly balance: string;
  setBalance(amount: string): void;
  /** The order as it reads now (statuses from the sandbox clock). */
  getOrder(orderNumber: string): SandboxOrderView | undefined;
  getOrderByPartnerNumber(partnerOrderNumber: string): SandboxOrderView | undefined;
  /** Sets one ordered goods' status now, cancelling its future steps. */
  setGoodsStatus(orderNumber: string, orderGoodsId: string, status: WaugOrderGoodsStatus): SandboxOrderView;
  /** REFUND_REQUESTED goods of the order → REFUND_COMPLETED (WAUG's separate procedure). */
  completeRefund(orderNumber: string): SandboxOrderView;
  /** Overrides an option item's price (every day, or one day): a stale price then gets 109. */
  setPrice(goodsId: string, goodsOptionItemId: string, price: string, day?: string): void;
  /** Replaces the goods' option items (new ids, +10 %): orders naming the old ones get 105. */
  modifyGoods(goodsId: string): { goodsOptionItemIds: string[] };
  /** Forgets every issued token: the next call with one gets 101. */
  revokeTokens(): void;
  /** How many tokens were issued so far. */
  readonly tokensIssued: number;
  /** Where webhooks go (null: nowhere). Statuses as they are now count as already sent. */
  setWebhookTarget(url: string | null): void;
  /** Sends the webhooks due now (goods progress, refunds, goods changes); resolves with how many were taken. */
  flushWebhooks(): Promise<number>;
  /** Webhooks sent so far (the latest 10 000), with the merchant's status. */
  readonly webhooksSent: readonly SentWebhook[];
  close(): Promise<void>;
}

// ---- request bodies ----------------------------------------------------------------------------

const idText = z.unknown().transform((value, ctx): string => {
  const text = isLosslessNumber(value) ? value.value : typeof value === 'string' ? value.trim() : null;
  if (text === null || !/^\d{1,20}$/.test(text)) {
    ctx.issues.push({ code: 'custom', message: 'expected an integer id', input: undefined });
    return z.NEVER;
  }
  return text.replace(/^0+(?=\d)/, '');
});
const decimalText = z.unknown().transform((value, ctx): string => {
  const text = isLosslessNumber(value) ? value.value : typeof value === 'string' ? value.trim() : null;
  if (text === null || !/^\d+(\.\d+)?$/.test(text)) {
    ctx.issues.push({ code: 'custom', message: 'expected a decimal', input: undefined });
    return z.NEVER;
  }
  return text;
});
const quantity = z.unknown().transform((value, ctx): number => {
  const text = isLosslessNumber(value) ? value.value : typeof value === 'number' ? String(value) : null;
  const n = text !== null && /^\d{1,4}$/.test(text) ? Number(text) : 0;
  if (n < 1) {
    ctx.issues.push({ code: 'custom', message: 'expected a positive quantity', input: undefined });
    return z.NEVER;
  }
  return n;
});
const infoSchema = z.object({
  fieldId: idText,
  groupCategory: z.enum(['ORDER', 'GOODS', 'EACH']),
  values: z.array(z.string().max(2000)).max(100),
});
const orderRequestSchema = z.object({
  partnerOrderNumber: z.string().trim().min(1).max(100).optional(),
  locale: z.string().max(10).default('en'),
  orderGoods: z
    .array(
      z.object({
        goodsId: idText,
        useDate: z.string(),
        additionalInput: z.string().max(2000).optional(),
        orderOptions: z
          .array(
            z.object({
              goodsOptionId: idText,
              goodsOptionItemId: idText,
              quantity,
              price: decimalText,
              goodsOptionTimeslotId: idText.optional().transform((v) => v ?? '0'),
            }),
          )
          .max(50),
        orderInfos: z.array(infoSchema).max(200).default([]),
      }),
    )
    .max(20),
  orderInfos: z.array(infoSchema).max(200).default([]),
});
const refundRequestSchema = z.object({ reason: z.string().max(1000).optional() }).passthrough();

const goodsStatusRequestSchema = z.object({
  orderNumber: z.string().min(1),
  orderGoodsId: z.string().min(1),
  status: z.enum(WAUG_ORDER_GOODS_STATUSES),
});

interface Answer {
  status: number;
  json: string;
  responseCode: string | null;
}

const INTERNAL_ERROR: Answer = { status: 500, responseCode: null, json: '{"error":"Internal Server Error"}' };

interface Route {
  name: WaugEndpointName;
  method: 'GET' | 'POST';
  pattern: RegExp;
  keys: string[];
  rateLimited: boolean;
}

/** The same path table as the client (constants.ts), compiled to patterns. */
const ROUTES: Route[] = (
  Object.entries(WAUG_ENDPOINTS) as [WaugEndpointName, (typeof WAUG_ENDPOINTS)[WaugEndpointName]][]
).map(([name, endpoint]) => {
  const keys: string[] = [];
  const source = endpoint.path.replace(/\{(\w+)\}/g, (_whole, key: string) => {
    keys.push(key);
    return '([^/]+)';
  });
  return { name, method: endpoint.method, pattern: new RegExp(`^${source}$`), keys, rateLimited: endpoint.rateLimited };
});

/** [seed] "100 times / 10 seconds … blocking is released by every 10 seconds": a fixed window per client. */
class FixedWindowLimit {
  #windowStart = Number.NEGATIVE_INFINITY;
  #count = 0;
  constructor(
    readonly limit: number | null,
    readonly windowMs: number,
  ) {}
  /** Counts one request at nowMs; false when it is over the limit (answer 111). */
  admit(nowMs: number): boolean {
    if (this.limit === null) return true;
    if (nowMs >= this.#windowStart + this.windowMs) {
      this.#windowStart = nowMs;
      this.#count = 0;
    }
    this.#count += 1;
    return this.#count <= this.limit;
  }
}

export async function startWaugSandbox(options: WaugSandboxOptions = {}): Promise<WaugSandbox> {
  const now = options.now ?? Date.now;
  const clientId = options.clientId ?? `sandbox-${randomBytes(6).toString('hex')}`;
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const seed = options.seed ?? DEFAULT_WAUG_SEED;
  const maxBodyBytes = options.maxBodyBytes ?? 1 * MiB;
  const tokenTtlMs = (options.tokenTtlSeconds ?? WAUG_SANDBOX_DEFAULTS.tokenTtlSeconds) * 1000;
  const tokenShape = options.tokenShape ?? 'bare';
  const progression: Progression = { ...WAUG_SANDBOX_DEFAULTS.progression, ...options.progression };
  const rateLimit = options.rateLimit ?? WAUG_RATE_LIMIT;
  const limiter = new FixedWindowLimit(rateLimit.limit, rateLimit.windowMs);
  const faultRng = createPrng(seed ^ 0x5eed);
  const startedAt = now();
  const catalogue = buildCatalogue(startedAt);
  const book = new WaugBook(catalogue, options.balance ?? WAUG_SANDBOX_DEFAULTS.balance);
  if (options.demoOrders !== false) {
    for (const order of seedOrders({
      nowMs: startedAt,
      seed,
      goods: catalogue,
      linkedVouchers: options.linkedVouchers ?? defaultLinkedVouchers(startedAt),
      progression,
    }))
      book.addOrder(order);
  }
  const comments = new Map(catalogue.map((g) => [g.goodsId, seedComments(g.goodsId, startedAt, seed)]));
  const tokens = new Map<string, number>(); // token → expiry (sandbox clock ms)
  let tokensIssued = 0;
  const requests: WaugSandboxRequestRecord[] = [];
  let faults: Readonly<WaugSandboxFaults> = Object.freeze({
    ...NO_WAUG_FAULTS,
    ...faultsPatchSchema.parse(options.faults ?? {}),
  });
  let closed = false;
  const webhooks = new WaugWebhookSender({
    now,
    orders: () => book.allOrders(),
    ...(options.webhookScanEveryMs === undefined ? {} : { scanEveryMs: options.webhookScanEveryMs }),
    ...(options.webhookTimeZone === undefined ? {} : { timeZone: options.webhookTimeZone }),
  });
  const nudgeWebhooks = (): void => {
    if (webhooks.target !== null) void webhooks.flush();
  };

  const setFaults = (patch: Partial<WaugSandboxFaults>): Readonly<WaugSandboxFaults> => {
    faults = Object.freeze({ ...faults, ...faultsPatchSchema.parse(patch) });
    return faults;
  };

  const envelope = (uri: string, data: unknown, count?: number): Answer => {
    const items = Array.isArray(data) ? data.length : data === null ? 0 : 1;
    return {
      status: 200,
      responseCode: WAUG_SUCCESS_CODE,
      json: stringifyLosslessJson({
        responseCode: WAUG_SUCCESS_CODE,
        message: 'success',
        data,
        count: count ?? items,
        version: WAUG_API_VERSION,
        uri,
        service: WAUG_SERVICE_NAME,
      }),
    };
  };
  const failure = (uri: string, code: WaugFailureCode, detail?: string): Answer => ({
    status: WAUG_SANDBOX_HTTP_STATUS[code],
    responseCode: code,
    json: JSON.stringify({
      responseCode: code,
      message:
        detail === undefined ? WAUG_RESPONSE_CODES[code].meaning : `${WAUG_RESPONSE_CODES[code].meaning}: ${detail}`,
      data: {},
      count: 0,
      version: WAUG_API_VERSION,
      uri,
      service: WAUG_SERVICE_NAME,
    }),
  });

  const send = (res: http.ServerResponse, answer: Answer, extra: http.OutgoingHttpHeaders = {}): void =>
    sendJson(res, answer, {}, extra);

  /** Sends `answer` spoiled as `kind`: 'bad-data' is WAUG's own (an envelope with bad data); faults.ts does the rest. */
  const sendMalformed = (res: http.ServerResponse, answer: Answer, kind: WaugMalformedBodyKind, uri: string): void => {
    if (kind === 'bad-data') {
      send(res, envelope(uri, { orderNumber: 12.5, orderGoods: 'none', orderStatus: 'STATUS_UNKNOWN' }));
      return;
    }
    sendMalformedBody(res, answer, kind, {
      headers: () => ({}),
      wrongShapeJson: '{"result":"ok","items":[{"id":1}]}',
      oversizedPrefix: '{"responseCode":"000","data":[],"padding":"',
      oversizedBytes: WAUG_OVERSIZED_BODY_BYTES,
    });
  };

  const issueToken = (req: http.IncomingMessage, uri: string): Answer => {
    const header = req.headers.authorization ?? '';
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
    const decoded = match === null ? '' : Buffer.from(match[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const id = colon < 0 ? '' : decoded.slice(0, colon);
    const secret = colon < 0 ? '' : decoded.slice(colon + 1);
    if (!(safeEqual(id, clientId) && safeEqual(secret, clientSecret))) return failure(uri, '101');
    if (!limiter.admit(now())) return failure(uri, '111');
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, now() + tokenTtlMs);
    tokensIssued += 1;
    const body = { accessToken: token, tokenType: 'bearer', expiresIn: String(Math.floor(tokenTtlMs / 1000)) };
    return tokenShape === 'bare'
      ? { status: 200, responseCode: null, json: JSON.stringify(body) }
      : envelope(uri, body);
  };

  const bearerValid = (req: http.IncomingMessage): boolean => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (match === null) return false;
    const expiry = tokens.get(match[1] as string);
    if (expiry === undefined) return false;
    if (now() >= expiry) {
      tokens.delete(match[1] as string);
      return false;
    }
    return true;
  };

  const readOrderRequest = (body: Buffer, uri: string): OrderRequest | Answer => {
    let json: unknown;
    try {
      json = parseLosslessJson(body);
    } catch {
      return failure(uri, '100', 'body is not JSON');
    }
    const parsed = orderRequestSchema.safeParse(json);
    if (!parsed.success) return failure(uri, '100', 'body is not an order creation request');
    return parsed.data;
  };

  const pageParams = (params: URLSearchParams, maxSize: number): { page: number; size: number } | null => {
    const page = params.get('page') ?? '1';
    const size = params.get('size') ?? '20';
    if (!/^\d{1,6}$/.test(page) || !/^\d{1,6}$/.test(size)) return null;
    const p = Number(page);
    const s = Number(size);
    if (p < 1 || s < 1 || s > maxSize) return null;
    return { page: p, size: s };
  };

  const dateRange = (params: URLSearchParams): { startDate: string; endDate: string } | null => {
    const startDate = params.get('startDate');
    const endDate = params.get('endDate');
    if (startDate === null || endDate === null || !isWaugDate(startDate) || !isWaugDate(endDate)) return null;
    if (startDate > endDate) return null;
    return { startDate, endDate };
  };

  /** Routing and the work; `apply` is where a create or a refund happens. */
  const route = (
    routeName: WaugEndpointName,
    params: Record<string, string>,
    query: URLSearchParams,
    body: Buffer,
    uri: string,
  ): Answer => {
    const t = now();
    switch (routeName) {
      case 'token':
        return failure(uri, '100'); // handled before routing
      case 'listGoods': {
        const page = pageParams(query, 1000);
        if (page === null) return failure(uri, '102', 'page/size');
        const all = book.goodsList();
        const slice = all.slice((page.page - 1) * page.size, page.page * page.size);
        return envelope(uri, slice.map(goodsSummaryToWire), all.length);
      }
      case 'getGoods':
      case 'getGoodsPrices':
      case 'getGoodsOrderInfos':
      case 'getGoodsComments': {
        const goodsId = params.goodsId ?? '';
        if (!/^\d{1,20}$/.test(goodsId)) return failure(uri, '102', 'goodsId');
        const goods = book.goods(goodsId);
        if (goods === undefined) return failure(uri, '103');
        if (routeName === 'getGoods') return envelope(uri, goodsToWire(goods));
        if (routeName === 'getGoodsOrderInfos') return envelope(uri, orderInfosToWire(goods));
        if (routeName === 'getGoodsComments') {
          const page = pageParams(query, WAUG_COMMENTS_MAX_PAGE_SIZE);
          if (page === null) return failure(uri, '102', `size must be 1–${WAUG_COMMENTS_MAX_PAGE_SIZE}`);
          const all = comments.get(goodsId) ?? [];
          const slice = all.slice((page.page - 1) * page.size, page.page * page.size);
          return envelope(
            uri,
            slice.map((c) => ({
              commentId: new LosslessNumber(c.commentId),
              rating: c.rating,
              content: c.content,
              nickname: c.nickname,
              createdAt: toPhpDateTime(c.createdAtMs),
            })),
            all.length,
          );
        }
        const range = dateRange(query);
        if (range === null) return failure(uri, '102', 'startDate/endDate');
        const prices: unknown[] = [];
        const first = new Date(`${range.startDate}T00:00:00Z`).getTime();
        const last = new Date(`${range.endDate}T00:00:00Z`).getTime();
        if ((last - first) / 86_400_000 > 92) return failure(uri, '102', 'at most 93 days');
        for (let day = first; day <= last; day += 86_400_000) {
          const date = new Date(day).toISOString().slice(0, 10);
          for (const option of goods.options) {
            for (const item of option.items) {
              const price = book.priceOf(goods, item.goodsOptionItemId, date, t);
              if (price === null) continue;
              prices.push({
                date,
                goodsOptionId: new LosslessNumber(option.goodsOptionId),
                goodsOptionItemId: new LosslessNumber(item.goodsOptionItemId),
                price: new LosslessNumber(price),
                currency: goods.currency,
              });
            }
          }
        }
        return envelope(uri, prices);
      }
      case 'validateOrder': {
        const request = readOrderRequest(body, uri);
        if ('json' in request) return request;
        const checked = book.validate(request, t);
        return envelope(uri, {
          orderable: true,
          totalPrice: new LosslessNumber(fromMinor(checked.total)),
          currency: checked.currency,
        });
      }
      case 'createOrder': {
        const request = readOrderRequest(body, uri);
        if ('json' in request) return request;
        const { order } = book.create(request, t, progression);
        return envelope(uri, orderToWire(order, t));
      }
      case 'listOrders': {
        const range = dateRange(query);
        if (range === null) return failure(uri, '102', 'startDate/endDate');
        return envelope(
          uri,
          book.ordersBetween(range.startDate, range.endDate).map((o) => orderToWire(o, t)),
        );
      }
      case 'getOrder':
      case 'getOrderByPartnerNumber': {
        const order =
          routeName === 'getOrder'
            ? book.order(params.orderNumber ?? '')
            : book.orderByPartner(params.partnerOrderNumber ?? '');
        return order === undefined ? failure(uri, '103') : envelope(uri, orderToWire(order, t));
      }
      case 'requestRefund': {
        let reason: string | null = null;
        if (body.length > 0) {
          let json: unknown;
          try {
            json = JSON.parse(body.toString('utf8'));
          } catch {
            return failure(uri, '100', 'body is not JSON');
          }
          const parsed = refundRequestSchema.safeParse(json);
          if (!parsed.success) return failure(uri, '102', 'reason');
          reason = parsed.data.reason ?? null;
        }
        const order = book.requestRefund(params.orderNumber ?? '', reason, t);
        setImmediate(nudgeWebhooks);
        return envelope(uri, orderToWire(order, t));
      }
    }
  };

  const admin = (req: http.IncomingMessage, res: http.ServerResponse, path: string, body: Buffer): void => {
    const json = (status: number, value: unknown): void =>
      send(res, { status, responseCode: null, json: JSON.stringify(value) });
    if (!hasAdminHeader(req, WAUG_SANDBOX_ADMIN_HEADER, clientSecret)) {
      json(403, { error: 'Sandbox admin header missing or wrong.' });
      return;
    }
    let parsedBody: unknown;
    try {
      parsedBody = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      parsedBody = undefined;
    }
    if (path === WAUG_SANDBOX_ADMIN_PATHS.faults && req.method === 'GET') {
      json(200, { faults });
    } else if (path === WAUG_SANDBOX_ADMIN_PATHS.faults && req.method === 'POST') {
      const patch = faultsPatchSchema.safeParse(parsedBody);
      if (!patch.success) json(400, { error: 'Unknown fault or bad value.' });
      else json(200, { faults: setFaults(patch.data) });
    } else if (path === WAUG_SANDBOX_ADMIN_PATHS.revokeTokens && req.method === 'POST') {
      tokens.clear();
      json(200, { revoked: true });
    } else if (path === WAUG_SANDBOX_ADMIN_PATHS.goodsStatus && req.method === 'POST') {
      const parsed = goodsStatusRequestSchema.safeParse(parsedBody);
      if (!parsed.success) {
        json(400, { error: 'Expected {orderNumber, orderGoodsId, status}.' });
        return;
      }
      try {
        json(200, { order: setGoodsStatus(parsed.data.orderNumber, parsed.data.orderGoodsId, parsed.data.status) });
      } catch {
        json(400, { error: 'No such order goods.' });
      }
    } else if (path === WAUG_SANDBOX_ADMIN_PATHS.balance && req.method === 'POST') {
      const parsed = z.object({ balance: z.string().regex(/^\d+(\.\d{1,2})?$/) }).safeParse(parsedBody);
      if (!parsed.success) json(400, { error: 'Expected {balance: "decimal"}.' });
      else {
        book.setBalance(parsed.data.balance);
        json(200, { balance: book.balance });
      }
    } else {
      json(404, { error: 'Not found.' });
    }
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const uri = url.pathname;
    const isAdmin = uri.startsWith('/__sandbox/');
    let record: WaugSandboxRequestRecord | null = null;
    if (!isAdmin) {
      record = { method: req.method ?? '', path: uri, status: 0, responseCode: null, atMs: now() };
      const entry = record;
      res.once('close', () => {
        entry.status = res.headersSent ? res.statusCode : 0;
        pushCapped(requests, MAX_REQUEST_RECORDS, entry);
      });
    }
    const reply = (answer: Answer, extra?: http.OutgoingHttpHeaders): void => {
      if (record !== null) record.responseCode = answer.responseCode;
      send(res, answer, extra);
    };

    let body: Buffer;
    try {
      body = await readCappedBody(req, maxBodyBytes);
    } catch (error) {
      // [seed] 110: drain what remains (up to 8× the cap) so the client really sees the answer.
      if (error instanceof BodyTooLargeError)
        drainThenRefuse(req, maxBodyBytes, () => reply(failure(uri, '110'), { Connection: 'close' }));
      return;
    }
    if (isAdmin) {
      admin(req, res, uri, body);
      return;
    }

    const matched = ROUTES.find((r) => r.method === req.method && r.pattern.test(uri));
    const active = faults.onlyEndpoint === null || faults.onlyEndpoint === matched?.name ? faults : NO_WAUG_FAULTS;
    const unavailable = (): void =>
      send(res, { status: 503, responseCode: null, json: '{"error":"Service Unavailable"}' });
    if (
      !(await applyFaultsBefore(
        active,
        () => closed,
        faultRng,
        () => send(res, INTERNAL_ERROR),
        unavailable,
      ))
    )
      return;

    let answer: Answer;
    if (matched === undefined) {
      answer = failure(uri, '100', 'unknown path or method');
    } else if (matched.name === 'token') {
      answer = issueToken(req, uri);
    } else if (!bearerValid(req)) {
      answer = failure(uri, '101');
    } else if (matched.rateLimited && !limiter.admit(now())) {
      answer = failure(uri, '111');
    } else if (active.responseCode !== null) {
      answer = failure(uri, active.responseCode);
    } else {
      const values = matched.pattern.exec(uri)?.slice(1) ?? [];
      const params: Record<string, string> = {};
      matched.keys.forEach((key, i) => {
        params[key] = decodeURIComponent(values[i] ?? '');
      });
      try {
        answer = route(matched.name, params, url.searchParams, body, uri);
      } catch (error) {
        if (!(error instanceof WaugRefusal)) throw error;
        answer = failure(uri, error.code, error.message);
      }
    }

    const spoil = (kind: WaugMalformedBodyKind): void => {
      if (record !== null) record.responseCode = null;
      sendMalformed(res, answer, kind, uri);
    };
    if (applyFaultsAfter(active, req, spoil)) return;
    reply(answer);
  };

  const server = await startSandboxServer(handle, (res) => send(res, INTERNAL_ERROR), {
    host: options.host,
    port: options.port,
  });

  const viewOf = (orderNumber: string): SandboxOrderView => {
    const order = book.order(orderNumber);
    if (order === undefined) throw new RangeError(`sandbox: no order ${orderNumber}`);
    return book.view(order, now());
  };
  const setGoodsStatus = (
    orderNumber: string,
    orderGoodsId: string,
    status: WaugOrderGoodsStatus,
  ): SandboxOrderView => {
    book.setGoodsStatus(orderNumber, orderGoodsId, status, now());
    nudgeWebhooks();
    return viewOf(orderNumber);
  };
  if (options.webhookUrl) webhooks.setTarget(options.webhookUrl);

  return {
    baseUrl: server.baseUrl,
    clientId,
    clientSecret,
    get faults() {
      return faults;
    },
    setFaults,
    requests,
    get orderCount() {
      return book.orderCount;
    },
    get balance() {
      return book.balance;
    },
    setBalance: (amount) => book.setBalance(amount),
    getOrder: (orderNumber) => {
      const order = book.order(orderNumber);
      return order === undefined ? undefined : book.view(order, now());
    },
    getOrderByPartnerNumber: (partnerOrderNumber) => {
      const order = book.orderByPartner(partnerOrderNumber);
      return order === undefined ? undefined : book.view(order, now());
    },
    setGoodsStatus,
    completeRefund: (orderNumber) => {
      const view = viewOf(orderNumber);
      for (const goods of view.orderGoods) {
        if (goods.status === 'STATUS_REFUND_REQUESTED')
          book.setGoodsStatus(orderNumber, goods.orderGoodsId, 'STATUS_REFUND_COMPLETED', now());
      }
      nudgeWebhooks();
      return viewOf(orderNumber);
    },
    setPrice: (goodsId, itemId, price, day) => book.setPrice(goodsId, itemId, price, day),
    modifyGoods: (goodsId) => {
      const goods = book.modifyGoods(goodsId, now());
      webhooks.goodsUpdated(goodsId);
      nudgeWebhooks();
      return { goodsOptionItemIds: goods.options.flatMap((o) => o.items.map((i) => i.goodsOptionItemId)) };
    },
    revokeTokens: () => tokens.clear(),
    get tokensIssued() {
      return tokensIssued;
    },
    setWebhookTarget: (url) => webhooks.setTarget(url),
    flushWebhooks: () => webhooks.flush(),
    webhooksSent: webhooks.sent,
    close: () => {
      closed = true;
      webhooks.close();
      return server.close();
    },
  };
}
