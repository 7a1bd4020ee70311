/**
 * The whole life cycle of a WAUG-fulfilled voucher (issue 5), over real HTTP on loopback:
 * the Yahoo sandbox sells (a SIGNED issue call) → the merchant server issues a serial → the
 * booking is made in the WAUG sandbox (partnerOrderNumber = orderItemId) → the WAUG sandbox's
 * webhook moves the goods' status in the cache → the desk finds the voucher in its cache at once
 * and redeems it against the Yahoo sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookingContactStore } from '../../electron/core/bookings/contact.js';
import { createMemorySettingsStore } from '../../electron/core/config/settings.js';
import { ordersOf } from '../../electron/core/db/orders.js';
import { DEMO_BOOKING_CONTACT, DEMO_MAPPING } from '../../electron/core/demo.js';
import { MERCHANT_PATHS } from '../../electron/core/serve/constants.js';
import type { MerchantServer } from '../../electron/core/serve/server.js';
import { startWaugSandbox, type WaugSandbox } from '../../electron/core/sandbox/waug/index.js';
import { startYahooSandbox, type YahooSandbox } from '../../electron/core/sandbox/yahoo/index.js';
import { startWaugCore, type WaugCore } from '../helpers/waugCore.js';

let yahoo: YahooSandbox;
let waug: WaugSandbox;
let desk: WaugCore;
let server: MerchantServer;
const orderEvents: string[] = [];

beforeAll(async () => {
  yahoo = await startYahooSandbox({ voucherCount: 50 });
  waug = await startWaugSandbox({
    demoOrders: false,
    progression: { inProgressAfterMs: 100, confirmedAfterMs: 200 },
    webhookScanEveryMs: 0, // the test flushes webhooks itself
  });
  const settingsStore = createMemorySettingsStore();
  createBookingContactStore(settingsStore).write(DEMO_BOOKING_CONTACT);
  desk = await startWaugCore(waug, { yahoo, core: { settingsStore } });
  desk.core.onOrderChanged(({ orderNumber }) => orderEvents.push(orderNumber));
  await desk.call('setMapping', { ...DEMO_MAPPING });
  server = await desk.core.startMerchantServer({ port: 0, host: '127.0.0.1' });
  waug.setWebhookTarget(desk.core.waugWebhookUrl(server.url));
});

afterAll(async () => {
  await desk?.close();
  await Promise.all([yahoo?.close(), waug?.close()]);
});

async function until<T>(what: () => T | undefined | null | false, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = what();
    if (value) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('sale → serial → booking → webhook → redemption', () => {
  it('refuses an unsigned issue call (the merchant checks Yahoo’s signature)', async () => {
    const target = `${MERCHANT_PATHS.serialNumbers}?TimeStamp=${Math.floor(Date.now() / 1000)}&ApiKey=${yahoo.apiKey}`;
    const response = await fetch(new URL(target, server.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-STOREAUTH-SIG': '0'.repeat(40) },
      body: JSON.stringify({
        orderId: 'YMX',
        productId: DEMO_MAPPING.yahooProductId,
        specId: '1',
        quantity: 1,
        orderItems: [],
      }),
    });
    expect(response.status).toBe(401);
  });

  it('runs the whole life cycle', async () => {
    const ordersBefore = waug.orderCount;
    // 1. Yahoo sells: a signed call to the merchant's issue endpoint.
    const sale = await yahoo.sell({
      merchantUrl: server.url,
      productId: DEMO_MAPPING.yahooProductId,
      specId: DEMO_MAPPING.yahooSpecId,
    });
    expect(sale.status).toBe(200);
    expect(sale.vouchers).toHaveLength(1);
    const voucher = sale.vouchers[0]!;
    const orderItemId = sale.orderItemIds[0]!;
    expect(yahoo.getVoucher(voucher.serialNumber)?.status).toBe('UNUSED');
    // 2. The merchant issued and stored the serial.
    expect(desk.core.listSerials(sale.orderId).map((s) => s.serialNumber)).toEqual([voucher.serialNumber]);

    // 3. The booking: queued by the issue, booked by the worker in the background.
    await desk.core.drainBookings();
    const [booking] = await desk.call('listBookings', { filter: 'all', limit: 10 });
    expect(booking).toMatchObject({ orderItemId, state: 'booked', serialNumber: voucher.serialNumber });
    const waugOrder = waug.getOrderByPartnerNumber(orderItemId);
    expect(waugOrder?.orderNumber).toBe(booking!.waugOrderNumber);
    expect(waug.orderCount).toBe(ordersBefore + 1);
    const db = desk.openDb();
    expect(ordersOf(db).getByPartner(orderItemId)?.goods[0]?.status).toBe('STATUS_PAID');

    // 4. WAUG's clock moves the goods on; its webhook reaches the merchant and the cache.
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await waug.flushWebhooks()).toBeGreaterThanOrEqual(1);
    expect(waug.webhooksSent.at(-1)).toMatchObject({ type: 'ORDER_UPDATE', status: 200 });
    const goods = await until(() => {
      const g = ordersOf(db).getByPartner(orderItemId)?.goods[0];
      return g?.status === 'STATUS_CONFIRMED' ? g : undefined;
    });
    expect(goods.history.map((h) => h.status)).toEqual(['STATUS_PAID', 'STATUS_CONFIRMED']);
    expect(orderEvents.filter((n) => n === waugOrder!.orderNumber).length).toBeGreaterThanOrEqual(2);
    // A replay of the same webhook changes nothing.
    const last = waug.webhooksSent.at(-1)!;
    const replay = await fetch(desk.core.waugWebhookUrl(server.url), { method: 'POST', body: last.body });
    expect(await replay.json()).toMatchObject({ ok: true, result: 'duplicate' });

    // 5. The desk finds the voucher in its cache at once, and redeems it against Yahoo.
    const found = await desk.call('lookupVoucher', { serial: voucher.serialNumber, prefer: 'cache' });
    expect(found).toMatchObject({ kind: 'found', source: 'cache' });
    const redeemed = await desk.call('redeemVoucher', { serial: voucher.serialNumber });
    expect(redeemed.outcome).toBe('redeemed');
    expect(yahoo.getVoucher(voucher.serialNumber)?.status).toBe('USED');
    expect(yahoo.ledger.map((l) => l.serialNumber)).toContain(voucher.serialNumber);
  });

  it('does not book an unmapped product', async () => {
    const before = waug.orderCount;
    const sale = await yahoo.sell({ merchantUrl: server.url, productId: 'p100200300401', specId: '1' });
    expect(sale.status).toBe(200);
    await desk.core.drainBookings();
    const rows = await desk.call('listBookings', { filter: 'all', limit: 10 });
    expect(rows.map((b) => b.orderItemId)).not.toContain(sale.orderItemIds[0]);
    expect(waug.orderCount).toBe(before);
  });
});

describe('the Yahoo sandbox cancels and notifies, signed', () => {
  it('cancels a fresh sale (CANCELLED on both sides) and is refused 409 for a used serial', async () => {
    const sale = await yahoo.sell({ merchantUrl: server.url, productId: 'p100200300401', specId: '1', quantity: 2 });
    expect(sale.vouchers).toHaveLength(2);
    const cancelled = await yahoo.cancel({ merchantUrl: server.url, orderId: sale.orderId });
    expect(cancelled.status).toBe(200);
    for (const v of sale.vouchers) {
      expect(yahoo.getVoucher(v.serialNumber)?.status).toBe('CANCELLED');
      expect(await desk.call('lookupVoucher', { serial: v.serialNumber, prefer: 'cache' })).toMatchObject({
        kind: 'found',
        voucher: { status: 'CANCELLED' },
      });
    }
    const used = await yahoo.sell({ merchantUrl: server.url, productId: 'p100200300401', specId: '1' });
    await desk.call('redeemVoucher', { serial: used.vouchers[0]!.serialNumber });
    const refused = await yahoo.cancel({ merchantUrl: server.url, orderId: used.orderId });
    expect(refused.status).toBe(409);
    expect(yahoo.getVoucher(used.vouchers[0]!.serialNumber)?.status).toBe('USED');
  });

  it('notifies a status change that the desk applies to its cache', async () => {
    const sale = await yahoo.sell({ merchantUrl: server.url, productId: 'p100200300401', specId: '1' });
    const serial = sale.vouchers[0]!.serialNumber;
    const notified = await yahoo.notify({ merchantUrl: server.url, serialNumbers: [serial], status: 'REFUNDPENDING' });
    expect(notified.status).toBe(200);
    expect(await desk.call('lookupVoucher', { serial, prefer: 'cache' })).toMatchObject({
      kind: 'found',
      voucher: { status: 'REFUNDPENDING' },
    });
  });
});
