/**
 * The real WAUG PARTNER API v1 client (API-NOTES §2). The wire work is HttpExchange's
 * (../http/exchange.ts), shared with the Yahoo client: the answer is size-capped while streaming
 * and we know whether a POST body was handed to the network (WaugError.details.mayHaveApplied).
 *
 *  - Token: POST /v1/token with HTTP Basic; cached, refreshed before expiry, shared by concurrent
 *    callers (one request in flight); on 101 dropped and fetched again once, then a clear error.
 *  - Envelope: decided by responseCode, never by HTTP status (a failure may come with 200).
 *  - Pacing: RequestPacer keeps us under 100 requests / 10 s so normal use never sees 111;
 *    order creation is exempt [seed]. A 111 anyway blocks everyone for a whole window, then retries.
 *
 * Nothing here logs: order bodies hold travellers' names, phones and emails, and the token and
 * secret are credentials. Error messages carry operation names, HTTP statuses and codes only.
 */
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { MiB } from '../http/body.js';
import { ExchangeError, failureDetails, HttpExchange, type ExchangeResponse } from '../http/exchange.js';
import { JsonSyntaxError, LosslessNumber, parseLosslessJson, stringifyLosslessJson } from '../http/json.js';
import {
  WaugError,
  waugCodeError,
  type WaugApi,
  type WaugCallOptions,
  type WaugComment,
  type WaugDateRange,
  type WaugErrorKind,
  type WaugGoods,
  type WaugGoodsSummary,
  type WaugOrder,
  type WaugOrderInfoGroup,
  type WaugOrderRequest,
  type WaugOrderValidation,
  type WaugPage,
  type WaugPrice,
} from './api.js';
import {
  fillWaugPath,
  isWaugFailureCode,
  WAUG_CLIENT_RATE_RESERVE,
  WAUG_COMMENTS_MAX_PAGE_SIZE,
  WAUG_ENDPOINTS,
  WAUG_ENVIRONMENTS,
  WAUG_RATE_LIMIT,
  WAUG_SUCCESS_CODE,
  type WaugEndpointName,
  type WaugEnvironment,
} from './constants.js';
import { PacerAbortedError, RequestPacer, realPacerClock, type PacerClock, type PacerLane } from './rateLimit.js';
import {
  describeWaugIssues,
  waugCommentSchema,
  waugEnvelopeSchema,
  waugGoodsSchema,
  waugGoodsSummarySchema,
  waugOrderInfoGroupSchema,
  waugOrderSchema,
  waugPriceSchema,
  waugTokenSchema,
  waugValidationSchema,
  type WaugEnvelope,
} from './schemas.js';
import { isWaugDate } from './time.js';

export interface WaugRateLimitConfig {
  /** WAUG's allowance per window. Default 100 [seed]. null: no client pacing (a 111 still waits). */
  limit?: number | null;
  /** WAUG's window. Default 10 000 ms [seed]. */
  windowMs?: number;
  /** Kept unused for other devices sharing the credentials. Default 5. */
  reserve?: number;
}

export interface WaugClientConfig {
  /** BETA or PRODUCTION (WAUG_ENVIRONMENTS); ignored when baseUrl is given. */
  environment?: WaugEnvironment;
  /** Explicit API host (the sandbox, a proxy). A path prefix is kept. */
  baseUrl?: string;
  clientId: string;
  clientSecret: string;
  /** Per-exchange budget (pacing waits are not counted). Default 15 000. */
  timeoutMs?: number;
  /** Response size cap. Default 8 MiB. */
  maxResponseBytes?: number;
  rateLimit?: WaugRateLimitConfig;
  /** How many times one call waits out a 111 before giving up. Default 2. */
  maxRateLimitRetries?: number;
  /** Refresh the token this long before it expires (at most 10 % of its lifetime). Default 5 min. */
  tokenRefreshMarginMs?: number;
  /** Clock for pacing and token expiry (injectable: tests run the production numbers on fake time). */
  clock?: PacerClock;
}

export const WAUG_CLIENT_DEFAULTS = Object.freeze({
  timeoutMs: 15_000,
  maxResponseBytes: 8 * MiB,
  maxRateLimitRetries: 2,
  tokenRefreshMarginMs: 5 * 60_000,
});

/** What the client has seen; figures only, no content. */
export interface WaugClientStats {
  /** HTTP exchanges started (token requests included). */
  requests: number;
  tokenRequests: number;
  /** Answers with responseCode 111. */
  rateLimited: number;
  /** Answers with responseCode 101. */
  authRefused: number;
}

export interface WaugClient extends WaugApi {
  readonly stats: Readonly<WaugClientStats>;
  /** The pacer in use (for figures and tests). */
  readonly pacer: RequestPacer;
  /** Drops idle keep-alive connections. Calls in flight are not affected. */
  close(): void;
}

export function createWaugClient(config: WaugClientConfig): WaugClient {
  return new HttpWaugClient(config);
}

type RawResponse = ExchangeResponse;

interface CachedToken {
  value: string;
  /** Clock ms after which a new one is fetched before use. */
  refreshAt: number;
}

interface CallSpec {
  endpoint: WaugEndpointName;
  operation: string;
  pathParams?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

/** Calls whose POST changes something at WAUG; a cut after sending may have applied them. */
const MUTATING: ReadonlySet<WaugEndpointName> = new Set(['createOrder', 'requestRefund']);

class HttpWaugClient implements WaugClient {
  readonly #basePath: string;
  readonly #http: HttpExchange;
  readonly #basicAuth: string;
  readonly #timeoutMs: number;
  readonly #maxRateLimitRetries: number;
  readonly #refreshMarginMs: number;
  readonly #windowMs: number;
  readonly #clock: PacerClock;
  readonly pacer: RequestPacer;
  readonly stats: WaugClientStats = { requests: 0, tokenRequests: 0, rateLimited: 0, authRefused: 0 };
  #token: CachedToken | null = null;
  #tokenInFlight: Promise<string> | null = null;

  constructor(config: WaugClientConfig) {
    const baseText =
      config.baseUrl ?? (config.environment === undefined ? undefined : WAUG_ENVIRONMENTS[config.environment]);
    if (baseText === undefined) throw new RangeError('WAUG client: an environment or a baseUrl is required');
    const base = new URL(baseText);
    if (base.protocol !== 'http:' && base.protocol !== 'https:')
      throw new RangeError('WAUG baseUrl must be http: or https:');
    if (!config.clientId || !config.clientSecret) throw new RangeError('WAUG clientId and clientSecret are required');
    if (config.clientId.includes(':')) throw new RangeError('WAUG clientId cannot contain ":" (HTTP Basic)');
    this.#basePath = base.pathname.replace(/\/+$/, '');
    this.#basicAuth = `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`, 'utf8').toString('base64')}`;
    this.#timeoutMs = positive(config.timeoutMs, WAUG_CLIENT_DEFAULTS.timeoutMs, 'timeoutMs');
    const maxResponseBytes = positive(
      config.maxResponseBytes,
      WAUG_CLIENT_DEFAULTS.maxResponseBytes,
      'maxResponseBytes',
    );
    this.#http = new HttpExchange({ baseUrl: base, maxSockets: 16, maxResponseBytes });
    this.#maxRateLimitRetries = config.maxRateLimitRetries ?? WAUG_CLIENT_DEFAULTS.maxRateLimitRetries;
    this.#refreshMarginMs = config.tokenRefreshMarginMs ?? WAUG_CLIENT_DEFAULTS.tokenRefreshMarginMs;
    this.#clock = config.clock ?? realPacerClock;
    const windowMs = positive(config.rateLimit?.windowMs, WAUG_RATE_LIMIT.windowMs, 'rateLimit.windowMs');
    const allowance = config.rateLimit?.limit === undefined ? WAUG_RATE_LIMIT.limit : config.rateLimit.limit;
    const reserve = config.rateLimit?.reserve ?? WAUG_CLIENT_RATE_RESERVE;
    this.#windowMs = windowMs;
    this.pacer = new RequestPacer({
      limit: allowance === null ? null : Math.max(1, allowance - reserve),
      windowMs,
      clock: this.#clock,
    });
  }

  close(): void {
    this.#http.close();
  }

  // ---- WaugApi -------------------------------------------------------------------------------

  async listGoods(
    query: { page?: number; size?: number } = {},
    options?: WaugCallOptions,
  ): Promise<WaugPage<WaugGoodsSummary>> {
    const envelope = await this.#call(
      { endpoint: 'listGoods', operation: 'listGoods', query: pageQuery(query, 1000) },
      options,
    );
    const items = this.#data('listGoods', envelope, z.array(waugGoodsSummarySchema));
    return { count: envelope.count ?? items.length, items };
  }

  async getGoods(goodsId: string, options?: WaugCallOptions): Promise<WaugGoods> {
    const envelope = await this.#call(
      { endpoint: 'getGoods', operation: 'getGoods', pathParams: { goodsId: idParam(goodsId, 'goodsId') } },
      options,
    );
    return this.#data('getGoods', envelope, waugGoodsSchema);
  }

  async getGoodsPrices(goodsId: string, range: WaugDateRange, options?: WaugCallOptions): Promise<WaugPrice[]> {
    const envelope = await this.#call(
      {
        endpoint: 'getGoodsPrices',
        operation: 'getGoodsPrices',
        pathParams: { goodsId: idParam(goodsId, 'goodsId') },
        query: rangeQuery(range),
      },
      options,
    );
    return this.#data('getGoodsPrices', envelope, z.array(waugPriceSchema));
  }

  async getGoodsOrderInfos(goodsId: string, options?: WaugCallOptions): Promise<WaugOrderInfoGroup[]> {
    const envelope = await this.#call(
      {
        endpoint: 'getGoodsOrderInfos',
        operation: 'getGoodsOrderInfos',
        pathParams: { goodsId: idParam(goodsId, 'goodsId') },
      },
      options,
    );
    return this.#data('getGoodsOrderInfos', envelope, z.array(waugOrderInfoGroupSchema));
  }

  async getGoodsComments(
    goodsId: string,
    query: { page?: number; size?: number } = {},
    options?: WaugCallOptions,
  ): Promise<WaugPage<WaugComment>> {
    const envelope = await this.#call(
      {
        endpoint: 'getGoodsComments',
        operation: 'getGoodsComments',
        pathParams: { goodsId: idParam(goodsId, 'goodsId') },
        query: pageQuery(query, WAUG_COMMENTS_MAX_PAGE_SIZE),
      },
      options,
    );
    const items = this.#data('getGoodsComments', envelope, z.array(waugCommentSchema));
    return { count: envelope.count ?? items.length, items };
  }

  async validateOrder(request: WaugOrderRequest, options?: WaugCallOptions): Promise<WaugOrderValidation> {
    const envelope = await this.#call(
      { endpoint: 'validateOrder', operation: 'validateOrder', body: orderRequestBody(request) },
      options,
    );
    return this.#data('validateOrder', envelope, waugValidationSchema);
  }

  async createOrder(request: WaugOrderRequest, options?: WaugCallOptions): Promise<WaugOrder> {
    const envelope = await this.#call(
      { endpoint: 'createOrder', operation: 'createOrder', body: orderRequestBody(request) },
      options,
    );
    return this.#data('createOrder', envelope, waugOrderSchema, true);
  }

  async listOrders(range: WaugDateRange, options?: WaugCallOptions): Promise<WaugOrder[]> {
    const envelope = await this.#call(
      { endpoint: 'listOrders', operation: 'listOrders', query: rangeQuery(range) },
      options,
    );
    return this.#data('listOrders', envelope, z.array(waugOrderSchema));
  }

  getOrder(orderNumber: string, options?: WaugCallOptions): Promise<WaugOrder | null> {
    return this.#orderOrNull(
      {
        endpoint: 'getOrder',
        operation: 'getOrder',
        pathParams: { orderNumber: textParam(orderNumber, 'orderNumber') },
      },
      options,
    );
  }

  getOrderByPartnerNumber(partnerOrderNumber: string, options?: WaugCallOptions): Promise<WaugOrder | null> {
    return this.#orderOrNull(
      {
        endpoint: 'getOrderByPartnerNumber',
        operation: 'getOrderByPartnerNumber',
        pathParams: { partnerOrderNumber: textParam(partnerOrderNumber, 'partnerOrderNumber') },
      },
      options,
    );
  }

  async requestRefund(orderNumber: string, reason?: string, options?: WaugCallOptions): Promise<WaugOrder> {
    const body: Record<string, string> = {};
    if (reason !== undefined && reason.trim() !== '') body.reason = reason.trim().slice(0, 1000);
    const envelope = await this.#call(
      {
        endpoint: 'requestRefund',
        operation: 'requestRefund',
        pathParams: { orderNumber: textParam(orderNumber, 'orderNumber') },
        body,
      },
      options,
    );
    // No webhook follows [seed]: when the answer carries no order, read it back ourselves.
    if (isEmptyData(envelope.data)) {
      const order = await this.getOrder(orderNumber, options);
      if (order === null) {
        throw new WaugError('malformed', 'WAUG requestRefund: accepted, but the order could not be read back', {
          mayHaveApplied: true,
        });
      }
      return order;
    }
    return this.#data('requestRefund', envelope, waugOrderSchema, true);
  }

  // ---- plumbing ------------------------------------------------------------------------------

  async #orderOrNull(spec: CallSpec, options: WaugCallOptions | undefined): Promise<WaugOrder | null> {
    try {
      const envelope = await this.#call(spec, options);
      return this.#data(spec.operation, envelope, waugOrderSchema);
    } catch (error) {
      if (error instanceof WaugError && error.kind === 'not_found') return null;
      throw error;
    }
  }

  #data<S extends z.ZodType>(operation: string, envelope: WaugEnvelope, schema: S, mutating = false): z.output<S> {
    const parsed = schema.safeParse(envelope.data);
    if (!parsed.success) {
      throw new WaugError(
        'malformed',
        `WAUG ${operation}: data has the wrong shape (${describeWaugIssues(parsed.error)})`,
        { mayHaveApplied: mutating, responseCode: envelope.responseCode },
      );
    }
    return parsed.data;
  }

  /** One logical call: token, pacing, the exchange, and the 101 / 111 recoveries. */
  async #call(spec: CallSpec, options: WaugCallOptions | undefined): Promise<WaugEnvelope> {
    const endpoint = WAUG_ENDPOINTS[spec.endpoint];
    const mutating = MUTATING.has(spec.endpoint);
    const body = spec.body === undefined ? null : Buffer.from(stringifyLosslessJson(spec.body), 'utf8');
    let target = this.#basePath + fillWaugPath(endpoint.path, spec.pathParams);
    if (spec.query !== undefined && Object.keys(spec.query).length > 0)
      target += `?${new URLSearchParams(spec.query).toString()}`;

    let authRetried = false;
    let rateRetries = 0;
    for (;;) {
      const token = await this.#bearer(options?.signal);
      const lane = options?.background === true ? 'background' : 'interactive';
      const raw = await this.#paced(endpoint.rateLimited, options?.signal, spec.operation, lane, () =>
        this.#exchange(spec.operation, endpoint.method, target, body, `Bearer ${token}`, mutating, options),
      );
      const envelope = readEnvelope(spec.operation, raw, mutating);
      const code = envelope.responseCode;
      if (code === WAUG_SUCCESS_CODE) return envelope;
      if (code === '101') {
        this.stats.authRefused += 1;
        if (!authRetried) {
          authRetried = true;
          this.#dropToken(token);
          continue;
        }
        throw new WaugError(
          'invalid_authentication',
          `WAUG ${spec.operation}: WAUG refused our authentication even with a fresh token (code 101). Check the WAUG client id and client secret in the settings.`,
          { mayHaveApplied: false, httpStatus: raw.status, responseCode: code },
        );
      }
      if (code === '111') {
        this.stats.rateLimited += 1;
        if (rateRetries < this.#maxRateLimitRetries) {
          rateRetries += 1;
          this.#waitOutRateLimit();
          continue;
        }
      }
      throw failureFor(spec.operation, envelope, raw.status, mutating);
    }
  }

  /**
   * After a 111 we cannot know where WAUG's 10 s block began, only that it ends within one
   * window from now: hold every caller back for a whole window (plus 2 %), never retry at once.
   */
  #waitOutRateLimit(): void {
    this.pacer.blockFor(Math.ceil(this.#windowMs * 1.02));
  }

  async #paced<T>(
    rateLimited: boolean,
    signal: AbortSignal | undefined,
    operation: string,
    lane: PacerLane,
    run: () => Promise<T>,
  ): Promise<T> {
    if (!rateLimited) {
      // Exempt from WAUG's limit [seed], but not from a 111 block: wait it out like everyone.
      const wait = this.pacer.blockedUntil - this.#clock.now();
      if (wait > 0) await this.#clock.sleep(wait, signal ?? new AbortController().signal);
      return run();
    }
    let release: () => void;
    try {
      release = await this.pacer.acquire(signal, lane);
    } catch (error) {
      if (error instanceof PacerAbortedError) {
        const reason: unknown = signal?.reason;
        const timeout = reason instanceof Error && reason.name === 'TimeoutError';
        throw new WaugError(
          timeout ? 'timeout' : 'network',
          `WAUG ${operation}: ${timeout ? 'timed out' : 'cancelled'} while waiting for a request slot`,
          {
            mayHaveApplied: false,
            cause: reason,
          },
        );
      }
      throw error;
    }
    try {
      return await run();
    } finally {
      release();
    }
  }

  async #bearer(signal: AbortSignal | undefined): Promise<string> {
    const token = this.#token;
    if (token !== null && this.#clock.now() < token.refreshAt) return token.value;
    // Concurrent callers share one token request.
    this.#tokenInFlight ??= this.#fetchToken(signal).finally(() => {
      this.#tokenInFlight = null;
    });
    return this.#tokenInFlight;
  }

  #dropToken(used: string): void {
    if (this.#token?.value === used) this.#token = null;
  }

  async #fetchToken(signal: AbortSignal | undefined): Promise<string> {
    const endpoint = WAUG_ENDPOINTS.token;
    const target = this.#basePath + endpoint.path;
    let rateRetries = 0;
    for (;;) {
      const startedAt = this.#clock.now();
      this.stats.tokenRequests += 1;
      // The token always goes first: every lane waits for it.
      const raw = await this.#paced(endpoint.rateLimited, signal, 'token', 'interactive', () =>
        this.#exchange('token', endpoint.method, target, null, this.#basicAuth, false, {}),
      );
      const json = readJson('token', raw, false);
      // [decision] The token may come bare (as in the seed) or inside an envelope's data.
      let tokenBody: unknown = json;
      if (typeof json === 'object' && json !== null && 'responseCode' in json) {
        const envelope = parseEnvelope('token', json, raw.status, false);
        if (envelope.responseCode === '111' && rateRetries < this.#maxRateLimitRetries) {
          this.stats.rateLimited += 1;
          rateRetries += 1;
          this.#waitOutRateLimit();
          continue;
        }
        if (envelope.responseCode === '101') {
          this.stats.authRefused += 1;
          throw new WaugError(
            'invalid_authentication',
            'WAUG token: WAUG refused the client id and client secret (code 101). Check them in the settings.',
            { mayHaveApplied: false, httpStatus: raw.status, responseCode: '101' },
          );
        }
        if (envelope.responseCode !== WAUG_SUCCESS_CODE) throw failureFor('token', envelope, raw.status, false);
        tokenBody = envelope.data;
      } else if (raw.status >= 400) {
        throw new WaugError(
          raw.status === 401 ? 'invalid_authentication' : 'upstream',
          raw.status === 401
            ? 'WAUG token: WAUG refused the client id and client secret (HTTP 401). Check them in the settings.'
            : `WAUG token: answered HTTP ${raw.status}`,
          { mayHaveApplied: false, httpStatus: raw.status },
        );
      }
      const parsed = waugTokenSchema.safeParse(tokenBody);
      if (!parsed.success) {
        throw new WaugError(
          'malformed',
          `WAUG token: answer has the wrong shape (${describeWaugIssues(parsed.error)})`,
          { mayHaveApplied: false, httpStatus: raw.status },
        );
      }
      const lifetimeMs = parsed.data.expiresIn * 1000;
      const margin = Math.min(this.#refreshMarginMs, lifetimeMs / 10);
      this.#token = { value: parsed.data.accessToken, refreshAt: startedAt + lifetimeMs - margin };
      return parsed.data.accessToken;
    }
  }

  /** One HTTP request with its own time budget (pacing waits are not counted). */
  async #exchange(
    operation: string,
    method: 'GET' | 'POST',
    target: string,
    body: Buffer | null,
    authorization: string,
    mutating: boolean,
    options: WaugCallOptions | undefined,
  ): Promise<RawResponse> {
    const timeoutMs = positive(options?.timeoutMs, this.#timeoutMs, 'timeoutMs');
    try {
      return await this.#http.send({
        method,
        target,
        headers: { Authorization: authorization },
        body,
        mutating,
        deadline: performance.now() + timeoutMs,
        signal: options?.signal,
        // Counted per attempt, so a stale-socket resend counts as the second request it is.
        onAttempt: () => {
          this.stats.requests += 1;
        },
      });
    } catch (error) {
      if (!(error instanceof ExchangeError)) throw error;
      throw new WaugError(error.kind, `WAUG ${operation}: ${error.message}`, failureDetails(error));
    }
  }
}

// ---- helpers -----------------------------------------------------------------------------------

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`WAUG client: ${name} must be a positive number`);
  return value;
}

function readJson(operation: string, raw: RawResponse, mutating: boolean): unknown {
  try {
    return parseLosslessJson(raw.body);
  } catch (error) {
    const what = error instanceof JsonSyntaxError ? error.message : 'not readable';
    // A gateway's HTML error page is an upstream failure, not WAUG speaking nonsense.
    const kind: WaugErrorKind = raw.status >= 400 ? 'upstream' : 'malformed';
    throw new WaugError(kind, `WAUG ${operation}: answer is ${what} (HTTP ${raw.status})`, {
      mayHaveApplied: mutating && raw.status >= 500,
      httpStatus: raw.status,
    });
  }
}

function parseEnvelope(operation: string, json: unknown, status: number, mutating: boolean): WaugEnvelope {
  const parsed = waugEnvelopeSchema.safeParse(json);
  if (!parsed.success) {
    const kind: WaugErrorKind = status >= 400 ? 'upstream' : 'malformed';
    throw new WaugError(
      kind,
      `WAUG ${operation}: answer is not a WAUG envelope (HTTP ${status}; ${describeWaugIssues(parsed.error)})`,
      { mayHaveApplied: mutating && status >= 500, httpStatus: status },
    );
  }
  return parsed.data;
}

function readEnvelope(operation: string, raw: RawResponse, mutating: boolean): WaugEnvelope {
  return parseEnvelope(operation, readJson(operation, raw, mutating), raw.status, mutating);
}

function failureFor(operation: string, envelope: WaugEnvelope, httpStatus: number, mutating: boolean): WaugError {
  const code = envelope.responseCode;
  if (isWaugFailureCode(code)) {
    // 108: WAUG itself timed out; a create or refund behind it may or may not have happened.
    return waugCodeError(operation, code, {
      mayHaveApplied: mutating && code === '108',
      httpStatus,
      ...(envelope.message === null ? {} : { upstreamMessage: envelope.message }),
    });
  }
  return new WaugError('unknown_code', `WAUG ${operation}: failed with an unknown response code ${code}`, {
    mayHaveApplied: mutating,
    httpStatus,
    responseCode: code,
  });
}

function isEmptyData(data: unknown): boolean {
  if (data === undefined || data === null) return true;
  if (Array.isArray(data)) return data.length === 0;
  return typeof data === 'object' && Object.keys(data).length === 0;
}

function idParam(value: string, name: string): string {
  if (!/^\d{1,40}$/.test(value)) throw new RangeError(`WAUG: ${name} must be digits`);
  return value;
}

function textParam(value: string, name: string): string {
  const text = value.trim();
  if (text === '' || text.length > 100) throw new RangeError(`WAUG: ${name} must be 1–100 characters`);
  return text;
}

function pageQuery(query: { page?: number; size?: number }, maxSize: number): Record<string, string> {
  const out: Record<string, string> = {};
  if (query.page !== undefined) {
    if (!Number.isInteger(query.page) || query.page < 1) throw new RangeError('WAUG: page must be an integer ≥ 1');
    out.page = String(query.page);
  }
  if (query.size !== undefined) {
    if (!Number.isInteger(query.size) || query.size < 1 || query.size > maxSize)
      throw new RangeError(`WAUG: size must be an integer from 1 to ${maxSize}`);
    out.size = String(query.size);
  }
  return out;
}

function rangeQuery(range: WaugDateRange): Record<string, string> {
  if (!isWaugDate(range.startDate) || !isWaugDate(range.endDate))
    throw new RangeError('WAUG: startDate and endDate must be yyyy-MM-dd');
  if (range.startDate > range.endDate) throw new RangeError('WAUG: startDate is after endDate');
  return { startDate: range.startDate, endDate: range.endDate };
}

const DECIMAL = /^\d+(\.\d+)?$/;

/** Integer ids and prices go out as bare JSON numbers, digit for digit, as in the seed example. */
function number(text: string, name: string, pattern: RegExp = /^\d{1,40}$/): LosslessNumber {
  if (!pattern.test(text)) throw new RangeError(`WAUG order: ${name} is not a valid number`);
  return new LosslessNumber(text);
}

function orderRequestBody(request: WaugOrderRequest): Record<string, unknown> {
  if (request.partnerOrderNumber.trim() === '') throw new RangeError('WAUG order: partnerOrderNumber is required');
  if (request.orderGoods.length === 0) throw new RangeError('WAUG order: at least one goods is needed');
  return {
    partnerOrderNumber: request.partnerOrderNumber.trim(),
    locale: request.locale,
    orderGoods: request.orderGoods.map((goods) => {
      if (!isWaugDate(goods.useDate)) throw new RangeError('WAUG order: useDate must be yyyy-MM-dd');
      const entry: Record<string, unknown> = { goodsId: number(goods.goodsId, 'goodsId'), useDate: goods.useDate };
      if (goods.additionalInput !== undefined) entry.additionalInput = goods.additionalInput;
      entry.orderOptions = goods.orderOptions.map((option) => {
        if (!Number.isInteger(option.quantity) || option.quantity < 1)
          throw new RangeError('WAUG order: quantity must be a positive integer');
        return {
          goodsOptionId: number(option.goodsOptionId, 'goodsOptionId'),
          goodsOptionItemId: number(option.goodsOptionItemId, 'goodsOptionItemId'),
          quantity: option.quantity,
          price: number(option.price, 'price', DECIMAL),
          goodsOptionTimeslotId: number(option.goodsOptionTimeslotId ?? '0', 'goodsOptionTimeslotId'),
        };
      });
      entry.orderInfos = goods.orderInfos.map((info) => ({
        fieldId: number(info.fieldId, 'fieldId'),
        groupCategory: info.groupCategory,
        values: [...info.values],
      }));
      return entry;
    }),
    orderInfos: request.orderInfos.map((info) => ({
      fieldId: number(info.fieldId, 'fieldId'),
      groupCategory: info.groupCategory,
      values: [...info.values],
    })),
  };
}
