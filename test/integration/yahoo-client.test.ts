/**
 * The real client against the real sandbox, over HTTP on 127.0.0.1 (port 0), faults injected.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_SERIALS,
  NO_FAULTS,
  startYahooSandbox,
  type YahooSandbox,
} from '../../electron/core/sandbox/yahoo/index.js';
import { DEFAULT_SEED, seedVouchers } from '../../electron/core/sandbox/yahoo/seed.js';
import { YahooError, type RedeemItem } from '../../electron/core/yahoo/api.js';
import { createYahooClient, type YahooClient, type YahooClientConfig } from '../../electron/core/yahoo/client.js';
import { elapsed, signedRequest } from '../fixtures/yahoo/http.js';
import { rejectionOf } from '../helpers/rejection.js';

let sandbox: YahooSandbox;
let client: YahooClient;
const extraClients: YahooClient[] = [];
let serialCounter = 0;

function clientWith(overrides: Partial<YahooClientConfig> = {}): YahooClient {
  const made = createYahooClient({
    baseUrl: sandbox.baseUrl,
    apiKey: sandbox.apiKey,
    sharedSecret: sandbox.sharedSecret,
    ...overrides,
  });
  extraClients.push(made);
  return made;
}

/** A fresh UNUSED voucher that no other test touches. */
function freshVoucher(): { serialNumber: string; orderId: string; orderItemId: string } {
  serialCounter += 1;
  const n = String(serialCounter).padStart(6, '0');
  const voucher = sandbox.addVoucher({ serialNumber: `T${n}`, orderId: `YM7777777${n}`, orderItemId: `YS7777777${n}` });
  return { serialNumber: voucher.serialNumber, orderId: voucher.orderId, orderItemId: voucher.orderItemId ?? '' };
}

function item(serialNumber: string, redeemAt = 'Front desk 2 · R-7f3a9c'): RedeemItem {
  const voucher = sandbox.getVoucher(serialNumber);
  if (voucher === undefined) throw new Error(`no voucher ${serialNumber}`);
  return { orderId: voucher.orderId, serialNumber, redeemAt };
}

const yahooError = (promise: Promise<unknown>) => rejectionOf(promise, YahooError);

beforeAll(async () => {
  sandbox = await startYahooSandbox();
  client = createYahooClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, sharedSecret: sandbox.sharedSecret });
});

afterEach(() => {
  sandbox.setFaults(NO_FAULTS);
});

afterAll(async () => {
  client.close();
  for (const c of extraClients) c.close();
  await sandbox.close();
});

describe('query', () => {
  it('finds a voucher by serial and keeps voucherId 18446744073709551615 digit for digit', async () => {
    const raw = await signedRequest(sandbox, 'GET', '/stauth2/v1/vouchers', {
      query: `serialNumber=${DEMO_SERIALS.hugeId}`,
    });
    expect(raw.text).toContain('"voucherId":18446744073709551615'); // a bare JSON number on the wire

    const page = await client.queryVouchers({ serialNumber: DEMO_SERIALS.hugeId });
    expect(page.total).toBe(1);
    expect(page.vouchers).toHaveLength(1);
    const voucher = page.vouchers[0];
    expect(voucher?.voucherId).toBe('18446744073709551615');
    expect(voucher?.serialNumber).toBe('615089255');
    expect(voucher?.orderId).toBe('YM2015050500005');
    expect(voucher?.price).toBe('200');
    expect(voucher?.status).toBe('UNUSED');
    expect(voucher?.buyerDetails).toEqual({ name: '楊于慧', phone: '0912063990' });
    expect(voucher?.expireTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
  });

  it('also finds it by the huge voucherId itself', async () => {
    const page = await client.queryVouchers({ voucherId: '18446744073709551615' });
    expect(page.vouchers.map((v) => v.serialNumber)).toEqual([DEMO_SERIALS.hugeId]);
  });

  it('turns 11001 (nothing found) into an empty page', async () => {
    const before = sandbox.requests.length;
    const page = await client.queryVouchers({ serialNumber: 'NOSUCHSERIAL0' });
    expect(page).toEqual({ total: 0, vouchers: [] });
    expect(sandbox.requests.slice(before).map((r) => r.status)).toEqual([404]);
  });

  it('returns at most 500 vouchers with total giving the full count', async () => {
    const statuses = ['REFUNDPENDING', 'REFUNDED', 'CANCELLED'] as const;
    const expected = seedVouchers(Date.now(), 2400, DEFAULT_SEED).filter((v) =>
      (statuses as readonly string[]).includes(v.status),
    ).length;
    expect(expected).toBeGreaterThan(500);
    const page = await client.queryVouchers({ status: statuses, sort: 'expiredTime' });
    expect(page.total).toBe(expected);
    expect(page.vouchers).toHaveLength(500);
    expect(page.vouchers.every((v) => (statuses as readonly string[]).includes(v.status))).toBe(true);
    const expiries = page.vouchers.map((v) => Date.parse(v.expireTime ?? ''));
    expect(expiries).toEqual([...expiries].sort((a, b) => a - b));
  });

  it('applies the Asia/Taipei time windows', async () => {
    const start = new Date(Date.now() - 10 * 86_400_000);
    const end = new Date(Date.now() - 3 * 86_400_000);
    const page = await client.queryVouchers({ expiredTimeStart: start, expiredTimeEnd: end, sort: '-expiredTime' });
    expect(page.total).toBeGreaterThan(0);
    for (const v of page.vouchers) {
      const expiry = Date.parse(v.expireTime ?? '');
      expect(expiry).toBeGreaterThanOrEqual(start.getTime() - 1000);
      expect(expiry).toBeLessThanOrEqual(end.getTime());
    }
  });
});

describe('redeem', () => {
  it('redeems an UNUSED voucher: USED in the sandbox, one ledger entry, normalised answer', async () => {
    const v = freshVoucher();
    const ledgerBefore = sandbox.ledger.length;
    const result = await client.redeem([{ ...v, redeemAt: 'Front desk 2 · R-7f3a9c' }]);
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({
      orderId: v.orderId,
      orderItemId: v.orderItemId,
      status: 'USED',
      storeId: sandbox.storeId,
    });
    expect(result[0]?.statusAppliedTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(Math.abs(Date.parse(result[0]?.statusAppliedTime ?? '') - Date.now())).toBeLessThan(5_000);

    expect(sandbox.ledger.slice(ledgerBefore)).toEqual([
      expect.objectContaining({
        serialNumber: v.serialNumber,
        orderId: v.orderId,
        redeemAt: 'Front desk 2 · R-7f3a9c',
      }),
    ]);
    expect(sandbox.getVoucher(v.serialNumber)?.status).toBe('USED');
    expect(sandbox.getVoucher(v.serialNumber)?.executedBy).toBe(`partner:${sandbox.apiKey}`);
    const page = await client.queryVouchers({ serialNumber: v.serialNumber });
    expect(page.vouchers[0]?.status).toBe('USED');
    expect(page.vouchers[0]?.statusAppliedTime).toBe(result[0]?.statusAppliedTime);
  });

  it('is not idempotent: redeeming the same voucher again fails with 12001', async () => {
    const v = freshVoucher();
    await client.redeem([{ ...v, redeemAt: 'desk' }]);
    const error = await yahooError(client.redeem([{ ...v, redeemAt: 'desk' }]));
    expect(error.kind).toBe('redeem_failed');
    expect(error.details).toMatchObject({ mayHaveApplied: false, httpStatus: 400, yahooCode: 12001 });
  });

  it.each([
    ['used', DEMO_SERIALS.used, 'USED'],
    ['refund pending', DEMO_SERIALS.refundPending, 'REFUNDPENDING'],
    ['refunded', DEMO_SERIALS.refunded, 'REFUNDED'],
    ['cancelled', DEMO_SERIALS.cancelled, 'CANCELLED'],
    ['expired', DEMO_SERIALS.expired, 'UNUSED'],
  ])('refuses a %s voucher with 12001 and changes nothing', async (_name, serial, status) => {
    const ledgerBefore = sandbox.ledger.length;
    const error = await yahooError(client.redeem([item(serial)]));
    expect(error.kind).toBe('redeem_failed');
    expect(error.details.yahooCode).toBe(12001);
    expect(error.details.mayHaveApplied).toBe(false);
    expect(sandbox.getVoucher(serial)?.status).toBe(status);
    expect(sandbox.ledger.length).toBe(ledgerBefore);
  });

  it('refuses a wrong orderId, a wrong orderItemId and an unknown serial with 12001', async () => {
    const v = freshVoucher();
    for (const bad of [
      { ...v, orderId: 'YM0000000000000' },
      { ...v, orderItemId: 'YS0000000000000' },
      { ...v, serialNumber: 'NOSUCHSERIAL1' },
    ]) {
      const error = await yahooError(client.redeem([{ ...bad, redeemAt: 'desk' }]));
      expect(error.kind).toBe('redeem_failed');
    }
    expect(sandbox.getVoucher(v.serialNumber)?.status).toBe('UNUSED');
  });

  it('fails a whole batch when one voucher is bad, then redeems the good ones as a batch', async () => {
    const ledgerBefore = sandbox.ledger.length;
    const error = await yahooError(
      client.redeem([item(DEMO_SERIALS.group1), item(DEMO_SERIALS.used), item(DEMO_SERIALS.group2)]),
    );
    expect(error.kind).toBe('redeem_failed');
    expect(sandbox.getVoucher(DEMO_SERIALS.group1)?.status).toBe('UNUSED');
    expect(sandbox.getVoucher(DEMO_SERIALS.group2)?.status).toBe('UNUSED');
    expect(sandbox.ledger.length).toBe(ledgerBefore);

    const result = await client.redeem([
      item(DEMO_SERIALS.group1),
      item(DEMO_SERIALS.group2),
      item(DEMO_SERIALS.group3),
    ]);
    expect(result.map((r) => r.status)).toEqual(['USED', 'USED', 'USED']);
    expect(sandbox.ledger.slice(ledgerBefore).map((e) => e.serialNumber)).toEqual([
      DEMO_SERIALS.group1,
      DEMO_SERIALS.group2,
      DEMO_SERIALS.group3,
    ]);
  });
});

describe('authentication and clock', () => {
  it('maps a wrong shared secret to auth, without retrying', async () => {
    const before = sandbox.requests.length;
    const error = await yahooError(
      clientWith({ sharedSecret: 'not-the-secret' }).queryVouchers({ serialNumber: DEMO_SERIALS.unusedA }),
    );
    expect(error.kind).toBe('auth');
    expect(error.details).toMatchObject({ httpStatus: 401, yahooCode: 10003, mayHaveApplied: false });
    expect(sandbox.requests.slice(before).map((r) => r.status)).toEqual([401]);
  });

  it('maps a wrong API key to auth', async () => {
    const error = await yahooError(
      clientWith({ apiKey: 'wrong-key' }).queryVouchers({ serialNumber: DEMO_SERIALS.unusedA }),
    );
    expect(error.kind).toBe('auth');
    expect(error.details).toMatchObject({ httpStatus: 401, yahooCode: 10001 });
    const redeemError = await yahooError(clientWith({ apiKey: 'wrong-key' }).redeem([item(DEMO_SERIALS.unusedC)]));
    expect(redeemError.kind).toBe('auth');
    expect(redeemError.details.mayHaveApplied).toBe(false);
    expect(sandbox.getVoucher(DEMO_SERIALS.unusedC)?.status).toBe('UNUSED');
  });

  it('recovers from a clock 10 minutes slow by retrying once with the Date header, then needs no retry', async () => {
    const slow = clientWith({ now: () => Date.now() - 10 * 60_000 });
    expect(slow.clockOffsetMs).toBe(0);
    const before = sandbox.requests.length;
    const page = await slow.queryVouchers({ serialNumber: DEMO_SERIALS.unusedB });
    expect(page.vouchers[0]?.serialNumber).toBe(DEMO_SERIALS.unusedB);
    expect(sandbox.requests.slice(before).map((r) => r.status)).toEqual([401, 200]);
    expect(Math.abs(slow.clockOffsetMs - 600_000)).toBeLessThan(2_000);

    const second = sandbox.requests.length;
    await slow.queryVouchers({ serialNumber: DEMO_SERIALS.unusedB });
    expect(sandbox.requests.slice(second).map((r) => r.status)).toEqual([200]);
  });

  it('recovers a redeem from a fast clock too, applying it exactly once', async () => {
    const fast = clientWith({ now: () => Date.now() + 10 * 60_000 });
    const v = freshVoucher();
    const ledgerBefore = sandbox.ledger.length;
    const before = sandbox.requests.length;
    const result = await fast.redeem([{ ...v, redeemAt: 'desk' }]);
    expect(result[0]?.status).toBe('USED');
    expect(sandbox.requests.slice(before).map((r) => r.status)).toEqual([401, 200]);
    expect(sandbox.ledger.length).toBe(ledgerBefore + 1);
  });

  it('retries at most once: a skewed clock with a wrong secret still ends in auth after two requests', async () => {
    const skewedAndWrong = clientWith({ now: () => Date.now() - 10 * 60_000, sharedSecret: 'wrong' });
    const before = sandbox.requests.length;
    const error = await yahooError(skewedAndWrong.queryVouchers({ serialNumber: DEMO_SERIALS.unusedB }));
    expect(error.kind).toBe('auth');
    expect(sandbox.requests.slice(before).map((r) => r.status)).toEqual([401, 401]);
  });
});

describe('faults', () => {
  it.each(['not-json', 'wrong-shape', 'truncated'] as const)('maps a %s answer to malformed', async (kind) => {
    sandbox.setFaults({ malformedBody: kind });
    const error = await yahooError(client.queryVouchers({ serialNumber: DEMO_SERIALS.unusedA }));
    expect(error.kind).toBe('malformed');
    expect(error.details.mayHaveApplied).toBe(false);
    expect(error.details.httpStatus).toBe(200);
  });

  it('maps a spoiled redeem answer to malformed with mayHaveApplied (Yahoo did apply it)', async () => {
    const v = freshVoucher();
    sandbox.setFaults({ malformedBody: 'truncated' });
    const error = await yahooError(client.redeem([{ ...v, redeemAt: 'desk' }]));
    expect(error.kind).toBe('malformed');
    expect(error.details.mayHaveApplied).toBe(true);
    expect(sandbox.getVoucher(v.serialNumber)?.status).toBe('USED');
  });

  it('maps an answer over the size cap to too_large, aborting the download', async () => {
    sandbox.setFaults({ malformedBody: 'oversized' });
    const { ms, result } = await elapsed(() => client.queryVouchers({ serialNumber: DEMO_SERIALS.unusedA }));
    expect(result.status).toBe('rejected');
    const error = (result as PromiseRejectedResult).reason as YahooError;
    expect(error).toBeInstanceOf(YahooError);
    expect(error.kind).toBe('too_large');
    expect(ms).toBeLessThan(5_000);
    // A smaller cap trips on a normal page too.
    sandbox.setFaults(NO_FAULTS);
    const tiny = clientWith({ maxResponseBytes: 1024 });
    expect((await yahooError(tiny.queryVouchers({ status: ['USED'] }))).kind).toBe('too_large');
  });

  it('times out a hung query within about timeoutMs', async () => {
    sandbox.setFaults({ hang: true });
    const quick = clientWith({ timeoutMs: 400 });
    const { ms, result } = await elapsed(() => quick.queryVouchers({ serialNumber: DEMO_SERIALS.unusedA }));
    const error = (result as PromiseRejectedResult).reason as YahooError;
    expect(error).toBeInstanceOf(YahooError);
    expect(error.kind).toBe('timeout');
    expect(error.details.mayHaveApplied).toBe(false);
    expect(ms).toBeGreaterThanOrEqual(380);
    expect(ms).toBeLessThan(1_500);
  });

  it('times out a hung redeem with mayHaveApplied (the body was sent), and a per-call timeout wins', async () => {
    const v = freshVoucher();
    sandbox.setFaults({ hang: true });
    const { ms, result } = await elapsed(() => client.redeem([{ ...v, redeemAt: 'desk' }], { timeoutMs: 300 }));
    const error = (result as PromiseRejectedResult).reason as YahooError;
    expect(error.kind).toBe('timeout');
    expect(error.details.mayHaveApplied).toBe(true);
    expect(ms).toBeLessThan(1_500);
    // The sandbox's hang never applies: resolving by query would find it still UNUSED.
    expect(sandbox.getVoucher(v.serialNumber)?.status).toBe('UNUSED');
  });

  it('reports a connection cut after the redeem was applied as network + mayHaveApplied, and the voucher is USED', async () => {
    const v = freshVoucher();
    const ledgerBefore = sandbox.ledger.length;
    sandbox.setFaults({ resetAfterApply: true });
    const error = await yahooError(client.redeem([{ ...v, redeemAt: 'desk' }]));
    expect(error.kind).toBe('network');
    expect(error.details.mayHaveApplied).toBe(true);
    expect(error.details.httpStatus).toBeUndefined();
    expect(sandbox.getVoucher(v.serialNumber)?.status).toBe('USED');
    expect(sandbox.ledger.slice(ledgerBefore).map((e) => e.serialNumber)).toEqual([v.serialNumber]);

    sandbox.setFaults(NO_FAULTS);
    const page = await client.queryVouchers({ serialNumber: v.serialNumber });
    expect(page.vouchers[0]?.status).toBe('USED');
  });

  it('maps a 500 to upstream, keeping status and code', async () => {
    sandbox.setFaults({ status5xx: true });
    const error = await yahooError(client.queryVouchers({ serialNumber: DEMO_SERIALS.unusedA }));
    expect(error.kind).toBe('upstream');
    expect(error.details).toMatchObject({ httpStatus: 500, yahooCode: 10500, mayHaveApplied: false });

    const v = freshVoucher();
    const redeemError = await yahooError(client.redeem([{ ...v, redeemAt: 'desk' }]));
    expect(redeemError.kind).toBe('upstream');
    expect(redeemError.details.mayHaveApplied).toBe(true); // a 5xx on a POST is not proof it was not applied
    expect(sandbox.getVoucher(v.serialNumber)?.status).toBe('UNUSED');
  });

  it('maps errorRate 503s to upstream and honours latencyMs', async () => {
    sandbox.setFaults({ errorRate: 1 });
    const error = await yahooError(client.queryVouchers({ serialNumber: DEMO_SERIALS.unusedA }));
    expect(error.details).toMatchObject({ httpStatus: 503, yahooCode: 10503 });
    sandbox.setFaults({ errorRate: 0, latencyMs: 250 });
    const { ms, result } = await elapsed(() => client.queryVouchers({ serialNumber: DEMO_SERIALS.unusedA }));
    expect(result.status).toBe('fulfilled');
    expect(ms).toBeGreaterThanOrEqual(240);
  });

  it('maps a refused connection to network with mayHaveApplied false', async () => {
    const gone = await startYahooSandbox({ voucherCount: 20 });
    const baseUrl = gone.baseUrl;
    await gone.close();
    const orphan = createYahooClient({ baseUrl, apiKey: 'k', sharedSecret: 's' });
    const error = await yahooError(orphan.redeem([{ orderId: 'YM1', serialNumber: 'S1', redeemAt: 'desk' }]));
    orphan.close();
    expect(error.kind).toBe('network');
    expect(error.details.mayHaveApplied).toBe(false);
    expect(error.message).toContain('ECONNREFUSED');
  });
});
