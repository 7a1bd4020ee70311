/**
 * The Yahoo sandbox: a real HTTP server playing Yahoo's side of API-NOTES §1 (signing, clock,
 * query filters, the 500-voucher page, all-or-nothing redeem, 11001/12001), with fault knobs
 * for tests and demos. Never imports electron; runs in tests, the CLI and the desktop demo.
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { z } from 'zod';
import { VOUCHER_STATUSES, type VoucherStatus } from '../../../../shared/domain/voucher.js';
import { BodyTooLargeError, MiB, readCappedBody } from '../../http/body.js';
import { YAHOO_MAX_CLOCK_SKEW_MS, YAHOO_PATHS } from '../../yahoo/constants.js';
import { LosslessNumber, stringifyLosslessJson } from '../../http/json.js';
import {
  signatureData,
  verifyYahooSignature,
  YAHOO_SIGNATURE_HEADER,
  type YahooSigningOptions,
} from '../../yahoo/sign.js';
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
import { SANDBOX_ERRORS, type SandboxErrorName } from './errors.js';
import { createMerchantSide, type MerchantSide } from './merchant.js';
import { createPrng } from './prng.js';
import { DEFAULT_SEED, DEFAULT_VOUCHER_COUNT, seedVouchers, type SandboxVoucher } from './seed.js';
import { parseSandboxQuery, QueryParameterError, VoucherBook, type LedgerEntry } from './store.js';

export { DEMO_ORDERS, DEMO_SERIALS, HUGE_VOUCHER_ID, type DemoSerialName, type SandboxVoucher } from './seed.js';
export { SANDBOX_ERRORS } from './errors.js';
export type { LedgerEntry } from './store.js';
export type { MerchantCallResult, SellRequest, SellResult } from './merchant.js';

export const MALFORMED_BODY_KINDS = ['not-json', 'wrong-shape', 'truncated', 'oversized'] as const;
export type MalformedBodyKind = (typeof MALFORMED_BODY_KINDS)[number];

/**
 * Fault knobs. They apply to the Yahoo routes only (never to /__sandbox/*), in this order:
 * hang → latencyMs → status5xx → errorRate → (auth, routing, the redeem is applied) →
 * resetAfterApply → malformedBody. So `hang`, `status5xx` and `errorRate` never apply a redeem,
 * while `resetAfterApply` and `malformedBody` apply it and then spoil the answer.
 */
export type YahooSandboxFaults = SandboxFaults<MalformedBodyKind>;

export const NO_FAULTS: Readonly<YahooSandboxFaults> = NO_SANDBOX_FAULTS;

const faultsPatchSchema = sharedFaultsPatchSchema(MALFORMED_BODY_KINDS);

/** Size of the 'oversized' answer: over the client's default 4 MiB cap. */
export const OVERSIZED_BODY_BYTES = 6 * MiB;

const MAX_REQUEST_RECORDS = 10_000;

export const SANDBOX_ADMIN_HEADER = 'x-sandbox-admin';
export const SANDBOX_ADMIN_PATHS = Object.freeze({
  faults: '/__sandbox/faults',
  ledger: '/__sandbox/ledger',
  voucherStatus: '/__sandbox/voucher-status',
});

export interface YahooSandboxOptions {
  host?: string;
  port?: number;
  apiKey?: string;
  sharedSecret?: string;
  /** The sandbox's clock in Unix ms (for skew tests). Default Date.now. */
  now?: () => number;
  /** How many vouchers to seed (the fixed demo ones included). Default 2400. */
  voucherCount?: number;
  /** PRNG seed for the voucher data and errorRate. */
  seed?: number;
  /** Request body cap; larger bodies get 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** storeId in redeem answers. */
  storeId?: string;
  signing?: Partial<YahooSigningOptions>;
  faults?: Partial<YahooSandboxFaults>;
}

export interface SandboxRequestRecord {
  method: string;
  /** Path only: the query string holds the ApiKey. */
  path: string;
  /** 0 when no answer was sent (hang, reset). */
  status: number;
  at: string;
}

export type SandboxVoucherInput = Partial<SandboxVoucher> & Pick<SandboxVoucher, 'serialNumber'>;

export interface YahooSandbox extends MerchantSide {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly sharedSecret: string;
  readonly storeId: string;
  /** The current fault settings (a frozen snapshot). */
  readonly faults: Readonly<YahooSandboxFaults>;
  setFaults(patch: Partial<YahooSandboxFaults>): Readonly<YahooSandboxFaults>;
  /** Applied redemptions, in order. Live and append-only. */
  readonly ledger: readonly LedgerEntry[];
  /** Yahoo-route requests (the latest 10 000), each once it is answered or abandoned. Live. */
  readonly requests: readonly SandboxRequestRecord[];
  readonly voucherCount: number;
  getVoucher(serialNumber: string): SandboxVoucher | undefined;
  setVoucherStatus(serialNumber: string, status: VoucherStatus): SandboxVoucher;
  addVoucher(voucher: SandboxVoucherInput): SandboxVoucher;
  close(): Promise<void>;
}

const redeemRequestSchema = z.object({
  vouchers: z
    .array(
      z.object({
        orderId: z.string().min(1).max(24),
        orderItemId: z.string().min(1).max(24).optional(),
        serialNumber: z.string().min(1).max(20),
        redeemAt: z.string().max(500),
      }),
    )
    .min(1)
    .max(100),
});

const voucherStatusRequestSchema = z.object({ serialNumber: z.string().min(1), status: z.enum(VOUCHER_STATUSES) });

/** Yahoo emits times to the second, "2015-01-05T07:20:00Z". */
function yahooIso(iso: string | null): string | null {
  return iso === null ? null : iso.replace(/\.\d{3}Z$/, 'Z');
}

/** A voucher as Yahoo's query answer carries it: voucherId and price bare JSON numbers. */
function toWire(v: SandboxVoucher): Record<string, unknown> {
  return {
    voucherId: new LosslessNumber(v.voucherId),
    productId: v.productId,
    specId: v.specId,
    price: new LosslessNumber(v.price),
    serialNumber: v.serialNumber,
    orderId: v.orderId,
    orderItemId: v.orderItemId,
    title: v.title,
    redemptionDesc: v.redemptionDesc,
    buyerDetails: { name: v.buyerDetails.name, phone: v.buyerDetails.phone },
    executedBy: v.executedBy,
    status: v.status,
    refundType: v.refundType,
    redemptionType: v.redemptionType,
    statusAppliedTime: yahooIso(v.statusAppliedTime),
    deliveredTime: yahooIso(v.deliveredTime),
    expireTime: yahooIso(v.expireTime),
    startTime: yahooIso(v.startTime),
  };
}

interface Answer {
  status: number;
  json: string;
}

function errorAnswer(name: SandboxErrorName, detail?: string): Answer {
  const error = SANDBOX_ERRORS[name];
  const message = detail === undefined ? error.message : `${error.message} ${detail}`;
  return { status: error.status, json: JSON.stringify({ error: { code: error.code, message } }) };
}

export async function startYahooSandbox(options: YahooSandboxOptions = {}): Promise<YahooSandbox> {
  const now = options.now ?? Date.now;
  const apiKey = options.apiKey ?? randomBytes(15).toString('hex');
  const sharedSecret = options.sharedSecret ?? randomBytes(21).toString('base64url');
  const storeId = options.storeId ?? 'voucherdesk_sandbox';
  const maxBodyBytes = options.maxBodyBytes ?? 1 * MiB;
  const seed = options.seed ?? DEFAULT_SEED;
  const faultRng = createPrng(seed ^ 0x5eed);
  const book = new VoucherBook(seedVouchers(now(), options.voucherCount ?? DEFAULT_VOUCHER_COUNT, seed));
  const requests: SandboxRequestRecord[] = [];
  let faults: Readonly<YahooSandboxFaults> = Object.freeze({
    ...NO_FAULTS,
    ...faultsPatchSchema.parse(options.faults ?? {}),
  });
  let closed = false;
  let addedCount = 0;

  const setFaults = (patch: Partial<YahooSandboxFaults>): Readonly<YahooSandboxFaults> => {
    faults = Object.freeze({ ...faults, ...faultsPatchSchema.parse(patch) });
    return faults;
  };

  const httpDate = (): string => new Date(now()).toUTCString();

  const send = (res: http.ServerResponse, answer: Answer, extra: http.OutgoingHttpHeaders = {}): void =>
    sendJson(res, answer, { Date: httpDate() }, extra);

  /** Sends `answer` spoiled as `kind`: HTML, wrong JSON shape, cut short mid-body, or 6 MiB. */
  const sendMalformed = (res: http.ServerResponse, answer: Answer, kind: MalformedBodyKind): void =>
    sendMalformedBody(res, answer, kind, {
      headers: () => ({ Date: httpDate() }),
      wrongShapeJson: '{"result":"ok","data":{"items":"none","count":"1"}}',
      oversizedPrefix: '{"total":0,"vouchers":[],"padding":"',
      oversizedBytes: OVERSIZED_BODY_BYTES,
    });

  const authenticate = (
    target: string,
    params: URLSearchParams,
    body: Buffer,
    signature: string | string[] | undefined,
  ): SandboxErrorName | null => {
    const key = params.get('ApiKey');
    if (key === null || !safeEqual(key, apiKey)) return 'badApiKey';
    const timeStamp = params.get('TimeStamp');
    if (timeStamp === null || !/^\d{1,12}$/.test(timeStamp)) return 'badTimeStamp';
    if (Math.abs(Number(timeStamp) * 1000 - now()) > YAHOO_MAX_CLOCK_SKEW_MS) return 'badTimeStamp';
    const given = typeof signature === 'string' ? signature : undefined;
    if (!verifyYahooSignature(signatureData(target, body), sharedSecret, given, options.signing)) return 'badSignature';
    return null;
  };

  const queryVouchers = (params: URLSearchParams): Answer => {
    let result;
    try {
      result = book.query(parseSandboxQuery(params));
    } catch (error) {
      if (error instanceof QueryParameterError) return errorAnswer('badRequest', error.message);
      throw error;
    }
    if (result.total === 0) return errorAnswer('noVouchers');
    return { status: 200, json: stringifyLosslessJson({ total: result.total, vouchers: result.vouchers.map(toWire) }) };
  };

  const redeem = (body: Buffer): Answer => {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return errorAnswer('badRequest', 'Body is not JSON.');
    }
    const parsed = redeemRequestSchema.safeParse(json);
    if (!parsed.success)
      return errorAnswer('badRequest', 'Body is not {"vouchers":[{orderId, serialNumber, redeemAt}]}.');
    const redeemed = book.redeem(parsed.data.vouchers, now(), apiKey);
    if (redeemed === null) return errorAnswer('redeemFailed');
    return {
      status: 200,
      json: JSON.stringify({
        vouchers: redeemed.map((v) => ({
          orderId: v.orderId,
          orderItemId: v.orderItemId,
          status: v.status,
          storeId,
          statusAppliedTime: Math.floor(Date.parse(v.statusAppliedTime ?? '') / 1000),
        })),
      }),
    };
  };

  const admin = (req: http.IncomingMessage, res: http.ServerResponse, path: string, body: Buffer): void => {
    if (!hasAdminHeader(req, SANDBOX_ADMIN_HEADER, sharedSecret)) {
      send(res, errorAnswer('adminForbidden'));
      return;
    }
    const readJson = (): unknown => {
      try {
        return JSON.parse(body.toString('utf8'));
      } catch {
        return undefined;
      }
    };
    if (path === SANDBOX_ADMIN_PATHS.faults && req.method === 'GET') {
      send(res, { status: 200, json: JSON.stringify({ faults }) });
    } else if (path === SANDBOX_ADMIN_PATHS.faults && req.method === 'POST') {
      const patch = faultsPatchSchema.safeParse(readJson());
      if (!patch.success) send(res, errorAnswer('badRequest', 'Unknown fault or bad value.'));
      else send(res, { status: 200, json: JSON.stringify({ faults: setFaults(patch.data) }) });
    } else if (path === SANDBOX_ADMIN_PATHS.ledger && req.method === 'GET') {
      send(res, { status: 200, json: JSON.stringify({ ledger: book.ledger }) });
    } else if (path === SANDBOX_ADMIN_PATHS.voucherStatus && req.method === 'POST') {
      const parsed = voucherStatusRequestSchema.safeParse(readJson());
      if (!parsed.success || book.get(parsed.data.serialNumber) === undefined) send(res, errorAnswer('badRequest'));
      else
        send(res, {
          status: 200,
          json: JSON.stringify({ status: setVoucherStatus(parsed.data.serialNumber, parsed.data.status).status }),
        });
    } else {
      send(res, errorAnswer('notFound'));
    }
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const target = req.url ?? '/';
    const url = new URL(target, 'http://sandbox.invalid');
    const isAdmin = url.pathname.startsWith('/__sandbox/');
    if (!isAdmin) {
      res.once('close', () => {
        pushCapped(requests, MAX_REQUEST_RECORDS, {
          method: req.method ?? '',
          path: url.pathname,
          status: res.headersSent ? res.statusCode : 0,
          at: new Date(now()).toISOString(),
        });
      });
    }

    let body: Buffer;
    try {
      body = await readCappedBody(req, maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        drainThenRefuse(req, maxBodyBytes, () => send(res, errorAnswer('tooLarge'), { Connection: 'close' }));
      return; // otherwise the client went away mid-upload
    }
    if (isAdmin) {
      admin(req, res, url.pathname, body);
      return;
    }

    const active = faults;
    const internal = (): void => send(res, errorAnswer('internal'));
    const unavailable = (): void => send(res, errorAnswer('unavailable'));
    if (!(await applyFaultsBefore(active, () => closed, faultRng, internal, unavailable))) return;

    const refusal = authenticate(target, url.searchParams, body, req.headers[YAHOO_SIGNATURE_HEADER.toLowerCase()]);
    let answer: Answer;
    if (refusal !== null) {
      answer = errorAnswer(refusal);
    } else if (url.pathname === YAHOO_PATHS.queryVouchers) {
      answer = req.method === 'GET' ? queryVouchers(url.searchParams) : errorAnswer('methodNotAllowed');
    } else if (url.pathname === YAHOO_PATHS.redeem) {
      answer = req.method === 'POST' ? redeem(body) : errorAnswer('methodNotAllowed');
    } else {
      answer = errorAnswer('notFound');
    }

    if (applyFaultsAfter(active, req, (kind) => sendMalformed(res, answer, kind))) return;
    send(res, answer);
  };

  const server = await startSandboxServer(handle, (res) => send(res, errorAnswer('internal')), {
    host: options.host,
    port: options.port,
  });

  const setVoucherStatus = (serialNumber: string, status: VoucherStatus): SandboxVoucher =>
    book.setStatus(serialNumber, status, now(), 'system:VoucherDeskSandbox');

  const addVoucher = (input: SandboxVoucherInput): SandboxVoucher => {
    addedCount += 1;
    const n = String(addedCount).padStart(7, '0');
    const at = Math.floor(now() / 1000) * 1000;
    const iso = (ms: number): string => new Date(ms).toISOString();
    const voucher: SandboxVoucher = {
      voucherId: `9${String(addedCount).padStart(10, '0')}`, // 11 digits: never one of the seeded 10-digit ids
      productId: 'p100200300499',
      specId: '1',
      price: '100',
      orderId: `YM999999${n}`,
      orderItemId: `YS999999${n}`,
      title: '沙盒測試票券',
      redemptionDesc: null,
      buyerDetails: { name: null, phone: null },
      executedBy: 'system:VoucherOrderConsumerApp',
      status: 'UNUSED',
      refundType: null,
      redemptionType: null,
      statusAppliedTime: iso(at),
      deliveredTime: iso(at),
      expireTime: iso(at + 30 * 86_400_000),
      startTime: iso(at),
      createdTime: iso(at),
      ...input,
    };
    book.add(voucher);
    return book.get(voucher.serialNumber) as SandboxVoucher;
  };

  // Yahoo's side of "Yahoo → merchant": sell (issue), cancel, notify, signed (merchant.ts).
  const merchantSide = createMerchantSide({
    apiKey,
    sharedSecret,
    storeId,
    now,
    ...(options.signing === undefined ? {} : { signing: options.signing }),
    getVoucher: (serial) => book.get(serial),
    addVoucher,
    setVoucherStatus,
    vouchersOfOrder: (orderId) => book.query({ orderId, sortField: 'createdTime', descending: false }).vouchers,
  });

  return {
    ...merchantSide,
    baseUrl: server.baseUrl,
    apiKey,
    sharedSecret,
    storeId,
    get faults() {
      return faults;
    },
    setFaults,
    ledger: book.ledger,
    requests,
    get voucherCount() {
      return book.size;
    },
    getVoucher: (serialNumber) => book.get(serialNumber),
    setVoucherStatus,
    addVoucher,
    close: () => {
      closed = true;
      return server.close();
    },
  };
}
