/**
 * The merchant server over real HTTP: Yahoo's signed calls, every refusal in Yahoo's shape,
 * idempotent issue under 50 concurrent identical requests, cancel, and notifications.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/core/log/logger.js';
import { createSerialService } from '../../electron/core/serials/service.js';
import { MERCHANT_ERRORS, MERCHANT_MAX_BODY_BYTES, MERCHANT_PATHS } from '../../electron/core/serve/constants.js';
import { createServeController } from '../../electron/core/serve/controller.js';
import { createRouteTable, merchantJson } from '../../electron/core/serve/routes.js';
import { yahooMerchantRoutes } from '../../electron/core/serve/yahooEndpoints.js';
import { createMemorySettingsStore } from '../../electron/core/config/settings.js';
import { createTestStore } from '../helpers/db.js';
import { signedRequest } from '../fixtures/yahoo/http.js';

const creds = { apiKey: 'k'.repeat(30), sharedSecret: 'merchant-shared-secret' };
const store = createTestStore();
const serials = createSerialService({ store: () => store, log: silentLogger });
const routes = createRouteTable(yahooMerchantRoutes({ credentials: () => creds, serials }));
const controller = createServeController({ routes, settingsStore: createMemorySettingsStore(), log: silentLogger });
let merchant: { baseUrl: string; apiKey: string; sharedSecret: string };

beforeAll(async () => {
  const status = await controller.start({ port: 0, host: '127.0.0.1' });
  merchant = { baseUrl: status.url!, ...creds };
});
afterAll(async () => {
  await controller.close();
  store.close();
});

let seq = 0;
function order(items = 2, orderId = `YM${Date.now()}${++seq}`) {
  return {
    storeId: 'top1',
    transactionId: '6021970',
    orderId,
    productId: 'p12345679',
    specId: '1',
    customizedProductId: 'p12345679',
    quantity: items,
    orderItems: Array.from({ length: items }, (_, i) => ({
      orderItemId: `${orderId}-${i}`,
      price: 70,
      originalPrice: 100,
    })),
  };
}
const post = (path: string, body: unknown, options: Parameters<typeof signedRequest>[3] = {}) =>
  signedRequest(merchant, 'POST', path, {
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    ...options,
  });
const errorOf = (name: keyof typeof MERCHANT_ERRORS) => ({
  status: MERCHANT_ERRORS[name].status,
  code: MERCHANT_ERRORS[name].code,
});
async function expectRefusal(answer: Promise<{ status: number; text: string }>, name: keyof typeof MERCHANT_ERRORS) {
  const a = await answer;
  const body = JSON.parse(a.text) as { error: { code: number; message: string } };
  expect({ status: a.status, code: body.error.code }).toEqual(errorOf(name));
  expect(typeof body.error.message).toBe('string');
}

describe('authentication and refusals', () => {
  it('issues for a correctly signed call (the seed’s shape)', async () => {
    const body = order(3);
    const a = await post(MERCHANT_PATHS.serialNumbers, body);
    expect(a.status).toBe(200);
    const json = JSON.parse(a.text) as { vouchers: { orderItemId: string; serialNumber: string }[] };
    expect(json.vouchers.map((v) => v.orderItemId)).toEqual(body.orderItems.map((i) => i.orderItemId));
    expect(json.vouchers.every((v) => /^VD[2-9A-HJKMNP-Y]{16}$/.test(v.serialNumber))).toBe(true);
  });

  it('refuses a bad signature, a wrong secret, a stale or missing TimeStamp and a wrong ApiKey with 401', async () => {
    const body = order();
    await expectRefusal(post(MERCHANT_PATHS.serialNumbers, body, { secret: 'not-the-secret' }), 'badSignature');
    await expectRefusal(
      post(MERCHANT_PATHS.serialNumbers, body, { timeStamp: Math.floor(Date.now() / 1000) - 301 }),
      'staleTimeStamp',
    );
    await expectRefusal(
      post(MERCHANT_PATHS.serialNumbers, body, { timeStamp: Math.floor(Date.now() / 1000) + 400 }),
      'staleTimeStamp',
    );
    await expectRefusal(post(MERCHANT_PATHS.serialNumbers, body, { apiKey: 'x'.repeat(30) }), 'badApiKey');
    // Signed over one body, another sent: the signature covers the body.
    const unsigned = await fetch(
      `${merchant.baseUrl}${MERCHANT_PATHS.serialNumbers}?TimeStamp=${Math.floor(Date.now() / 1000)}&ApiKey=${creds.apiKey}`,
      {
        method: 'POST',
        body: JSON.stringify(body),
      },
    );
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { error: { code: number } }).error.code).toBe(MERCHANT_ERRORS.badSignature.code);
    // Nothing was issued by any of them.
    expect(serials.listByOrder(body.orderId)).toEqual([]);
  });

  it('a signature still valid 299 s later is accepted', async () => {
    const a = await post(MERCHANT_PATHS.serialNumbers, order(1), { timeStamp: Math.floor(Date.now() / 1000) - 290 });
    expect(a.status).toBe(200);
  });

  it('refuses an oversized body with 413, malformed JSON with 400, and schema-invalid bodies with 400', async () => {
    const huge = { ...order(1), padding: 'x'.repeat(MERCHANT_MAX_BODY_BYTES + 10) };
    await expectRefusal(post(MERCHANT_PATHS.serialNumbers, huge), 'bodyTooLarge');
    await expectRefusal(post(MERCHANT_PATHS.serialNumbers, '{"orderId": "YM1", '), 'malformedJson');
    await expectRefusal(post(MERCHANT_PATHS.notification, 'not json at all'), 'malformedJson');
    const bad = [
      { ...order(), orderItems: [] },
      { ...order(), quantity: 3 },
      { ...order(), orderId: 'Y'.repeat(25) },
      { ...order(), orderItems: [{ orderItemId: 'YS1', price: -1 }], quantity: 1 },
      {
        ...order(),
        orderItems: [
          { orderItemId: 'YS1', price: 1 },
          { orderItemId: 'YS1', price: 1 },
        ],
      },
      (() => {
        const { orderId: _drop, ...rest } = order();
        return rest;
      })(),
      [],
    ];
    for (const body of bad) await expectRefusal(post(MERCHANT_PATHS.serialNumbers, body), 'invalidBody');
    const badNotes = [
      { vouchers: [] },
      {
        vouchers: [
          {
            voucherId: '1',
            orderId: 'YM1',
            orderItemId: 'YS1',
            status: 'EATEN',
            statusAppliedTime: '2025-01-01T00:00:00Z',
          },
        ],
      },
      { vouchers: [{ voucherId: '1', orderId: 'YM1', orderItemId: 'YS1', status: 'USED' }] },
      {
        vouchers: [
          {
            voucherId: 'abc',
            orderId: 'YM1',
            orderItemId: 'YS1',
            status: 'USED',
            statusAppliedTime: '2025-01-01T00:00:00Z',
          },
        ],
      },
    ];
    for (const body of badNotes) await expectRefusal(post(MERCHANT_PATHS.notification, body), 'invalidBody');
  });

  it('answers 404 and 405 in Yahoo’s shape', async () => {
    await expectRefusal(post('/v1/nothing-here', {}), 'notFound');
    await expectRefusal(signedRequest(merchant, 'GET', MERCHANT_PATHS.serialNumbers), 'methodNotAllowed');
  });

  it('answers 503 when no credentials are configured', async () => {
    const bare = createRouteTable(yahooMerchantRoutes({ credentials: () => null, serials }));
    const c = createServeController({ routes: bare, settingsStore: createMemorySettingsStore(), log: silentLogger });
    const s = await c.start({ port: 0 });
    try {
      const body = Buffer.from(JSON.stringify(order()));
      const target = { ...merchant, baseUrl: s.url! };
      await expectRefusal(signedRequest(target, 'POST', MERCHANT_PATHS.serialNumbers, { body }), 'notConfigured');
    } finally {
      await c.close();
    }
  });
});

describe('issue is idempotent per orderItemId', () => {
  it('50 concurrent identical requests give exactly one set of serials', async () => {
    const body = order(3);
    const answers = await Promise.all(Array.from({ length: 50 }, () => post(MERCHANT_PATHS.serialNumbers, body)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const sets = new Set(answers.map((a) => a.text));
    expect(sets.size).toBe(1);
    const rows = serials.listByOrder(body.orderId);
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.serialNumber)).size).toBe(3);
    const answered = (JSON.parse(answers[0]!.text) as { vouchers: { serialNumber: string }[] }).vouchers;
    expect(answered.map((v) => v.serialNumber).sort()).toEqual(rows.map((r) => r.serialNumber).sort());
  });

  it('distinct order items concurrently get distinct serials', async () => {
    const bodies = Array.from({ length: 40 }, () => order(2));
    const answers = await Promise.all(bodies.map((b) => post(MERCHANT_PATHS.serialNumbers, b)));
    const all = answers.flatMap((a) => (JSON.parse(a.text) as { vouchers: { serialNumber: string }[] }).vouchers);
    expect(all).toHaveLength(80);
    expect(new Set(all.map((v) => v.serialNumber)).size).toBe(80);
  });
});

describe('cancel', () => {
  it('by ?action=cancel and by the /cancel path; twice is harmless', async () => {
    const body = order(2);
    const issued = await post(MERCHANT_PATHS.serialNumbers, body);
    const a = await post(MERCHANT_PATHS.serialNumbers, body, { query: 'action=cancel' });
    expect(a.status).toBe(200);
    expect(a.text).toBe(issued.text);
    expect(serials.listByOrder(body.orderId).map((r) => r.status)).toEqual(['CANCELLED', 'CANCELLED']);
    const b = await post(MERCHANT_PATHS.cancelSerialNumbers, body);
    expect(b.status).toBe(200);
    expect(b.text).toBe(issued.text);
  });

  it('a USED serial → 409 in Yahoo’s shape, and nothing is cancelled', async () => {
    const body = order(2);
    const issued = JSON.parse((await post(MERCHANT_PATHS.serialNumbers, body)).text) as {
      vouchers: { serialNumber: string }[];
    };
    const id = store.vouchers.getBySerial(issued.vouchers[1]!.serialNumber)!.voucher.voucherId;
    store.vouchers.applyStatus(
      id,
      { status: 'USED', statusAppliedTime: new Date().toISOString() },
      new Date().toISOString(),
    );
    await expectRefusal(post(MERCHANT_PATHS.cancelSerialNumbers, body), 'serialUsed');
    expect(serials.listByOrder(body.orderId).map((r) => r.status)).toEqual(['UNUSED', 'USED']);
  });

  it('an order item never issued here → 404 in Yahoo’s shape', async () => {
    await expectRefusal(post(MERCHANT_PATHS.cancelSerialNumbers, order(1)), 'unknownOrderItem');
  });
});

describe('notifications', () => {
  it('replayed, duplicated and out-of-order notifications: the newest wins, the rest change nothing', async () => {
    const body = order(1);
    await post(MERCHANT_PATHS.serialNumbers, body);
    const orderItemId = body.orderItems[0]!.orderItemId;
    const n = (status: string, at: string) => ({
      vouchers: [
        {
          storeId: 'top1',
          voucherId: '18446744073709551615',
          orderId: body.orderId,
          orderItemId,
          status,
          statusAppliedTime: at,
          executedBy: 'system:x',
        },
      ],
    });
    const newer = n('USED', '2025-06-01T07:20:00Z');
    const older = n('UNUSED', '2025-06-01T07:00:00Z');
    expect((await post(MERCHANT_PATHS.notification, newer)).status).toBe(200);
    expect((await post(MERCHANT_PATHS.notification, older)).status).toBe(200);
    expect((await post(MERCHANT_PATHS.notification, newer)).status).toBe(200);
    const cached = store.vouchers.getById('18446744073709551615')!;
    expect(cached.voucher.status).toBe('USED');
    expect(cached.voucher.statusAppliedTime).toBe('2025-06-01T07:20:00.000Z');
    expect(serials.listByOrder(body.orderId)[0]).toMatchObject({ status: 'USED', voucherId: '18446744073709551615' });
  });

  it('an unknown voucher is answered 200 and not inserted', async () => {
    const before = store.vouchers.count();
    const a = await post(MERCHANT_PATHS.notification, {
      vouchers: [
        {
          storeId: 'top1',
          voucherId: '777',
          orderId: 'YMx',
          orderItemId: 'YSx',
          status: 'USED',
          statusAppliedTime: '2025-06-01T07:20:00Z',
          executedBy: null,
        },
      ],
    });
    expect(a.status).toBe(200);
    expect(store.vouchers.count()).toBe(before);
  });
});

describe('route table and status', () => {
  it('counts requests (refused ones too) and serves routes registered later', async () => {
    const before = controller.status().requests;
    await post('/v1/nothing-here', {});
    const remove = routes.register({
      name: 'test.echo',
      method: 'POST',
      path: '/v1/test/echo',
      handle: (r) => merchantJson(200, { bytes: r.body.length }),
    });
    const a = await post('/v1/test/echo', { a: 1 });
    expect(JSON.parse(a.text)).toEqual({ bytes: 7 });
    remove();
    expect(() =>
      routes.register({
        name: 'dup',
        method: 'POST',
        path: MERCHANT_PATHS.notification,
        handle: () => merchantJson(200, {}),
      }),
    ).toThrow();
    expect(controller.status()).toMatchObject({ running: true, requests: before + 2 });
  });
});
