import { describe, expect, it } from 'vitest';
import { buildCatalogue } from '../../electron/core/sandbox/waug/catalogue.js';
import {
  DEFAULT_WAUG_SEED,
  DEMO_WAUG,
  defaultLinkedVouchers,
  seedOrders,
  type DemoWaugOrder,
} from '../../electron/core/sandbox/waug/seed.js';
import { deriveOrderStatus, statusAt, WaugBook } from '../../electron/core/sandbox/waug/store.js';
import { DEMO_SERIALS } from '../../electron/core/sandbox/yahoo/seed.js';
import { checkWaugFieldValue } from '../../electron/core/waug/fields.js';

const NOW = Date.parse('2026-03-01T04:00:00Z');
const progression = { inProgressAfterMs: 5_000, confirmedAfterMs: 15_000 };
const vouchers = defaultLinkedVouchers(NOW);
const goods = buildCatalogue(NOW);
const orders = seedOrders({ nowMs: NOW, seed: DEFAULT_WAUG_SEED, goods, linkedVouchers: vouchers, progression });
const book = new WaugBook(goods, '1000000');
for (const order of orders) book.addOrder(order);

describe('WAUG sandbox seed', () => {
  it('links every DEMO_WAUG order to the Yahoo voucher whose orderItemId it carries', () => {
    const bySerial = new Map(vouchers.map((v) => [v.serialNumber, v]));
    const demos = Object.values(DEMO_WAUG) as DemoWaugOrder[];
    for (const demo of demos.filter((d) => d.serialNumber !== null)) {
      expect(bySerial.get(demo.serialNumber ?? '')?.orderItemId, demo.note).toBe(demo.partnerOrderNumber);
    }
    // Every fixed demo serial of the Yahoo sandbox has a WAUG order.
    const linkedSerials = new Set(demos.map((d) => d.serialNumber));
    for (const serial of Object.values(DEMO_SERIALS)) expect(linkedSerials.has(serial), serial).toBe(true);
  });

  it('gives each demo order the statuses DEMO_WAUG promises', () => {
    for (const [name, demo] of Object.entries(DEMO_WAUG) as [string, DemoWaugOrder][]) {
      const order = book.orderByPartner(demo.partnerOrderNumber);
      expect(order?.orderNumber, name).toBe(demo.orderNumber);
      const view = book.view(order as NonNullable<typeof order>, NOW);
      expect(view.orderStatus, name).toBe(demo.orderStatus);
      expect(
        view.orderGoods.map((g) => g.status),
        name,
      ).toEqual(demo.goodsStatuses);
      expect(
        view.orderGoods.every((g) => g.refundable),
        name,
      ).toBe(demo.refundable);
    }
  });

  it('links a few hundred other vouchers, with a mix of statuses and some non-refundable orders', () => {
    const linked = orders.filter((o) => o.partnerOrderNumber?.startsWith('YS'));
    expect(linked.length).toBeGreaterThan(300);
    const yahooItems = new Set(vouchers.map((v) => v.orderItemId));
    for (const order of linked) expect(yahooItems.has(order.partnerOrderNumber)).toBe(true);
    const statuses = new Map<string, number>();
    for (const order of orders) {
      const status = book.view(order, NOW).orderStatus;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    expect(statuses.get('STATUS_PAID')).toBeGreaterThan(200);
    expect(statuses.get('STATUS_REFUND_REQUESTED')).toBeGreaterThan(10);
    expect(statuses.get('STATUS_REFUND_COMPLETED')).toBeGreaterThan(10);
    expect(statuses.get('STATUS_PARTIAL_REFUND_REQUESTED')).toBe(1);
    expect(orders.filter((o) => o.orderGoods.some((g) => !g.refundable)).length).toBeGreaterThan(10);
    expect(new Set(orders.map((o) => o.orderNumber)).size).toBe(orders.length);
  });

  it('puts every past step at or before the clock, in order, and is deterministic', () => {
    for (const order of orders) {
      expect(order.orderedAtMs).toBeLessThanOrEqual(NOW);
      for (const g of order.orderGoods) {
        const times = g.timeline.map((e) => e.atMs);
        expect(times).toEqual([...times].sort((a, b) => a - b));
      }
    }
    const again = seedOrders({ nowMs: NOW, seed: DEFAULT_WAUG_SEED, goods, linkedVouchers: vouchers, progression });
    expect(again).toEqual(orders);
  });

  it('moves the progressing demo order PAID → IN_PROGRESS → CONFIRMED on the clock', () => {
    const goodsOf = book.orderByPartner(DEMO_WAUG.unusedC.partnerOrderNumber)?.orderGoods[0];
    if (goodsOf === undefined) throw new Error('missing unusedC');
    expect(statusAt(goodsOf, NOW).status).toBe('STATUS_PAID');
    expect(statusAt(goodsOf, NOW + 5_000).status).toBe('STATUS_IN_PROGRESS');
    expect(statusAt(goodsOf, NOW + 15_000).status).toBe('STATUS_CONFIRMED');
  });
});

describe('order status from goods statuses', () => {
  it.each([
    [['STATUS_CONFIRMED', 'STATUS_IN_PROGRESS'], 'STATUS_PAID'],
    [['STATUS_REFUND_REQUESTED', 'STATUS_REFUND_REQUESTED'], 'STATUS_REFUND_REQUESTED'],
    [['STATUS_REFUND_REQUESTED', 'STATUS_CONFIRMED'], 'STATUS_PARTIAL_REFUND_REQUESTED'],
    [['STATUS_REFUND_COMPLETED'], 'STATUS_REFUND_COMPLETED'],
    [['STATUS_REFUND_COMPLETED', 'STATUS_CONFIRMED'], 'STATUS_PARTIAL_REFUND_COMPLETED'],
    [['STATUS_WAIT'], 'STATUS_WAIT'],
    [['STATUS_CANCEL', 'STATUS_PAID'], 'STATUS_PAID'],
  ] as const)('%j → %s', (statuses, expected) => {
    expect(deriveOrderStatus(statuses)).toBe(expected);
  });
});

describe('order-input field checks (API-NOTES §2)', () => {
  const now = Date.parse('2026-03-01T00:00:00Z');
  it.each([
    ['text', 'Grand Hyatt Taipei', true],
    ['text_short', '   ', false],
    ['date', '2026-02-29', false],
    ['date', '2028-02-29', true],
    ['birthdate', '1980-01-22', true],
    ['birthdate', '2027-01-01', false],
    ['email', 'guest1@waug.com', true],
    ['email', 'guest1@waug', false],
    ['engname', 'HONG GILDONG', true],
    ['engname', 'Hong Gildong', false],
    ['time', '09:00', true],
    ['time', '9:00', false],
    ['mobile', '8201012341234', true],
    ['mobile', '010-1234-1234', false],
    ['tel', '021231111', true],
    ['number', '7', true],
    ['number', 'seven', false],
    ['radio', 'Front', true],
    ['select', 'Balcony', false],
    ['checkbox', 'Hairpin|Shoes', true],
    ['checkbox', 'Hairpin|Hat', false],
  ] as const)('%s %j → %s', (type, value, ok) => {
    const problem = checkWaugFieldValue(type, value, ['Front', 'Middle', 'Back', 'Hairpin', 'Bag', 'Shoes'], now);
    expect(problem === null).toBe(ok);
  });
});
