/**
 * WAUG webhooks (issue 5 item 3): token auth (401), strict schemas and caps (4xx), ORDER_UPDATE
 * newest-wins by updatedAt read in its IANA zone (replays, duplicates and out-of-order ones
 * change nothing), unknown orders fetched or recorded, GOODS_UPDATE recorded newest-wins.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { webhookRecordsOf } from '../../electron/core/db/bookings.js';
import { createLogger, createMemorySink } from '../../electron/core/log/logger.js';
import type { RouteRequest } from '../../electron/core/serve/routes.js';
import type { WaugApi, WaugGoods, WaugOrder } from '../../electron/core/waug/api.js';
import {
  createWaugWebhookHandler,
  WAUG_WEBHOOK_MAX_BODY_BYTES,
  WAUG_WEBHOOK_PATH,
} from '../../electron/core/webhooks/waug.js';
import { tokenMatches, WAUG_WEBHOOK_TOKEN_HEADER } from '../../electron/core/webhooks/token.js';
import { createTestStore } from '../helpers/db.js';
import { manualClock } from '../helpers/clock.js';
import { makeGoods, makeOrder } from '../helpers/waugOrders.js';

const TOKEN = 'A'.repeat(20) + 'secret-token-0123456789';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function harness(waug: Partial<WaugApi> | null = null) {
  const store = createTestStore();
  cleanups.push(() => store.close());
  const clock = manualClock('2025-06-01T03:00:00.000Z');
  const changed: string[] = [];
  const handler = createWaugWebhookHandler({
    store: () => store,
    waug: () => waug as WaugApi | null,
    // The catalog re-read (its own tests: catalog-*.test.ts), reduced here to WAUG's getGoods.
    catalog: {
      refreshGoods: async (goodsId, range) => ({
        goods: await waug!.getGoods!(goodsId),
        orderInfos: [],
        prices: [],
        range,
        syncedAt: clock.now().toISOString(),
      }),
      cachedGoods: () => null,
    },
    token: () => TOKEN,
    now: clock.now,
    log: createLogger({ sink: createMemorySink() }),
    onOrderChanged: (n) => changed.push(n),
  });
  // Cached: one order whose goods is PAID as of 2025-06-01T01:00:00Z (10:00 in Seoul).
  store.orders.upsert(
    makeOrder({ orderNumber: 'WG1' }, [makeGoods({ orderGoodsId: '3100001', updatedAt: '2025-06-01T01:00:00.000Z' })]),
    '2025-06-01T02:00:00.000Z',
  );
  const post = (body: unknown, options: { token?: string | null; header?: boolean; raw?: Buffer } = {}) => {
    const token = options.token === undefined ? TOKEN : options.token;
    const query = token !== null && !options.header ? `?token=${encodeURIComponent(token)}` : '';
    const target = `${WAUG_WEBHOOK_PATH}${query}`;
    const request: RouteRequest = {
      method: 'POST',
      url: new URL(target, 'http://merchant.invalid'),
      requestTarget: target,
      headers: options.header && token !== null ? { [WAUG_WEBHOOK_TOKEN_HEADER]: token } : {},
      body: options.raw ?? Buffer.from(JSON.stringify(body)),
      receivedAt: clock.now(),
    };
    return Promise.resolve(handler.route.handle(request));
  };
  const goods = () => store.orders.get('WG1')!.goods[0]!;
  return { store, handler, post, goods, changed, clock };
}

const orderUpdate = (status: string, date: string, timezone = 'Asia/Seoul', extra: Record<string, unknown> = {}) => ({
  orderNumber: 'WG1',
  orderGoodsId: 3100001,
  type: 'ORDER_UPDATE',
  orderStatus: status,
  updatedAt: { date, timezone_type: 3, timezone },
  ...extra,
});

describe('authentication', () => {
  it('refuses a missing or wrong token with 401 and changes nothing; takes it in the query or the header', async () => {
    const { post, goods } = harness();
    const body = orderUpdate('STATUS_CONFIRMED', '2025-06-01 11:00:00.000');
    expect((await post(body, { token: null })).status).toBe(401);
    expect((await post(body, { token: TOKEN.slice(0, -1) + 'x' })).status).toBe(401);
    expect((await post(body, { token: TOKEN + 'x' })).status).toBe(401);
    const refused = await post(body, { token: 'short' });
    expect(refused).toMatchObject({ status: 401, json: { error: { code: 22101 } } });
    expect(goods().status).toBe('STATUS_PAID');
    expect((await post(body, { header: true })).status).toBe(200);
    expect(goods().status).toBe('STATUS_CONFIRMED');
    expect(tokenMatches('', '')).toBe(false);
  });
});

describe('bodies', () => {
  it('refuses malformed JSON, unknown types, extra or missing fields and bad dates with 400', async () => {
    const { post } = harness();
    const bad = [{ raw: Buffer.from('{"type":"ORDER_UPDATE",') }, { raw: Buffer.from([0xff, 0xfe, 0x7b]) }];
    for (const b of bad) expect((await post(null, b)).status).toBe(400);
    const shapes: unknown[] = [
      { type: 'SOMETHING_ELSE' },
      orderUpdate('STATUS_CONFIRMED', '2025-06-01 11:00:00', 'Asia/Seoul', { extra: 1 }),
      orderUpdate('STATUS_NOPE', '2025-06-01 11:00:00'),
      orderUpdate('STATUS_CONFIRMED', '2025-13-01 11:00:00'),
      orderUpdate('STATUS_CONFIRMED', '2025-06-01 11:00:00', 'Mars/Olympus'),
      { ...orderUpdate('STATUS_CONFIRMED', '2025-06-01 11:00:00'), orderGoodsId: 1.5 },
      { goodsId: 1, type: 'GOODS_UPDATE' },
      [],
    ];
    for (const body of shapes) {
      const answer = await post(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json).toMatchObject({ error: { code: expect.any(Number) } });
    }
  });

  it('caps the body (the server refuses earlier with the same cap) and answers 413 over it', async () => {
    const { post, handler } = harness();
    expect(handler.route.maxBodyBytes).toBe(WAUG_WEBHOOK_MAX_BODY_BYTES);
    const answer = await post(null, { raw: Buffer.alloc(WAUG_WEBHOOK_MAX_BODY_BYTES + 1, 0x20) });
    expect(answer.status).toBe(413);
  });
});

describe('ORDER_UPDATE', () => {
  it('applies newest-wins by updatedAt read in Asia/Seoul; replays and older ones change nothing', async () => {
    const { post, goods, changed, store } = harness();
    // 10:05 in Seoul = 01:05Z: newer than the cached 01:00Z.
    expect((await post(orderUpdate('STATUS_IN_PROGRESS', '2025-06-01 10:05:00.000'))).json).toEqual({
      ok: true,
      result: 'applied',
    });
    expect(goods()).toMatchObject({ status: 'STATUS_IN_PROGRESS', updatedAt: '2025-06-01T01:05:00.000Z' });
    // The same webhook again: a duplicate.
    expect((await post(orderUpdate('STATUS_IN_PROGRESS', '2025-06-01 10:05:00.000'))).json).toMatchObject({
      result: 'duplicate',
    });
    // 09:30 in Seoul = 00:30Z: older, although read as UTC it would look newer. Must not win.
    expect((await post(orderUpdate('STATUS_CANCEL', '2025-06-01 09:30:00'))).json).toMatchObject({ result: 'stale' });
    expect(goods().status).toBe('STATUS_IN_PROGRESS');
    // Out of order: CONFIRMED (10:20 KST) arrives, then a late IN_PROGRESS-era PAID (10:10 KST).
    await post(orderUpdate('STATUS_CONFIRMED', '2025-06-01 10:20:00'));
    expect((await post(orderUpdate('STATUS_PAID', '2025-06-01 10:10:00'))).json).toMatchObject({ result: 'stale' });
    expect(goods()).toMatchObject({ status: 'STATUS_CONFIRMED', updatedAt: '2025-06-01T01:20:00.000Z' });
    expect(goods().history.map((h) => [h.status, h.at])).toEqual(
      [
        ['STATUS_PAID', '2025-06-01T01:00:00.000Z'],
        ['STATUS_IN_PROGRESS', '2025-06-01T01:05:00.000Z'],
        ['STATUS_CONFIRMED', '2025-06-01T01:20:00.000Z'],
        // (stale statuses never seen before still go into the timeline with their own time)
        ['STATUS_CANCEL', '2025-06-01T00:30:00.000Z'],
      ].sort((a, b) => (a[1]! < b[1]! ? -1 : 1)),
    );
    expect(changed).toEqual(['WG1', 'WG1']);
    expect(store.orders.get('WG1')!.goods).toHaveLength(1);
  });

  it('converts with the named zone: the same instant in New York and Seoul is the same version', async () => {
    const { post, goods } = harness();
    // 2025-06-01T02:00:00Z = 11:00 in Seoul = 22:00 (EDT, −4) the day before in New York.
    await post(orderUpdate('STATUS_IN_PROGRESS', '2025-05-31 22:00:00', 'America/New_York'));
    expect(goods().updatedAt).toBe('2025-06-01T02:00:00.000Z');
    expect((await post(orderUpdate('STATUS_IN_PROGRESS', '2025-06-01 11:00:00', 'Asia/Seoul'))).json).toMatchObject({
      result: 'duplicate',
    });
    // One second later in Seoul wins; one second earlier in New York does not.
    expect((await post(orderUpdate('STATUS_CONFIRMED', '2025-05-31 21:59:59', 'America/New_York'))).json).toMatchObject(
      { result: 'stale' },
    );
    expect((await post(orderUpdate('STATUS_CONFIRMED', '2025-06-01 11:00:01', 'Asia/Seoul'))).json).toMatchObject({
      result: 'applied',
    });
    expect(goods()).toMatchObject({ status: 'STATUS_CONFIRMED', updatedAt: '2025-06-01T02:00:01.000Z' });
  });

  it('records an update for an order not cached when WAUG is not configured', async () => {
    const { post, store, changed } = harness(null);
    const body = {
      ...orderUpdate('STATUS_CONFIRMED', '2025-06-01 11:00:00'),
      orderNumber: 'WG404',
      orderGoodsId: '777',
    };
    expect((await post(body)).json).toMatchObject({ result: 'recorded' });
    expect(webhookRecordsOf(store.db).pendingOrderUpdate('777')).toEqual({
      orderNumber: 'WG404',
      status: 'STATUS_CONFIRMED',
      updatedAt: '2025-06-01T02:00:00.000Z',
    });
    // An older one for the same goods does not replace it.
    await post({
      ...body,
      orderStatus: 'STATUS_PAID',
      updatedAt: { date: '2025-06-01 10:00:00', timezone_type: 3, timezone: 'Asia/Seoul' },
    });
    expect(webhookRecordsOf(store.db).pendingOrderUpdate('777')?.status).toBe('STATUS_CONFIRMED');
    expect(changed).toEqual([]);
  });

  it('reads an unknown order from WAUG, caches it and applies the update on top', async () => {
    const fetched: WaugOrder = makeOrder({ orderNumber: 'WG2', partnerOrderNumber: 'YS2' }, [
      makeGoods({ orderGoodsId: '888', status: 'STATUS_PAID', updatedAt: '2025-06-01T01:00:00.000Z' }),
    ]);
    const { post, store, changed } = harness({ getOrder: async (n: string) => (n === 'WG2' ? fetched : null) });
    const body = { ...orderUpdate('STATUS_CONFIRMED', '2025-06-01 11:00:00'), orderNumber: 'WG2', orderGoodsId: 888 };
    expect((await post(body)).json).toMatchObject({ result: 'fetched' });
    expect(store.orders.get('WG2')!.goods[0]).toMatchObject({
      status: 'STATUS_CONFIRMED',
      updatedAt: '2025-06-01T02:00:00.000Z',
    });
    expect(changed).toEqual(['WG2']);
  });
});

describe('GOODS_UPDATE', () => {
  it('records the newest update per goods and renames cached ordered goods when WAUG answers', async () => {
    const renamed = { goodsId: '107439', goodsName: 'Tamsui Ferry (new name)' } as WaugGoods;
    const { post, store, goods } = harness({ getGoods: async () => renamed });
    const update = (date: string) => ({
      goodsId: 107439,
      type: 'GOODS_UPDATE',
      updatedAt: { date, timezone_type: 3, timezone: 'Asia/Seoul' },
    });
    expect((await post(update('2025-06-01 12:00:00.000'))).json).toEqual({ ok: true, result: 'applied' });
    expect(webhookRecordsOf(store.db).goodsUpdatedAt('107439')).toBe('2025-06-01T03:00:00.000Z');
    expect(goods().goodsName).toBe('Tamsui Ferry (new name)');
    expect((await post(update('2025-06-01 12:00:00'))).json).toMatchObject({ result: 'duplicate' });
    expect((await post(update('2025-06-01 11:00:00'))).json).toMatchObject({ result: 'stale' });
    expect(webhookRecordsOf(store.db).goodsUpdatedAt('107439')).toBe('2025-06-01T03:00:00.000Z');
  });
});
