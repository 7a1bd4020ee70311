/**
 * WAUG bookings against the WAUG sandbox over real HTTP, through the core (issue 5 item 4): an
 * answer lost after the create applied is retried without booking twice (the sandbox's order
 * count), a too-low balance (104) fails visibly in listBookings and the sync status, and
 * retryBooking books it once the balance is topped up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySettingsStore } from '../../electron/core/config/settings.js';
import { ordersOf } from '../../electron/core/db/orders.js';
import { DEMO_BOOKING_CONTACT, DEMO_MAPPING } from '../../electron/core/demo.js';
import type { MerchantServer } from '../../electron/core/serve/server.js';
import { startWaugSandbox, type WaugSandbox } from '../../electron/core/sandbox/waug/index.js';
import { startYahooSandbox, type YahooSandbox } from '../../electron/core/sandbox/yahoo/index.js';
import { createWaugClient } from '../../electron/core/waug/client.js';
import { startWaugCore, type WaugCore } from '../helpers/waugCore.js';

let yahoo: YahooSandbox;
let waug: WaugSandbox;
let desk: WaugCore;
let server: MerchantServer;
/** When set, the next createOrder applies and then loses its answer (the socket is reset). */
let loseNextCreateAnswer = false;
let creates = 0;

beforeAll(async () => {
  yahoo = await startYahooSandbox({ voucherCount: 50 });
  waug = await startWaugSandbox({ demoOrders: false, webhookScanEveryMs: 0 });
  const settingsStore = createMemorySettingsStore();
  desk = await startWaugCore(waug, {
    yahoo,
    core: {
      settingsStore,
      createWaugApi: (credentials) => {
        const client = createWaugClient({ ...credentials, timeoutMs: 3_000 });
        const create = client.createOrder.bind(client);
        client.createOrder = async (request, options) => {
          creates += 1;
          if (!loseNextCreateAnswer) return create(request, options);
          loseNextCreateAnswer = false;
          waug.setFaults({ resetAfterApply: true });
          try {
            return await create(request, options);
          } finally {
            waug.setFaults({ resetAfterApply: false });
          }
        };
        return client;
      },
    },
  });
  // The merchant sets the booking contact as Settings does; the bookings below need its ORDER fields.
  await desk.call('updateSettings', { waugBookingContact: { ...DEMO_BOOKING_CONTACT } });
  await desk.call('setMapping', { ...DEMO_MAPPING });
  server = await desk.core.startMerchantServer({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await desk?.close();
  await Promise.all([yahoo?.close(), waug?.close()]);
});

const sell = () =>
  yahoo.sell({ merchantUrl: server.url, productId: DEMO_MAPPING.yahooProductId, specId: DEMO_MAPPING.yahooSpecId });

async function bookingOf(orderItemId: string) {
  const rows = await desk.call('listBookings', { filter: 'all', limit: 100 });
  return rows.find((b) => b.orderItemId === orderItemId);
}

describe('bookings against the WAUG sandbox', () => {
  it('books exactly once when the create applied but its answer was lost', async () => {
    const before = waug.orderCount;
    const createsBefore = creates;
    loseNextCreateAnswer = true;
    const sale = await sell();
    expect(sale.status).toBe(200);
    const orderItemId = sale.orderItemIds[0]!;
    // The worker (kicked by the issue) and drains until it is booked.
    for (let i = 0; i < 5 && (await bookingOf(orderItemId))?.state !== 'booked'; i++) await desk.core.drainBookings();
    const booking = await bookingOf(orderItemId);
    expect(booking).toMatchObject({ state: 'booked', attempts: 2 });
    expect(waug.orderCount).toBe(before + 1);
    // One create was sent; the retry found the order by its partner number instead.
    expect(creates - createsBefore).toBe(1);
    expect(booking!.waugOrderNumber).toBe(waug.getOrderByPartnerNumber(orderItemId)?.orderNumber);
    expect(ordersOf(desk.openDb()).getByPartner(orderItemId)?.orderNumber).toBe(booking!.waugOrderNumber);
  });

  it('fails visibly on a too-low balance (104), then books after a top-up and retryBooking', async () => {
    const balance = waug.balance;
    waug.setBalance('0');
    const before = waug.orderCount;
    const sale = await sell();
    const orderItemId = sale.orderItemIds[0]!;
    await desk.core.drainBookings();
    const failed = await bookingOf(orderItemId);
    expect(failed).toMatchObject({ state: 'failed', waugOrderNumber: null });
    expect(failed!.lastError).toMatch(/balance is too low \(104\)/);
    expect(await desk.call('getSyncStatus', {})).toMatchObject({ bookingsFailed: 1, bookingsQueued: 0 });
    expect(await desk.call('listBookings', { filter: 'failed', limit: 10 })).toHaveLength(1);
    expect(waug.orderCount).toBe(before);

    waug.setBalance(balance);
    expect(await desk.call('retryBooking', { orderItemId })).toMatchObject({ state: 'queued' });
    await desk.core.drainBookings();
    expect(await bookingOf(orderItemId)).toMatchObject({ state: 'booked' });
    expect(waug.orderCount).toBe(before + 1);
    expect(await desk.call('getSyncStatus', {})).toMatchObject({ bookingsFailed: 0, bookingsQueued: 0 });
  });

  it('answers Yahoo at once even while WAUG hangs: the booking stays queued', async () => {
    waug.setFaults({ hang: true });
    try {
      const started = Date.now();
      const sale = await sell();
      expect(sale.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(await bookingOf(sale.orderItemIds[0]!)).toMatchObject({ state: 'queued' });
    } finally {
      waug.setFaults({ hang: false });
    }
  });
});
