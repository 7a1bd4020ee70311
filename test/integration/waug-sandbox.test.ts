/**
 * The WAUG sandbox itself, by hand over HTTP: the envelope, tokens, the seed's rate limit
 * exactly, size limits, and the admin endpoint's guard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_WAUG,
  KOREAN_GOODS_IDS,
  startWaugSandbox,
  WAUG_SANDBOX_ADMIN_HEADER,
  WAUG_SANDBOX_ADMIN_PATHS,
  type WaugSandbox,
} from '../../electron/core/sandbox/waug/index.js';
import { createWaugClient } from '../../electron/core/waug/client.js';
import { fakeClock } from '../fixtures/waug/clock.js';
import { planOrder } from '../fixtures/waug/orders.js';

const clock = fakeClock();
let sandbox: WaugSandbox;

const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function raw(
  method: 'GET' | 'POST',
  path: string,
  options: { token?: string; authorization?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
  if (options.authorization !== undefined) headers.Authorization = options.authorization;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(sandbox.baseUrl + path, { method, headers, body: options.body ?? null });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function token(): Promise<string> {
  const answer = await raw('POST', '/v1/token', { authorization: basic(sandbox.clientId, sandbox.clientSecret) });
  return answer.json.accessToken as string;
}

beforeAll(async () => {
  sandbox = await startWaugSandbox({ now: clock.now, tokenTtlSeconds: 600 });
});
afterAll(async () => {
  await sandbox.close();
});

describe('envelope and tokens', () => {
  it('issues a bare token exactly as the seed shows it', async () => {
    const answer = await raw('POST', '/v1/token', { authorization: basic(sandbox.clientId, sandbox.clientSecret) });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.json).sort()).toEqual(['accessToken', 'expiresIn', 'tokenType']);
    expect(answer.json).toMatchObject({ tokenType: 'bearer', expiresIn: '600' });
  });

  it('wraps every answer in the seed envelope, failures included', async () => {
    const t = await token();
    const ok = await raw('GET', `/v1/orders/${DEMO_WAUG.used.orderNumber}`, { token: t });
    expect(Object.keys(ok.json).sort()).toEqual([
      'count',
      'data',
      'message',
      'responseCode',
      'service',
      'uri',
      'version',
    ]);
    expect(ok.json).toMatchObject({
      responseCode: '000',
      count: 1,
      version: 'v1',
      uri: `/v1/orders/${DEMO_WAUG.used.orderNumber}`,
      service: 'WAUG_PARTNER_API',
    });
    const missing = await raw('GET', '/v1/goods/424242', { token: t });
    expect(missing).toMatchObject({ status: 200, json: { responseCode: '103', service: 'WAUG_PARTNER_API' } });
    const unknown = await raw('GET', '/v1/nothing-here', { token: t });
    expect(unknown.json.responseCode).toBe('100');
  });

  it('answers 101 to a wrong secret, a missing token, and an expired one', async () => {
    expect(
      (await raw('POST', '/v1/token', { authorization: basic(sandbox.clientId, 'wrong') })).json.responseCode,
    ).toBe('101');
    expect((await raw('GET', '/v1/goods')).json.responseCode).toBe('101');
    const t = await token();
    expect((await raw('GET', '/v1/goods', { token: t })).json.responseCode).toBe('000');
    clock.advance(600_000);
    const expired = await raw('GET', '/v1/goods', { token: t });
    expect(expired).toMatchObject({ status: 401, json: { responseCode: '101' } });
  });

  it('can put the token inside the envelope instead', async () => {
    const other = await startWaugSandbox({ tokenShape: 'envelope', demoOrders: false });
    try {
      const response = await fetch(`${other.baseUrl}/v1/token`, {
        method: 'POST',
        headers: { Authorization: basic(other.clientId, other.clientSecret) },
      });
      const json = (await response.json()) as { responseCode: string; data: { expiresIn: string } };
      expect(json.responseCode).toBe('000');
      expect(json.data.expiresIn).toBe('43199');
      const api = createWaugClient({
        baseUrl: other.baseUrl,
        clientId: other.clientId,
        clientSecret: other.clientSecret,
      });
      expect((await api.listGoods()).count).toBeGreaterThan(0);
      api.close();
    } finally {
      await other.close();
    }
  });
});

describe('rate limit, exactly as the seed states', () => {
  it('100 in 6 s pass; every request for the rest of the 10 s block gets 111; order creation passes; then all pass', async () => {
    clock.advance(60_000); // a fresh block
    const t = await token(); // request 1 of this block
    const blockStart = clock.now();
    const codes: string[] = [];
    for (let i = 0; i < 99; i += 1) {
      codes.push(
        (await raw('GET', `/v1/orders/${DEMO_WAUG.used.orderNumber}`, { token: t })).json.responseCode as string,
      );
      clock.advance(60); // 99 × 60 ms ≈ 6 s
    }
    expect(codes.every((c) => c === '000')).toBe(true);

    const over = await raw('GET', `/v1/orders/${DEMO_WAUG.used.orderNumber}`, { token: t });
    expect(over).toMatchObject({ status: 429, json: { responseCode: '111' } });
    clock.advance(3_000);
    expect((await raw('GET', '/v1/goods', { token: t })).json.responseCode).toBe('111'); // still blocked at ~9 s

    // Order creation is exempt [seed], even inside the block.
    const api = createWaugClient({
      baseUrl: sandbox.baseUrl,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      clock,
      rateLimit: { limit: null },
    });
    clock.advance(10_000); // plan outside the block…
    const plan = await planOrder(api, KOREAN_GOODS_IDS.udo, 'VD-SANDBOX-1', { nowMs: clock.now() });
    const t2 = await token();
    for (let i = 0; i < 110; i += 1) await raw('GET', '/v1/goods', { token: t2 }); // …then exhaust a new one
    expect((await raw('GET', '/v1/goods', { token: t2 })).json.responseCode).toBe('111');
    const created = await raw('POST', '/v1/orders', { token: t2, body: JSON.stringify(plan.request) });
    expect(created.json.responseCode).toBe('000');
    api.close();

    clock.advance(10_000);
    expect((await raw('GET', '/v1/goods', { token: t2 })).json.responseCode).toBe('000');
    expect(blockStart).toBeLessThan(clock.now());
  });
});

describe('limits and parameters', () => {
  it('answers 110 to a body over the cap', async () => {
    const t = await token();
    const big = JSON.stringify({ partnerOrderNumber: 'X', orderGoods: [], orderInfos: [], pad: 'x'.repeat(1_100_000) });
    const answer = await raw('POST', '/v1/orders', { token: t, body: big });
    expect(answer).toMatchObject({ status: 413, json: { responseCode: '110' } });
  });

  it('answers 102 to a comment page over 100, and to bad date ranges', async () => {
    const t = await token();
    expect((await raw('GET', '/v1/goods/107278/comments?size=101', { token: t })).json.responseCode).toBe('102');
    expect(
      (await raw('GET', '/v1/goods/107278/prices?startDate=2026-01-02&endDate=2026-01-01', { token: t })).json
        .responseCode,
    ).toBe('102');
    expect((await raw('GET', '/v1/orders?startDate=2026-1-1&endDate=2026-01-31', { token: t })).json.responseCode).toBe(
      '102',
    );
  });

  it('sends ids and prices as bare JSON numbers, times as Seoul PHP DateTimes', async () => {
    const t = await token();
    const response = await fetch(`${sandbox.baseUrl}/v1/orders/${DEMO_WAUG.hugeId.orderNumber}`, {
      headers: { Authorization: `Bearer ${t}` },
    });
    const text = await response.text();
    expect(text).toContain('"orderGoodsId":9007199254740993');
    expect(text).toMatch(
      /"orderedAt":\{"date":"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}","timezone_type":3,"timezone":"Asia\/Seoul"\}/,
    );
  });
});

describe('admin endpoint', () => {
  it('refuses without the admin header, and sets faults and revokes tokens with it', async () => {
    const noHeader = await raw('POST', WAUG_SANDBOX_ADMIN_PATHS.faults, { body: '{"latencyMs":5}' });
    expect(noHeader.status).toBe(403);
    expect(sandbox.faults.latencyMs).toBe(0);
    const wrong = await raw('POST', WAUG_SANDBOX_ADMIN_PATHS.faults, {
      body: '{"latencyMs":5}',
      headers: { [WAUG_SANDBOX_ADMIN_HEADER]: 'guess' },
    });
    expect(wrong.status).toBe(403);

    const admin = { [WAUG_SANDBOX_ADMIN_HEADER]: sandbox.clientSecret };
    const set = await raw('POST', WAUG_SANDBOX_ADMIN_PATHS.faults, { body: '{"responseCode":"108"}', headers: admin });
    expect(set.json).toMatchObject({ faults: { responseCode: '108' } });
    const t = await token();
    expect((await raw('GET', '/v1/goods', { token: t })).json.responseCode).toBe('108');
    await raw('POST', WAUG_SANDBOX_ADMIN_PATHS.faults, { body: '{"responseCode":null}', headers: admin });
    expect(
      (await raw('POST', WAUG_SANDBOX_ADMIN_PATHS.faults, { body: '{"nonsense":1}', headers: admin })).status,
    ).toBe(400);

    await raw('POST', WAUG_SANDBOX_ADMIN_PATHS.revokeTokens, { headers: admin });
    expect((await raw('GET', '/v1/goods', { token: t })).json.responseCode).toBe('101');
  });

  it('moves an ordered goods by hand and completes a refund', async () => {
    const admin = { [WAUG_SANDBOX_ADMIN_HEADER]: sandbox.clientSecret };
    const order = sandbox.getOrder(DEMO_WAUG.seedExample.orderNumber);
    const goodsId = order?.orderGoods[0]?.orderGoodsId ?? '';
    const moved = await raw('POST', WAUG_SANDBOX_ADMIN_PATHS.goodsStatus, {
      headers: admin,
      body: JSON.stringify({
        orderNumber: DEMO_WAUG.seedExample.orderNumber,
        orderGoodsId: goodsId,
        status: 'STATUS_CONFIRMED',
      }),
    });
    expect(moved.status).toBe(200);
    expect(sandbox.getOrder(DEMO_WAUG.seedExample.orderNumber)?.orderGoods[0]?.voucherIssued).toBe(true);
    expect(sandbox.completeRefund(DEMO_WAUG.refundPending.orderNumber).orderStatus).toBe('STATUS_REFUND_COMPLETED');
  });
});
