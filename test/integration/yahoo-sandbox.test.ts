/**
 * The sandbox's own side of API-NOTES §1, seen through raw HTTP: auth refusals, Date headers,
 * size cap, filters, admin routes, shutdown.
 */
import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DEMO_ORDERS,
  DEMO_SERIALS,
  NO_FAULTS,
  startYahooSandbox,
  type YahooSandbox,
} from '../../electron/core/sandbox/yahoo/index.js';
import { createYahooClient } from '../../electron/core/yahoo/client.js';
import { elapsed, signedRequest } from '../fixtures/yahoo/http.js';

let sandbox: YahooSandbox;
const QUERY = '/stauth2/v1/vouchers';
const REDEEM = '/stauth2/v1/vouchers/redeem';

function errorOf(text: string): { code: number; message: string } {
  return (JSON.parse(text) as { error: { code: number; message: string } }).error;
}

beforeAll(async () => {
  sandbox = await startYahooSandbox({ voucherCount: 600, seed: 42 });
});
afterEach(() => {
  sandbox.setFaults(NO_FAULTS);
});
afterAll(async () => {
  await sandbox.close();
});

describe('authentication', () => {
  it('refuses a wrong ApiKey, a stale TimeStamp and a bad or missing signature with 401 in Yahoo shape', async () => {
    const wrongKey = await signedRequest(sandbox, 'GET', QUERY, { apiKey: 'nope' });
    expect(wrongKey.status).toBe(401);
    expect(errorOf(wrongKey.text).code).toBe(10001);

    const stale = await signedRequest(sandbox, 'GET', QUERY, { timeStamp: Math.floor(Date.now() / 1000) - 301 });
    expect(stale.status).toBe(401);
    expect(errorOf(stale.text).code).toBe(10002);

    const badSig = await signedRequest(sandbox, 'GET', QUERY, { secret: 'wrong' });
    expect(badSig.status).toBe(401);
    expect(errorOf(badSig.text).code).toBe(10003);

    const unsigned = await fetch(
      `${sandbox.baseUrl}${QUERY}?TimeStamp=${Math.floor(Date.now() / 1000)}&ApiKey=${sandbox.apiKey}`,
    );
    expect(unsigned.status).toBe(401);
    expect(errorOf(await unsigned.text()).code).toBe(10003);
  });

  it('accepts a TimeStamp just inside ±300 s', async () => {
    const early = await signedRequest(sandbox, 'GET', QUERY, {
      query: `serialNumber=${DEMO_SERIALS.unusedA}`,
      timeStamp: Math.floor(Date.now() / 1000) - 295,
    });
    expect(early.status).toBe(200);
    const late = await signedRequest(sandbox, 'GET', QUERY, {
      query: `serialNumber=${DEMO_SERIALS.unusedA}`,
      timeStamp: Math.floor(Date.now() / 1000) + 295,
    });
    expect(late.status).toBe(200);
  });

  it('signs over the body: a body changed after signing is refused', async () => {
    const body = Buffer.from(
      JSON.stringify({ vouchers: [{ orderId: 'YM1', serialNumber: DEMO_SERIALS.unusedA, redeemAt: 'x' }] }),
    );
    const ts = Math.floor(Date.now() / 1000);
    const target = `${REDEEM}?TimeStamp=${ts}&ApiKey=${sandbox.apiKey}`;
    const { signYahoo, signatureData } = await import('../../electron/core/yahoo/sign.js');
    const signature = signYahoo(signatureData(target, body), sandbox.sharedSecret);
    const tampered = Buffer.from(body.toString().replace('"x"', '"y"'));
    const response = await fetch(sandbox.baseUrl + target, {
      method: 'POST',
      headers: { 'X-STOREAUTH-SIG': signature },
      body: new Uint8Array(tampered),
    });
    expect(response.status).toBe(401);
    expect(sandbox.getVoucher(DEMO_SERIALS.unusedA)?.status).toBe('UNUSED');
  });
});

describe('Date header and sandbox clock', () => {
  it('puts a Date header on every answer, from the sandbox clock', async () => {
    const ahead = await startYahooSandbox({ voucherCount: 20, now: () => Date.now() + 3_600_000 });
    try {
      const answers = [
        await signedRequest(ahead, 'GET', QUERY, {
          timeStamp: Math.floor(Date.now() / 1000) + 3600,
          query: 'serialNumber=NONE',
        }),
        await signedRequest(ahead, 'GET', QUERY),
        await fetch(`${ahead.baseUrl}/nowhere`).then(async (r) => ({
          status: r.status,
          headers: r.headers,
          text: await r.text(),
        })),
      ];
      expect(answers.map((a) => a.status)).toEqual([404, 401, 401]);
      for (const answer of answers) {
        const date = Date.parse(answer.headers.get('date') ?? '');
        expect(Math.abs(date - (Date.now() + 3_600_000))).toBeLessThan(3_000);
      }
      // A client on real time gets in through the Date-header retry.
      const client = createYahooClient({
        baseUrl: ahead.baseUrl,
        apiKey: ahead.apiKey,
        sharedSecret: ahead.sharedSecret,
      });
      expect((await client.queryVouchers({ serialNumber: DEMO_SERIALS.unusedA })).total).toBe(1);
      expect(Math.abs(client.clockOffsetMs - 3_600_000)).toBeLessThan(2_000);
      client.close();
    } finally {
      await ahead.close();
    }
  });
});

describe('request bodies', () => {
  it('rejects a 2 MB body with 413 in Yahoo shape, before auth', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x61);
    const answer = await signedRequest(sandbox, 'POST', REDEEM, { body: big });
    expect(answer.status).toBe(413);
    expect(errorOf(answer.text)).toEqual({ code: 10013, message: 'Request body too large.' });
    expect(answer.headers.get('date')).not.toBeNull();
    const unsigned = await fetch(`${sandbox.baseUrl}${REDEEM}`, { method: 'POST', body: new Uint8Array(big) });
    expect(unsigned.status).toBe(413);
  });

  it('answers malformed JSON and a wrong body shape with 400 in Yahoo shape', async () => {
    const notJson = await signedRequest(sandbox, 'POST', REDEEM, { body: Buffer.from('{"vouchers":[') });
    expect(notJson.status).toBe(400);
    expect(errorOf(notJson.text).code).toBe(10010);
    const empty = await signedRequest(sandbox, 'POST', REDEEM, { body: Buffer.from('{"vouchers":[]}') });
    expect(empty.status).toBe(400);
    const noOrder = await signedRequest(sandbox, 'POST', REDEEM, {
      body: Buffer.from(`{"vouchers":[{"serialNumber":"${DEMO_SERIALS.unusedA}","redeemAt":"x"}]}`),
    });
    expect(noOrder.status).toBe(400);
    expect(errorOf(noOrder.text).code).toBe(10010);
  });

  it('answers an unknown path 404 and a wrong method 405', async () => {
    expect((await signedRequest(sandbox, 'GET', '/stauth2/v1/nothing')).status).toBe(404);
    expect(errorOf((await signedRequest(sandbox, 'GET', '/stauth2/v1/nothing')).text).code).toBe(10004);
    expect((await signedRequest(sandbox, 'GET', REDEEM)).status).toBe(405);
  });
});

describe('query filters', () => {
  const client = () =>
    createYahooClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, sharedSecret: sandbox.sharedSecret });

  it('filters by orderId, orderItemId, productId + specId and status', async () => {
    const c = client();
    const group = await c.queryVouchers({ orderId: DEMO_ORDERS.group });
    expect(group.vouchers.map((v) => v.serialNumber).sort()).toEqual([
      DEMO_SERIALS.group1,
      DEMO_SERIALS.group2,
      DEMO_SERIALS.group3,
    ]);
    const one = await c.queryVouchers({ orderItemId: group.vouchers[0]?.orderItemId ?? '' });
    expect(one.total).toBe(1);
    const product = group.vouchers[0]?.productId ?? '';
    const byProduct = await c.queryVouchers({ productId: product, specId: '1', status: ['USED', 'CANCELLED'] });
    expect(byProduct.total).toBeGreaterThan(0);
    for (const v of byProduct.vouchers) {
      expect(v.productId).toBe(product);
      expect(v.specId).toBe('1');
      expect(['USED', 'CANCELLED']).toContain(v.status);
    }
    c.close();
  });

  it('filters by created time window and sorts ascending or descending', async () => {
    const c = client();
    const all = await c.queryVouchers({});
    const window = await c.queryVouchers({
      createdTimeStart: new Date(Date.now() - 30 * 86_400_000),
      createdTimeEnd: new Date(Date.now() - 10 * 86_400_000),
      sort: 'createdTime',
    });
    expect(window.total).toBeGreaterThan(0);
    expect(window.total).toBeLessThan(all.total);
    const starts = window.vouchers.map((v) => Date.parse(v.startTime ?? '')); // seeded startTime = createdTime
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(Date.now() - 30 * 86_400_000 - 1000);
    expect(Math.max(...starts)).toBeLessThanOrEqual(Date.now() - 10 * 86_400_000);
    const descending = await c.queryVouchers({
      createdTimeStart: new Date(Date.now() - 30 * 86_400_000),
      createdTimeEnd: new Date(Date.now() - 10 * 86_400_000),
    });
    expect(descending.vouchers.map((v) => v.serialNumber)).toEqual(
      window.vouchers.map((v) => v.serialNumber).reverse(),
    );
    c.close();
  });

  it('answers 400 for a bad date, status or sort', async () => {
    for (const query of ['createdTimeStart=2015-01-05', 'status=UNUSED,EXPIRED', 'sort=price']) {
      const answer = await signedRequest(sandbox, 'GET', QUERY, { query });
      expect(answer.status, query).toBe(400);
      expect(errorOf(answer.text).code).toBe(10010);
    }
  });
});

describe('admin routes and knobs', () => {
  const admin = (path: string, init: RequestInit = {}, secret: string | null = sandbox.sharedSecret) =>
    fetch(sandbox.baseUrl + path, { ...init, headers: secret === null ? {} : { 'x-sandbox-admin': secret } });

  it('requires the admin header', async () => {
    expect((await admin('/__sandbox/ledger', {}, null)).status).toBe(403);
    expect((await admin('/__sandbox/ledger', {}, 'guess')).status).toBe(403);
    expect((await admin('/__sandbox/faults', { method: 'POST', body: '{"hang":true}' }, 'guess')).status).toBe(403);
    expect(sandbox.faults.hang).toBe(false);
  });

  it('sets faults over HTTP, refusing unknown knobs', async () => {
    const response = await admin('/__sandbox/faults', { method: 'POST', body: '{"status5xx":true,"latencyMs":5}' });
    expect(response.status).toBe(200);
    expect(sandbox.faults).toMatchObject({ status5xx: true, latencyMs: 5, hang: false });
    expect((await signedRequest(sandbox, 'GET', QUERY)).status).toBe(500);
    expect((await admin('/__sandbox/faults', { method: 'POST', body: '{"explode":true}' })).status).toBe(400);
    expect((await admin('/__sandbox/faults', { method: 'POST', body: '{"errorRate":2}' })).status).toBe(400);
    expect(() => sandbox.setFaults({ errorRate: -1 })).toThrow();
  });

  it('shows the ledger over HTTP and sets a status through the admin route', async () => {
    const client = createYahooClient({
      baseUrl: sandbox.baseUrl,
      apiKey: sandbox.apiKey,
      sharedSecret: sandbox.sharedSecret,
    });
    const v = sandbox.getVoucher(DEMO_SERIALS.unusedB);
    await client.redeem([
      { orderId: v?.orderId ?? '', serialNumber: DEMO_SERIALS.unusedB, redeemAt: 'Front desk 1 · R-1' },
    ]);
    client.close();
    const ledger = (await (await admin('/__sandbox/ledger')).json()) as {
      ledger: { serialNumber: string; redeemAt: string }[];
    };
    expect(ledger.ledger).toContainEqual(
      expect.objectContaining({ serialNumber: DEMO_SERIALS.unusedB, redeemAt: 'Front desk 1 · R-1' }),
    );

    const set = await admin('/__sandbox/voucher-status', {
      method: 'POST',
      body: JSON.stringify({ serialNumber: DEMO_SERIALS.unusedC, status: 'REFUNDPENDING' }),
    });
    expect(set.status).toBe(200);
    expect(sandbox.getVoucher(DEMO_SERIALS.unusedC)?.status).toBe('REFUNDPENDING');
  });

  it('adds vouchers with unique serials only, and getVoucher returns copies', () => {
    const added = sandbox.addVoucher({ serialNumber: 'ADDED0001', status: 'USED' });
    expect(added.status).toBe('USED');
    expect(added.orderId).toMatch(/^YM\d{13}$/);
    expect(() => sandbox.addVoucher({ serialNumber: 'ADDED0001' })).toThrow();
    expect(() => sandbox.addVoucher({ serialNumber: DEMO_SERIALS.hugeId })).toThrow();
    const copy = sandbox.getVoucher('ADDED0001');
    if (copy) copy.status = 'UNUSED';
    expect(sandbox.getVoucher('ADDED0001')?.status).toBe('USED');
  });

  it('closes promptly even with a request hanging', async () => {
    const hanging = await startYahooSandbox({ voucherCount: 20, faults: { hang: true } });
    const pending = new Promise<string>((resolve) => {
      const req = http.get(`${hanging.baseUrl}${QUERY}`, () => resolve('answered'));
      req.on('error', () => resolve('cut'));
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { ms } = await elapsed(() => hanging.close());
    expect(ms).toBeLessThan(1_000);
    expect(await pending).toBe('cut');
    await vi.waitFor(() => expect(hanging.requests.map((r) => r.status)).toEqual([0]));
  });
});
