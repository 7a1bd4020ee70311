/**
 * The real Yahoo stauth2 client (API-NOTES §1). The wire work (size cap, deadline, whether the
 * POST body was sent, the stale-socket resend) is HttpExchange's (../http/exchange.ts); this file
 * keeps what is Yahoo's: the signed target, the clock offset from the Date header, the answers,
 * and YahooError.details.mayHaveApplied for a redeem whose answer never came.
 *
 * Nothing here logs: request and response bodies hold buyers' names and phones, and the
 * target holds the ApiKey. Error messages carry status codes and Yahoo's error code only.
 */
import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import { MiB } from '../http/body.js';
import { ExchangeError, failureDetails, HttpExchange, type ExchangeResponse } from '../http/exchange.js';
import {
  YahooError,
  type CallOptions,
  type RedeemedVoucher,
  type RedeemItem,
  type VoucherPage,
  type VoucherQuery,
  type YahooApi,
  type YahooErrorKind,
} from './api.js';
import { YAHOO_CLOCK_RETRY_THRESHOLD_MS, YAHOO_CODES, YAHOO_PATHS, YAHOO_QUERY_FILTER_ORDER } from './constants.js';
import { JsonSyntaxError, parseLosslessJson } from '../http/json.js';
import { formatYahooQueryTime } from './queryTime.js';
import {
  describeSchemaIssues,
  yahooErrorBodySchema,
  yahooQueryResponseSchema,
  yahooRedeemResponseSchema,
} from './schemas.js';
import {
  resolveSigningOptions,
  signatureData,
  signYahoo,
  YAHOO_SIGNATURE_HEADER,
  type YahooSigningOptions,
} from './sign.js';

export interface YahooClientConfig {
  /** API host, e.g. "https://tw.ews.mall.yahooapis.com" (a path prefix is kept and signed). */
  baseUrl: string;
  apiKey: string;
  sharedSecret: string;
  /** Defaults to YAHOO_SIGNING_DEFAULTS (HMAC-SHA1, lowercase hex). */
  signing?: Partial<YahooSigningOptions>;
  /** Whole-call budget, including the one clock retry. Default 8000. */
  timeoutMs?: number;
  /** Response size cap. Default 4 MiB. */
  maxResponseBytes?: number;
  /** The local clock in Unix ms (injectable for tests). Default Date.now. */
  now?: () => number;
  /** Starting offset (Yahoo clock − local clock), e.g. remembered from the last session. Default 0. */
  clockOffsetMs?: number;
}

export const YAHOO_CLIENT_DEFAULTS = Object.freeze({
  timeoutMs: 8_000,
  maxResponseBytes: 4 * MiB,
});

export interface YahooClient extends YahooApi {
  /** Yahoo's clock minus ours, in ms, from the Date header of the latest Yahoo response. */
  readonly clockOffsetMs: number;
  /** Drops idle keep-alive connections. Calls still in flight are not affected. */
  close(): void;
}

type Operation = 'query' | 'redeem';

type RawResponse = ExchangeResponse;

export function createYahooClient(config: YahooClientConfig): YahooClient {
  return new HttpYahooClient(config);
}

class HttpYahooClient implements YahooClient {
  readonly #basePath: string;
  readonly #http: HttpExchange;
  readonly #apiKey: string;
  readonly #secret: string;
  readonly #signing: YahooSigningOptions;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  #clockOffsetMs: number;

  constructor(config: YahooClientConfig) {
    const base = new URL(config.baseUrl);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new RangeError('Yahoo baseUrl must be http: or https:');
    }
    if (!config.apiKey || !config.sharedSecret) throw new RangeError('Yahoo apiKey and sharedSecret are required');
    this.#basePath = base.pathname.replace(/\/+$/, '');
    this.#apiKey = config.apiKey;
    this.#secret = config.sharedSecret;
    this.#signing = resolveSigningOptions(config.signing);
    this.#timeoutMs = positive(config.timeoutMs, YAHOO_CLIENT_DEFAULTS.timeoutMs, 'timeoutMs');
    const maxResponseBytes = positive(
      config.maxResponseBytes,
      YAHOO_CLIENT_DEFAULTS.maxResponseBytes,
      'maxResponseBytes',
    );
    this.#http = new HttpExchange({ baseUrl: base, maxSockets: 8, maxResponseBytes });
    this.#now = config.now ?? Date.now;
    this.#clockOffsetMs = config.clockOffsetMs ?? 0;
  }

  get clockOffsetMs(): number {
    return this.#clockOffsetMs;
  }

  close(): void {
    this.#http.close();
  }

  async queryVouchers(query: VoucherQuery, options?: CallOptions): Promise<VoucherPage> {
    const raw = await this.#call('query', 'GET', YAHOO_PATHS.queryVouchers, queryFilters(query), null, options);
    if (raw.status >= 200 && raw.status < 300) {
      return parseSuccess('query', raw, yahooQueryResponseSchema, false);
    }
    const error = readErrorBody(raw.body);
    if (raw.status === 404 && error?.code === YAHOO_CODES.noVouchersFound) return { total: 0, vouchers: [] };
    throw errorFor('query', raw.status, error, false);
  }

  async redeem(items: readonly RedeemItem[], options?: CallOptions): Promise<RedeemedVoucher[]> {
    const body = Buffer.from(JSON.stringify(redeemBody(items)), 'utf8');
    const raw = await this.#call('redeem', 'POST', YAHOO_PATHS.redeem, [], body, options);
    if (raw.status >= 200 && raw.status < 300) {
      // Yahoo said 200: it applied the batch, even if we cannot read what it said.
      return parseSuccess('redeem', raw, yahooRedeemResponseSchema, true).vouchers;
    }
    const error = readErrorBody(raw.body);
    if (raw.status === 400 && error?.code === YAHOO_CODES.redeemFailed) {
      throw new YahooError('redeem_failed', 'Yahoo redeem: refused (12001, no reason given)', {
        mayHaveApplied: false,
        httpStatus: raw.status,
        yahooCode: error.code,
      });
    }
    throw errorFor('redeem', raw.status, error, raw.status >= 500);
  }

  /** One call: sign and send; on a 401 that the Date header explains, once more with the corrected clock. */
  async #call(
    operation: Operation,
    method: 'GET' | 'POST',
    path: string,
    filters: readonly (readonly [string, string])[],
    body: Buffer | null,
    options: CallOptions | undefined,
  ): Promise<RawResponse> {
    const timeoutMs = positive(options?.timeoutMs, this.#timeoutMs, 'timeoutMs');
    const deadline = performance.now() + timeoutMs;
    const offsetUsed = this.#clockOffsetMs;
    const first = await this.#exchange(
      operation,
      method,
      this.#target(path, filters, offsetUsed),
      body,
      deadline,
      options?.signal,
    );
    if (first.status === 401 && Math.abs(this.#clockOffsetMs - offsetUsed) > YAHOO_CLOCK_RETRY_THRESHOLD_MS) {
      return this.#exchange(
        operation,
        method,
        this.#target(path, filters, this.#clockOffsetMs),
        body,
        deadline,
        options?.signal,
      );
    }
    return first;
  }

  #target(path: string, filters: readonly (readonly [string, string])[], offsetMs: number): string {
    const timeStamp = Math.floor((this.#now() + offsetMs) / 1000);
    const parts = [`TimeStamp=${timeStamp}`, `ApiKey=${encodeURIComponent(this.#apiKey)}`];
    for (const [name, value] of filters) parts.push(`${name}=${value}`);
    return `${this.#basePath}${path}?${parts.join('&')}`;
  }

  /** One signed request. The deadline is the whole call's, shared with a clock retry. */
  async #exchange(
    operation: Operation,
    method: 'GET' | 'POST',
    target: string,
    body: Buffer | null,
    deadline: number,
    signal: AbortSignal | undefined,
  ): Promise<RawResponse> {
    const signature = signYahoo(signatureData(target, body), this.#secret, this.#signing);
    try {
      return await this.#http.send({
        method,
        target,
        headers: { [YAHOO_SIGNATURE_HEADER]: signature },
        body,
        mutating: method === 'POST', // Yahoo's only POST is redeem
        deadline,
        signal,
        // Every answer, even one refused for its size, tells us Yahoo's clock.
        onResponse: (_status, headers) => this.#takeClockFrom(headers.date),
      });
    } catch (error) {
      if (!(error instanceof ExchangeError)) throw error;
      throw new YahooError(error.kind, `Yahoo ${operation}: ${error.message}`, failureDetails(error));
    }
  }

  #takeClockFrom(dateHeader: string | undefined): void {
    if (dateHeader === undefined) return;
    const yahooMs = Date.parse(dateHeader);
    if (!Number.isFinite(yahooMs)) return;
    // The Date header is truncated to the second: +500 ms centres the estimate.
    this.#clockOffsetMs = yahooMs + 500 - this.#now();
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`Yahoo client: ${name} must be a positive number`);
  return value;
}

/** The query string after TimeStamp and ApiKey: filters in YAHOO_QUERY_FILTER_ORDER, already encoded. */
export function queryFilters(query: VoucherQuery): [string, string][] {
  const filters: [string, string][] = [];
  for (const name of YAHOO_QUERY_FILTER_ORDER) {
    const value = query[name];
    if (value === undefined) continue;
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw new RangeError(`Yahoo query: ${name} is not a valid date`);
      filters.push([name, encodeURIComponent(formatYahooQueryTime(value))]);
    } else if (name === 'status') {
      const statuses = value as readonly string[];
      // The seed writes the list with bare commas: status=UNUSED,USED.
      if (statuses.length > 0) filters.push([name, statuses.map(encodeURIComponent).join(',')]);
    } else {
      const text = value as string;
      if (text.length === 0) throw new RangeError(`Yahoo query: ${name} is empty`);
      filters.push([name, encodeURIComponent(text)]);
    }
  }
  return filters;
}

function redeemBody(items: readonly RedeemItem[]): { vouchers: Record<string, string>[] } {
  if (items.length === 0) throw new RangeError('Yahoo redeem: at least one voucher is needed');
  return {
    vouchers: items.map((item) => {
      if (!item.orderId || !item.serialNumber)
        throw new RangeError('Yahoo redeem: orderId and serialNumber are required');
      // Field order as in the seed example.
      const entry: Record<string, string> = { orderId: item.orderId };
      if (item.orderItemId !== undefined && item.orderItemId !== '') entry.orderItemId = item.orderItemId;
      entry.serialNumber = item.serialNumber;
      entry.redeemAt = item.redeemAt;
      return entry;
    }),
  };
}

function parseSuccess<S extends z.ZodType>(
  operation: Operation,
  raw: RawResponse,
  schema: S,
  mayHaveApplied: boolean,
): z.output<S> {
  let json: unknown;
  try {
    json = parseLosslessJson(raw.body);
  } catch (error) {
    const what = error instanceof JsonSyntaxError ? error.message : 'not readable';
    throw new YahooError('malformed', `Yahoo ${operation}: answer is ${what} (HTTP ${raw.status})`, {
      mayHaveApplied,
      httpStatus: raw.status,
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new YahooError(
      'malformed',
      `Yahoo ${operation}: answer has the wrong shape (${describeSchemaIssues(parsed.error)})`,
      {
        mayHaveApplied,
        httpStatus: raw.status,
      },
    );
  }
  return parsed.data;
}

interface ErrorInfo {
  code: number;
  message: string | null;
}

function readErrorBody(body: Buffer): ErrorInfo | null {
  try {
    const parsed = yahooErrorBodySchema.safeParse(parseLosslessJson(body));
    return parsed.success ? parsed.data.error : null;
  } catch {
    return null;
  }
}

function errorFor(operation: Operation, status: number, error: ErrorInfo | null, mayHaveApplied: boolean): YahooError {
  const kind: YahooErrorKind = status === 401 ? 'auth' : 'upstream';
  const said = error === null ? '' : ` (Yahoo code ${error.code}${error.message ? `: ${clip(error.message)}` : ''})`;
  const details: ConstructorParameters<typeof YahooError>[2] = { mayHaveApplied, httpStatus: status };
  if (error !== null) details.yahooCode = error.code;
  const what = status === 401 ? 'refused our signature, key or clock' : `answered HTTP ${status}`;
  return new YahooError(kind, `Yahoo ${operation}: ${what}${said}`, details);
}

function clip(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return clean.length > 120 ? `${clean.slice(0, 117)}...` : clean;
}
