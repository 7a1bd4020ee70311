/**
 * One JSON request / response exchange with a partner API (Yahoo, WAUG) over node:http/https.
 * Not fetch, because the partner clients need what fetch hides:
 *  - the answer is size-capped while it streams (and refused up front when Content-Length says
 *    it is too big), so a broken or hostile server cannot exhaust memory;
 *  - we know whether the request body was fully handed to the network, which decides whether a
 *    state-changing call whose answer never came "may have applied" at the partner.
 *
 * Everything partner-specific stays in the clients: URLs and signing, auth headers, pacing,
 * envelopes, and turning an ExchangeError into their own error type (failureDetails helps).
 * Nothing here logs: bodies hold buyers' personal data and targets may hold API keys.
 */
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { BodyTooLargeError, readCappedBody } from './body.js';

/** The transport-level ways an exchange fails; the partner clients reuse these kind names. */
export type ExchangeFailureKind =
  | 'network' // could not connect, the connection broke, or the caller cancelled
  | 'timeout' // no complete answer before the deadline
  | 'too_large' // the answer is over the size cap
  | 'malformed'; // the answer was cut short

export interface ExchangeFailureDetails {
  /** The request, body included, was fully handed to the network before the failure. */
  sent: boolean;
  /** The partner may have acted on a state-changing request (see mayHaveApplied below). */
  mayHaveApplied: boolean;
  /** Present when the failure came after the status line. */
  httpStatus?: number;
  cause?: unknown;
}

export class ExchangeError extends Error {
  override readonly name = 'ExchangeError';
  constructor(
    readonly kind: ExchangeFailureKind,
    message: string,
    readonly details: ExchangeFailureDetails,
  ) {
    super(message);
  }
}

/** A complete answer, whatever its status: the clients decide what a status means. */
export interface ExchangeResponse {
  status: number;
  body: Buffer;
}

export interface ExchangeRequest {
  method: 'GET' | 'POST';
  /** Path and query, already encoded, base path included (Yahoo signs exactly this text). */
  target: string;
  /** The client's own headers (auth, signature). Accept and the body's framing are added here. */
  headers: http.OutgoingHttpHeaders;
  /** A JSON body, or null. */
  body: Buffer | null;
  /** The request changes something at the partner, so a cut after sending may have applied it. */
  mutating: boolean;
  /** performance.now() time by which the whole exchange, a stale-socket resend included, must end. */
  deadline: number;
  signal?: AbortSignal | undefined;
  /** Called on every attempt as it starts, the stale-socket resend included (request counters). */
  onAttempt?: () => void;
  /** Called as soon as the status line and headers arrive, before the body and its checks (Yahoo's clock). */
  onResponse?: (status: number, headers: http.IncomingHttpHeaders) => void;
}

export interface HttpExchangeConfig {
  /** Only protocol, host and port are used; the caller puts any base path into each target. */
  baseUrl: URL;
  /** Keep-alive pool size for this partner. */
  maxSockets: number;
  /** Response size cap in bytes. */
  maxResponseBytes: number;
}

/** Error codes meaning the connection was never made (so nothing was sent). */
const CONNECT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);

/** One partner host with its own keep-alive pool. */
export class HttpExchange {
  readonly #base: URL;
  readonly #transport: typeof http | typeof https;
  readonly #agent: http.Agent;
  readonly #maxResponseBytes: number;

  constructor(config: HttpExchangeConfig) {
    const { baseUrl } = config;
    if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
      throw new RangeError('HTTP exchange: baseUrl must be http: or https:');
    }
    this.#base = baseUrl;
    this.#transport = baseUrl.protocol === 'https:' ? https : http;
    this.#agent = new this.#transport.Agent({ keepAlive: true, maxSockets: config.maxSockets });
    this.#maxResponseBytes = config.maxResponseBytes;
  }

  /** Drops idle keep-alive connections. Exchanges still in flight are not affected. */
  close(): void {
    this.#agent.destroy();
  }

  /**
   * Sends the request and resolves with the complete answer, or rejects with an ExchangeError.
   * (Anything else, such as a header Node refuses, rejects as Node threw it.)
   */
  send(request: ExchangeRequest): Promise<ExchangeResponse> {
    return this.#attempt(request, true);
  }

  #attempt(request: ExchangeRequest, mayResend: boolean): Promise<ExchangeResponse> {
    request.onAttempt?.();
    return new Promise<ExchangeResponse>((resolve, reject) => {
      const resend = mayResend ? () => this.#attempt(request, false) : null;
      new Attempt(request, this.#maxResponseBytes, resend, resolve, reject).start(this.#open(request));
    });
  }

  #open(request: ExchangeRequest): http.ClientRequest {
    return this.#transport.request({
      protocol: this.#base.protocol,
      hostname: this.#base.hostname.replace(/^\[(.*)\]$/, '$1'), // URL keeps IPv6 brackets; http does not want them
      port: this.#base.port || undefined,
      path: request.target,
      method: request.method,
      headers: wireHeaders(request),
      agent: this.#agent,
    });
  }
}

/** Header order as both clients always sent it: Accept, the client's own, then the body's framing. */
function wireHeaders(request: ExchangeRequest): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = { Accept: 'application/json', ...request.headers };
  if (request.body !== null) {
    headers['Content-Type'] = 'application/json; charset=utf-8';
    headers['Content-Length'] = request.body.length;
  } else if (request.method === 'POST') {
    // Some gateways refuse a POST without a length (411); say plainly that there is no body.
    headers['Content-Length'] = 0;
  }
  return headers;
}

/**
 * One request on the wire. Exactly one outcome settles it (the first of: answer, failure,
 * deadline, caller's abort, stale-socket resend); everything after that is ignored.
 */
class Attempt {
  readonly #request: ExchangeRequest;
  readonly #maxBytes: number;
  readonly #resend: (() => Promise<ExchangeResponse>) | null;
  readonly #resolve: (value: ExchangeResponse | Promise<ExchangeResponse>) => void;
  readonly #reject: (error: unknown) => void;
  #req: http.ClientRequest | undefined;
  #timer: NodeJS.Timeout | undefined;
  #settled = false;
  #sent = false;
  #status: number | undefined;

  constructor(
    request: ExchangeRequest,
    maxBytes: number,
    resend: (() => Promise<ExchangeResponse>) | null,
    resolve: (value: ExchangeResponse | Promise<ExchangeResponse>) => void,
    reject: (error: unknown) => void,
  ) {
    this.#request = request;
    this.#maxBytes = maxBytes;
    this.#resend = resend;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  start(req: http.ClientRequest): void {
    this.#req = req;
    // 'finish': the last byte of the body went to the OS. From here a mutating request may have applied.
    req.on('finish', () => {
      this.#sent = true;
    });
    req.on('error', (error: NodeJS.ErrnoException) => this.#onError(error));
    req.on('response', (res) => this.#onResponse(res));
    const remaining = Math.max(0, this.#request.deadline - performance.now());
    this.#timer = setTimeout(() => this.#fail('timeout', 'no complete answer within the time limit'), remaining);
    const { signal } = this.#request;
    if (signal?.aborted) {
      this.#onAbort(); // before req.end(): nothing goes out
      return;
    }
    signal?.addEventListener('abort', this.#onAbort, { once: true });
    req.end(this.#request.body ?? undefined);
  }

  #onError(error: NodeJS.ErrnoException): void {
    const code = error.code ?? '';
    const resend = this.#resend;
    if (resend !== null && this.#isStaleSocket(code)) {
      this.#settle(() => this.#resolve(resend()));
      return;
    }
    const { kind, message } = socketFailure(code);
    this.#fail(kind, message, error);
  }

  /**
   * A kept-alive socket the server had just closed: the request never reached it, so a GET may be
   * asked again once, on a fresh socket (Node's documented pattern). A POST is never resent here:
   * we cannot prove it was not acted on.
   */
  #isStaleSocket(code: string): boolean {
    return (
      !this.#settled &&
      this.#request.method === 'GET' &&
      this.#status === undefined &&
      this.#req?.reusedSocket === true &&
      (code === 'ECONNRESET' || code === 'EPIPE')
    );
  }

  #onResponse(res: http.IncomingMessage): void {
    const status = res.statusCode ?? 0;
    this.#status = status;
    this.#request.onResponse?.(status, res.headers);
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.#maxBytes) {
      res.on('error', () => {}); // destroying the request errors the response; nobody listens any more
      this.#fail('too_large', `answer of ${declared} bytes is over the ${this.#maxBytes}-byte cap`);
      return;
    }
    readCappedBody(res, this.#maxBytes).then(
      (body) => this.#settle(() => this.#resolve({ status, body })),
      (error: unknown) => {
        if (error instanceof BodyTooLargeError)
          this.#fail('too_large', `answer is over the ${this.#maxBytes}-byte cap`);
        else this.#fail('malformed', `answer was cut short (HTTP ${status})`, error);
      },
    );
  }

  // An arrow so that the same function is added to and removed from the signal.
  readonly #onAbort = (): void => {
    const reason: unknown = this.#request.signal?.reason;
    const isTimeout = reason instanceof Error && reason.name === 'TimeoutError';
    if (isTimeout) this.#fail('timeout', 'timed out (caller deadline)', reason);
    else this.#fail('network', 'cancelled by the caller', reason);
  };

  #fail(kind: ExchangeFailureKind, message: string, cause?: unknown): void {
    this.#settle(() => {
      const details: ExchangeFailureDetails = { sent: this.#sent, mayHaveApplied: this.#mayHaveApplied() };
      if (this.#status !== undefined) details.httpStatus = this.#status;
      if (cause !== undefined) details.cause = cause;
      this.#reject(new ExchangeError(kind, message, details));
      this.#req?.destroy();
    });
  }

  /** A 4xx means the partner refused the request; anything else after sending may have been applied. */
  #mayHaveApplied(): boolean {
    if (!this.#request.mutating) return false;
    if (this.#status !== undefined) return !(this.#status >= 400 && this.#status < 500);
    return this.#sent;
  }

  /** Runs the first outcome only, after stopping the deadline timer and the abort listener. */
  #settle(outcome: () => void): void {
    if (this.#settled) return;
    this.#settled = true;
    clearTimeout(this.#timer);
    this.#request.signal?.removeEventListener('abort', this.#onAbort);
    outcome();
  }
}

/** Names a socket error: a connect timeout, a connection never made, or one that broke. */
export function socketFailure(code: string): { kind: ExchangeFailureKind; message: string } {
  if (code === 'ETIMEDOUT') return { kind: 'timeout', message: 'connection timed out' };
  if (CONNECT_CODES.has(code)) return { kind: 'network', message: `could not connect (${code})` };
  return { kind: 'network', message: `connection broke${code ? ` (${code})` : ''}` };
}

/** What a partner error (YahooError, WaugError) keeps of a transport failure. */
export type PartnerFailureDetails = Omit<ExchangeFailureDetails, 'sent'>;

/**
 * The details a partner error keeps from an ExchangeError: the same fields, without `sent`
 * (the partner errors expose only its consequence, mayHaveApplied), absent ones left absent.
 */
export function failureDetails(error: ExchangeError): PartnerFailureDetails {
  const details: PartnerFailureDetails = { mayHaveApplied: error.details.mayHaveApplied };
  if (error.details.httpStatus !== undefined) details.httpStatus = error.details.httpStatus;
  if (error.details.cause !== undefined) details.cause = error.details.cause;
  return details;
}
