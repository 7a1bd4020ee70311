/**
 * WAUG bookings (issue 5 item 4): queued only for mapped items, idempotent per orderItemId, the
 * worker books with partnerOrderNumber = orderItemId at the first orderable date's price, looks
 * up before creating, keeps network failures queued with backoff, and makes WAUG's refusals and
 * unfillable fields 'failed' for staff; retryBooking re-queues.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ProductMapping } from '../../shared/contract.js';
import { DeskError } from '../../shared/errors.js';
import { createBookingService, type BookingService } from '../../electron/core/bookings/service.js';
import type { BookingContact } from '../../electron/core/bookings/contact.js';
import { createLogger, createMemorySink } from '../../electron/core/log/logger.js';
import {
  WaugError,
  type WaugApi,
  type WaugOrder,
  type WaugOrderInfoGroup,
  type WaugOrderRequest,
  type WaugPrice,
} from '../../electron/core/waug/api.js';
import { createTestStore } from '../helpers/db.js';
import { manualClock } from '../helpers/clock.js';
import { makeGoods, makeOrder } from '../helpers/waugOrders.js';

const MAPPING: ProductMapping = {
  yahooProductId: 'p100',
  yahooSpecId: '1',
  waugGoodsId: '107278',
  waugGoodsOptionId: '28900',
  waugGoodsOptionItemId: '61800',
  label: 'Taipei 101',
};
const CONTACT: BookingContact = { name: 'VOUCHER DESK', mobile: '886223456789', email: 'desk@example.com' };
const CONTACT_GROUPS: WaugOrderInfoGroup[] = [
  {
    groupCategory: 'ORDER',
    fields: [
      {
        fieldId: '4',
        fieldName: 'Name on the passport',
        fieldExplain: null,
        fieldPlaceholder: null,
        fieldType: 'engname',
        choices: [],
        required: true,
      },
      {
        fieldId: '2',
        fieldName: 'Mobile',
        fieldExplain: null,
        fieldPlaceholder: null,
        fieldType: 'mobile',
        choices: [],
        required: true,
      },
      {
        fieldId: '8',
        fieldName: 'email',
        fieldExplain: null,
        fieldPlaceholder: null,
        fieldType: 'email',
        choices: [],
        required: true,
      },
      {
        fieldId: '1',
        fieldName: 'Name in your language',
        fieldExplain: null,
        fieldPlaceholder: null,
        fieldType: 'text_middle',
        choices: [],
        required: false,
      },
    ],
  },
];

/** An in-memory WAUG: idempotent by partnerOrderNumber, with a queue of errors to throw. */
function fakeWaug() {
  const orders = new Map<string, WaugOrder>();
  const created: WaugOrderRequest[] = [];
  const failNext: { method: 'create' | 'lookup' | 'prices'; error: Error }[] = [];
  let prices: WaugPrice[] = [
    { date: '2025-06-03', goodsOptionId: '28900', goodsOptionItemId: '61801', price: '540', currency: 'TWD' },
    { date: '2025-06-04', goodsOptionId: '28900', goodsOptionItemId: '61800', price: '600', currency: 'TWD' },
    { date: '2025-06-02', goodsOptionId: '28900', goodsOptionItemId: '61800', price: '610', currency: 'TWD' },
  ];
  let groups: WaugOrderInfoGroup[] = CONTACT_GROUPS;
  const take = (method: 'create' | 'lookup' | 'prices') => {
    const i = failNext.findIndex((f) => f.method === method);
    if (i >= 0) throw failNext.splice(i, 1)[0]!.error;
  };
  const api = {
    async getOrderByPartnerNumber(partner: string) {
      take('lookup');
      return orders.get(partner) ?? null;
    },
    async getGoodsPrices() {
      take('prices');
      return prices;
    },
    async getGoodsOrderInfos() {
      return groups;
    },
    async createOrder(request: WaugOrderRequest) {
      take('create');
      const existing = orders.get(request.partnerOrderNumber);
      if (existing) return existing;
      created.push(request);
      const line = request.orderGoods[0]!;
      const order = makeOrder(
        {
          orderNumber: `WG25060100${String(orders.size + 1).padStart(5, '0')}`,
          partnerOrderNumber: request.partnerOrderNumber,
        },
        [makeGoods({ orderGoodsId: String(5_000_000 + orders.size), goodsId: line.goodsId, useDate: line.useDate })],
      );
      orders.set(request.partnerOrderNumber, order);
      return order;
    },
  } as unknown as WaugApi;
  return {
    api,
    orders,
    created,
    failNext,
    setPrices: (p: WaugPrice[]) => (prices = p),
    setGroups: (g: WaugOrderInfoGroup[]) => (groups = g),
  };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function harness(options: { contact?: BookingContact | null; waug?: ReturnType<typeof fakeWaug> | null } = {}) {
  const store = createTestStore();
  const clock = manualClock('2025-06-01T02:00:00.000Z');
  const waug = options.waug === undefined ? fakeWaug() : options.waug;
  const changedOrders: string[] = [];
  const service: BookingService = createBookingService({
    store: () => store,
    waug: () => waug?.api ?? null,
    contact: () => (options.contact === undefined ? CONTACT : options.contact),
    now: clock.now,
    log: createLogger({ sink: createMemorySink() }),
    random: () => 0.5,
    backoff: { baseMs: 1_000, capMs: 60_000 },
    onOrderChanged: (n) => changedOrders.push(n),
  });
  cleanups.push(async () => {
    await service.stop();
    store.close();
  });
  service.setMapping(MAPPING);
  return { store, clock, waug, service, changedOrders };
}

const sale = (orderItemId = 'YS1', productId = 'p100', specId = '1') => ({
  orderId: 'YM1',
  productId,
  specId,
  items: [{ orderItemId, serialNumber: `VD${orderItemId}` }],
});

describe('product mapping', () => {
  it('upserts by product and spec, lists in order, removes, and refuses removing a missing one', () => {
    const { service } = harness();
    service.setMapping({ ...MAPPING, yahooProductId: 'p050', label: 'first' });
    service.setMapping({ ...MAPPING, waugGoodsOptionItemId: '61801', label: 'child' });
    const rows = service.listMappings();
    expect(rows.map((m) => [m.yahooProductId, m.waugGoodsOptionItemId, m.label])).toEqual([
      ['p050', '61800', 'first'],
      ['p100', '61801', 'child'],
    ]);
    expect(service.removeMapping('p050', '1')).toHaveLength(1);
    expect(() => service.removeMapping('p050', '1')).toThrow(DeskError);
  });
});

describe('queueing', () => {
  it('queues a mapped item once (idempotent per orderItemId) and never an unmapped one', () => {
    const { service } = harness();
    expect(service.onSerialsIssued(sale('YS1'))).toEqual(['YS1']);
    expect(service.onSerialsIssued(sale('YS1'))).toEqual([]);
    expect(service.onSerialsIssued(sale('YS2', 'p999'))).toEqual([]);
    expect(service.onSerialsIssued(sale('YS3', 'p100', '2'))).toEqual([]);
    const rows = service.listBookings('all', 10);
    expect(rows.map((b) => [b.orderItemId, b.state, b.serialNumber, b.waugGoodsId])).toEqual([
      ['YS1', 'queued', 'VDYS1', '107278'],
    ]);
    expect(service.counts()).toEqual({ queued: 1, failed: 0 });
  });
});

describe('the worker', () => {
  it('books at the first orderable date of the mapped item, caches the order and sets waugOrderNumber', async () => {
    const { service, waug, store, changedOrders } = harness();
    service.onSerialsIssued(sale('YS1'));
    const stats = await service.drain();
    expect(stats).toMatchObject({ attempted: 1, booked: 1, failed: 0, stillQueued: 0 });
    expect(waug!.created).toHaveLength(1);
    const request = waug!.created[0]!;
    expect(request.partnerOrderNumber).toBe('YS1');
    expect(request.orderGoods[0]).toMatchObject({
      goodsId: '107278',
      useDate: '2025-06-02',
      orderOptions: [{ goodsOptionId: '28900', goodsOptionItemId: '61800', quantity: 1, price: '610' }],
    });
    expect(request.orderInfos).toEqual([
      { fieldId: '4', groupCategory: 'ORDER', values: ['VOUCHER DESK'] },
      { fieldId: '2', groupCategory: 'ORDER', values: ['886223456789'] },
      { fieldId: '8', groupCategory: 'ORDER', values: ['desk@example.com'] },
    ]);
    const [booking] = service.listBookings('all', 10);
    expect(booking).toMatchObject({ state: 'booked', attempts: 1, lastError: null });
    expect(booking!.waugOrderNumber).toBe(waug!.orders.get('YS1')!.orderNumber);
    expect(store.orders.getByPartner('YS1')?.orderNumber).toBe(booking!.waugOrderNumber);
    expect(changedOrders).toEqual([booking!.waugOrderNumber]);
    expect(service.counts()).toEqual({ queued: 0, failed: 0 });
  });

  it('finds an order booked before (a lost answer) and never creates a second one', async () => {
    const { service, waug } = harness();
    service.onSerialsIssued(sale('YS1'));
    // The create applies, then the answer is lost.
    const original = waug!.api.createOrder.bind(waug!.api);
    waug!.api.createOrder = async (request) => {
      await original(request);
      throw new WaugError('network', 'connection reset', { mayHaveApplied: true });
    };
    await service.drain();
    expect(service.listBookings('all', 10)[0]).toMatchObject({ state: 'queued', attempts: 1 });
    expect(service.listBookings('all', 10)[0]!.nextAttemptAt).not.toBeNull();
    waug!.api.createOrder = original;
    await service.drain();
    expect(waug!.created).toHaveLength(1);
    expect(service.listBookings('all', 10)[0]).toMatchObject({ state: 'booked', attempts: 2 });
  });

  it('keeps a network failure queued with a backoff, and books once WAUG answers', async () => {
    const { service, waug, clock } = harness();
    service.onSerialsIssued(sale('YS1'));
    waug!.failNext.push({ method: 'lookup', error: new WaugError('timeout', 'no answer', { mayHaveApplied: false }) });
    await service.drain();
    const [row] = service.listBookings('open', 10);
    expect(row).toMatchObject({ state: 'queued', attempts: 1, lastError: 'no answer' });
    // 1 try so far: full jitter up to base (1 000 ms), random 0.5 → 500 ms.
    expect(Date.parse(row!.nextAttemptAt!) - clock.now().getTime()).toBe(500);
    expect(service.counts()).toEqual({ queued: 1, failed: 0 });
    await service.drain();
    expect(service.counts()).toEqual({ queued: 0, failed: 0 });
  });

  it.each([
    [
      '104',
      new WaugError('insufficient_balance', 'WAUG createOrder: balance (code 104)', { mayHaveApplied: false }),
      /balance is too low \(104\)/,
    ],
    [
      '105',
      new WaugError('product_modified', 'modified (code 105)', { mayHaveApplied: false }),
      /was modified \(105\).*mapping/,
    ],
    [
      '109',
      new WaugError('price_mismatch', 'price (code 109)', { mayHaveApplied: false }),
      /price changed \(109\).*unit price 610/,
    ],
    [
      '106',
      new WaugError('invalid_order', 'bad info (code 106)', { mayHaveApplied: false }),
      /order information \(106\)/,
    ],
  ])(
    'makes WAUG %s a visible failure without re-ordering; retryBooking re-queues it',
    async (_code, error, message) => {
      const { service, waug } = harness();
      service.onSerialsIssued(sale('YS1'));
      waug!.failNext.push({ method: 'create', error });
      const stats = await service.drain();
      expect(stats).toMatchObject({ attempted: 1, failed: 1, booked: 0 });
      const [row] = service.listBookings('failed', 10);
      expect(row).toMatchObject({ state: 'failed', nextAttemptAt: null, waugOrderNumber: null });
      expect(row!.lastError).toMatch(message);
      expect(service.counts()).toEqual({ queued: 0, failed: 1 });
      expect(waug!.created).toHaveLength(0);
      // Nothing retries it by itself.
      await service.drain();
      expect(waug!.created).toHaveLength(0);
      // A person does.
      expect(service.retryBooking('YS1')).toMatchObject({ state: 'queued' });
      await service.drain();
      expect(service.listBookings('all', 10)[0]).toMatchObject({ state: 'booked', attempts: 2, lastError: null });
      expect(waug!.created).toHaveLength(1);
    },
  );

  it('fails, naming the fields, when the goods requires what the desk cannot fill', async () => {
    const { service, waug } = harness({ contact: null });
    service.onSerialsIssued(sale('YS1'));
    await service.drain();
    const [row] = service.listBookings('failed', 10);
    expect(row!.lastError).toMatch(/"Name on the passport" \(ORDER, engname\).*"Mobile".*"email"/);
    expect(row!.lastError).not.toMatch(/Name in your language/);
    expect(waug!.created).toHaveLength(0);

    // With a contact, a traveller field (EACH) still cannot be invented.
    const second = harness();
    second.waug!.setGroups([
      ...CONTACT_GROUPS,
      {
        groupCategory: 'EACH',
        fields: [
          {
            fieldId: '5',
            fieldName: 'Traveller name',
            fieldExplain: null,
            fieldPlaceholder: null,
            fieldType: 'engname',
            choices: [],
            required: true,
          },
        ],
      },
    ]);
    second.service.onSerialsIssued(sale('YS9'));
    await second.service.drain();
    expect(second.service.listBookings('failed', 10)[0]!.lastError).toMatch(/"Traveller name" \(EACH, engname\)/);
  });

  it('fails when the mapped item has no orderable date in the window', async () => {
    const { service, waug } = harness();
    waug!.setPrices([
      { date: '2025-06-02', goodsOptionId: '28900', goodsOptionItemId: '61801', price: '540', currency: 'TWD' },
    ]);
    service.onSerialsIssued(sale('YS1'));
    await service.drain();
    expect(service.listBookings('failed', 10)[0]!.lastError).toMatch(/no orderable date in the next 60 days/);
  });

  it('leaves rows queued without WAUG configured, and retryBooking of an unknown item is not_found', async () => {
    const { service } = harness({ waug: null });
    service.onSerialsIssued(sale('YS1'));
    expect(await service.drain()).toMatchObject({ attempted: 0, stillQueued: 1 });
    expect(() => service.retryBooking('nope')).toThrow(/No WAUG booking/);
  });
});
