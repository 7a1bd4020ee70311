/**
 * The real Yahoo stauth2 client (API-NOTES §1). node:http/https directly, not fetch, so that:
 *  - the response size is capped while streaming (the request is aborted past the cap);
 *  - we know whether the POST body was fully handed to the network, which decides
 *    YahooError.details.mayHaveApplied for a redeem whose answer never came.
 *
 * Nothing here logs: request and response bodies hold buyers' names and phones, and the
 * target holds the ApiKey. Error messages carry status codes and Yahoo's error code only.
 */
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import { BodyTooLargeError, MiB, readCappedBody } from '../http/body.js';
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

interface RawResponse {
  status: number;
  body: Buffer;
}

const NETWORK_CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);

export function createYahooClient(config: YahooClientConfig): YahooClient {
  return new HttpYahooClient(config);
}

class HttpYahooClient implements YahooClient {
  readonly #base: URL;
  readonly #basePath: string;
  readonly #transport: typeof http | typeof https;
  readonly #agent: http.Agent;
  readonly #apiKey: string;
  readonly #secret: string;
  readonly #signing: YahooSigningOptions;
  readonly #timeoutMs: number;
  readonly #maxResponseBytes: number;
  readonly #now: () => number;
  #clockOffsetMs: number;

  constructor(config: YahooClientConfig) {
    const base = new URL(config.baseUrl);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new RangeError('Yahoo baseUrl must be http: or https:');
    }
    if (!config.apiKey || !config.sharedSecret) throw new RangeError('Yahoo apiKey and sharedSecret are required');
    this.#base = base;
    this.#basePath = base.pathname.replace(/\/+$/, '');
    this.#transport = base.protocol === 'https:' ? https : http;
    this.#agent = new this.#transport.Agent({ keepAlive: true, maxSockets: 8 });
    this.#apiKey = config.apiKey;
    this.#secret = config.sharedSecret;
    this.#signing = resolveSigningOptions(config.signing);
    this.#timeoutMs = positive(config.timeoutMs, YAHOO_CLIENT_DEFAULTS.timeoutMs, 'timeoutMs');
    this.#maxResponseBytes = positive(
      config.maxResponseBytes,
      YAHOO_CLIENT_DEFAULTS.maxResponseBytes,
      'maxResponseBytes',
    );
    this.#now = config.now ?? Date.now;
    this.#clockOffsetMs = config.clockOffsetMs ?? 0;
  }

  get clockOffsetMs(): number {
    return this.#clockOffsetMs;
  }

  close(): void {
    this.#agent.destroy();
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

  #exchange(
    operation: Operation,
    method: 'GET' | 'POST',
    target: string,
    body: Buffer | null,
    deadline: number,
    signal: AbortSignal | undefined,
    staleRetry = true,
  ): Promise<RawResponse> {
    const mutating = method === 'POST';
    const signature = signYahoo(signatureData(target, body), this.#secret, this.#signing);
    const headers: http.OutgoingHttpHeaders = {
      Accept: 'application/json',
      [YAHOO_SIGNATURE_HEADER]: signature,
    };
    if (body !== null) {
      headers['Content-Type'] = 'application/json; charset=utf-8';
      headers['Content-Length'] = body.length;
    }

    return new Promise<RawResponse>((resolve, reject) => {
      let settled = false;
      let bodySent = false;
      let status: number | undefined;

      const mayHaveApplied = (): boolean => {
        if (!mutating) return false;
        // A 4xx means Yahoo refused the request; anything else after sending may have been applied.
        if (status !== undefined) return !(status >= 400 && status < 500);
        return bodySent;
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (kind: YahooErrorKind, message: string, cause?: unknown): void => {
        if (settled) return;
        settled = true;
        cleanup();
        const details: ConstructorParameters<typeof YahooError>[2] = { mayHaveApplied: mayHaveApplied() };
        if (status !== undefined) details.httpStatus = status;
        if (cause !== undefined) details.cause = cause;
        reject(new YahooError(kind, `Yahoo ${operation}: ${message}`, details));
        req.destroy();
      };
      const onAbort = (): void => {
        const reason: unknown = signal?.reason;
        const isTimeout = reason instanceof Error && reason.name === 'TimeoutError';
        fail(
          isTimeout ? 'timeout' : 'network',
          isTimeout ? 'timed out (caller deadline)' : 'cancelled by the caller',
          reason,
        );
      };

      const req = this.#transport.request({
        protocol: this.#base.protocol,
        hostname: this.#base.hostname.replace(/^\[(.*)\]$/, '$1'), // URL keeps IPv6 brackets; http does not want them
        port: this.#base.port || undefined,
        path: target,
        method,
        headers,
        agent: this.#agent,
      });

      req.on('finish', () => {
        bodySent = true;
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        const code = error.code ?? '';
        // A kept-alive socket the server had just closed: the GET never reached it; ask again once,
        // on a fresh socket (Node's documented pattern). A POST is never resent here.
        if (
          !settled &&
          staleRetry &&
          !mutating &&
          status === undefined &&
          req.reusedSocket &&
          (code === 'ECONNRESET' || code === 'EPIPE')
        ) {
          settled = true;
          cleanup();
          resolve(this.#exchange(operation, method, target, body, deadline, signal, false));
          return;
        }
        if (code === 'ETIMEDOUT') fail('timeout', 'connection timed out', error);
        else if (NETWORK_CONNECT_CODES.has(code)) fail('network', `could not connect (${code})`, error);
        else fail('network', `connection broke${code ? ` (${code})` : ''}`, error);
      });
      req.on('response', (res) => {
        status = res.statusCode ?? 0;
        this.#takeClockFrom(res.headers.date);
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > this.#maxResponseBytes) {
          res.on('error', () => {});
          fail('too_large', `answer of ${declared} bytes is over the ${this.#maxResponseBytes}-byte cap`);
          return;
        }
        readCappedBody(res, this.#maxResponseBytes).then(
          (bytes) => {
            if (settled) return;
            settled = true;
            cleanup();
            resolve({ status: status ?? 0, body: bytes });
          },
          (error: unknown) => {
            if (error instanceof BodyTooLargeError) {
              fail('too_large', `answer is over the ${this.#maxResponseBytes}-byte cap`);
            } else {
              fail('malformed', `answer was cut short (HTTP ${status})`, error);
            }
          },
        );
      });

      const remaining = Math.max(0, deadline - performance.now());
      const timer = setTimeout(() => fail('timeout', 'no complete answer within the time limit'), remaining);
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      req.end(body ?? undefined);
    });
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
