/**
 * The WAUG sandbox sends its webhooks to the merchant server over real HTTP (issue 5 items 3
 * and 5): progress and refunds as ORDER_UPDATE, a goods change as GOODS_UPDATE, with updatedAt
 * in another zone than Seoul to prove the conversion; a wrong token gets 401 and an oversized
 * body 413 from the server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookRecordsOf } from '../../electron/core/db/bookings.js';
import { ordersOf } from '../../electron/core/db/orders.js';
import type { Db } from '../../electron/core/db/open.js';
import type { MerchantServer } from '../../electron/core/serve/server.js';
import { DEMO_WAUG, startWaugSandbox, type WaugSandbox } from '../../electron/core/sandbox/waug/index.js';
import { WAUG_WEBHOOK_MAX_BODY_BYTES, WAUG_WEBHOOK_PATH } from '../../electron/core/webhooks/waug.js';
import { startWaugCore, type WaugCore } from '../helpers/waugCore.js';

let waug: WaugSandbox;
let desk: WaugCore;
let server: MerchantServer;
let db: Db;
const events: string[] = [];

beforeAll(async () => {
  waug = await startWaugSandbox({ webhookScanEveryMs: 0, webhookTimeZone: 'America/New_York' });
  desk = await startWaugCore(waug);
  desk.core.onOrderChanged(({ orderNumber }) => events.push(orderNumber));
  server = await desk.core.startMerchantServer({ port: 0, host: '127.0.0.1' });
  waug.setWebhookTarget(desk.core.waugWebhookUrl(server.url));
  db = desk.openDb();
});

afterAll(async () => {
  await desk?.close();
  await waug?.close();
});

describe('webhooks from the WAUG sandbox', () => {
  it('refuses a wrong token with 401 and an oversized body with 413', async () => {
    const url = new URL(WAUG_WEBHOOK_PATH, server.url);
    url.searchParams.set('token', 'not-the-token-not-the-token-not-the-token');
    const wrong = await fetch(url, { method: 'POST', body: '{"goodsId":1,"type":"GOODS_UPDATE"}' });
    expect(wrong.status).toBe(401);
    const big = await fetch(desk.core.waugWebhookUrl(server.url), {
      method: 'POST',
      body: Buffer.alloc(WAUG_WEBHOOK_MAX_BODY_BYTES + 10, 0x20),
    });
    expect(big.status).toBe(413);
    const malformed = await fetch(desk.core.waugWebhookUrl(server.url), { method: 'POST', body: '{"type":' });
    expect(malformed.status).toBe(400);
  });

  it('sends nothing for statuses as they were when the target was set', async () => {
    expect(await waug.flushWebhooks()).toBe(0);
  });

  it('applies a status change sent as ORDER_UPDATE in New York time, newest-wins, and emits orderChanged', async () => {
    const demo = DEMO_WAUG.unusedA;
    await desk.call('getOrder', { orderNumber: demo.orderNumber, prefer: 'remote' });
    const cached = ordersOf(db).get(demo.orderNumber)!;
    const goodsId = cached.goods[0]!.orderGoodsId;
    const sentBefore = waug.webhooksSent.length;
    const view = waug.setGoodsStatus(demo.orderNumber, goodsId, 'STATUS_REFUND_REQUESTED');
    await waug.flushWebhooks(); // setGoodsStatus already started sending; this waits for it
    expect(waug.webhooksSent.length).toBe(sentBefore + 1);
    const sent = JSON.parse(waug.webhooksSent.at(-1)!.body) as { updatedAt: { timezone: string } };
    expect(sent.updatedAt.timezone).toBe('America/New_York');
    const goods = ordersOf(db).get(demo.orderNumber)!.goods[0]!;
    expect(goods.status).toBe('STATUS_REFUND_REQUESTED');
    // The instant is the sandbox's own, to the millisecond: converted with the zone, not as UTC.
    expect(goods.updatedAt).toBe(view.orderGoods[0]!.updatedAt);
    expect(events).toContain(demo.orderNumber);
    // Replaying the same body is a duplicate.
    const replay = await fetch(desk.core.waugWebhookUrl(server.url), {
      method: 'POST',
      body: waug.webhooksSent.at(-1)!.body,
    });
    expect(await replay.json()).toEqual({ ok: true, result: 'duplicate' });
  });

  it('records GOODS_UPDATE when a goods is modified', async () => {
    const sentBefore = waug.webhooksSent.length;
    waug.modifyGoods('107278');
    await waug.flushWebhooks();
    expect(waug.webhooksSent.length).toBe(sentBefore + 1);
    expect(waug.webhooksSent.at(-1)).toMatchObject({ type: 'GOODS_UPDATE', status: 200 });
    expect(webhookRecordsOf(db).goodsUpdatedAt('107278')).not.toBeNull();
  });

  it('sends a webhook the merchant did not take again on the next scan, in order', async () => {
    const bodies: string[] = [];
    let answers = 0;
    const flaky = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(answers++ === 0 ? 503 : 200).end('{}');
      });
    });
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    try {
      waug.setWebhookTarget(`http://127.0.0.1:${(flaky.address() as AddressInfo).port}/hook`);
      const demo = DEMO_WAUG.unusedB;
      const goodsId = waug.getOrder(demo.orderNumber)!.orderGoods[0]!.orderGoodsId;
      waug.setGoodsStatus(demo.orderNumber, goodsId, 'STATUS_CANCEL');
      // setGoodsStatus sends at once (503); this flush waits for it and sends the same again (200).
      await waug.flushWebhooks();
      expect(waug.webhooksSent.slice(-2).map((w) => [w.type, w.status])).toEqual([
        ['ORDER_UPDATE', 503],
        ['ORDER_UPDATE', 200],
      ]);
      expect(await waug.flushWebhooks()).toBe(0);
      expect(bodies).toHaveLength(2);
      expect(bodies[1]).toBe(bodies[0]);
      expect(JSON.parse(bodies[0]!)).toMatchObject({ orderNumber: demo.orderNumber, orderStatus: 'STATUS_CANCEL' });
    } finally {
      waug.setWebhookTarget(desk.core.waugWebhookUrl(server.url));
      await new Promise((resolve) => flaky.close(resolve));
    }
  });
});
