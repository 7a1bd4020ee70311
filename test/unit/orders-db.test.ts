/**
 * The WAUG order cache (migration 0040, db/orders.ts): newest-wins per goods, the status timeline
 * appended once per new status, index-backed search by number prefix, Asia/Seoul days and status.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { latestVersion, MIGRATIONS, schemaVersion } from '../../electron/core/db/migrate.js';
import { orderSearchSql } from '../../electron/core/db/orders.js';
import type { WaugOrder } from '../../electron/core/waug/api.js';
import { createTestStore } from '../helpers/db.js';
import { makeGoods, makeOrder } from '../helpers/waugOrders.js';

const stores: ReturnType<typeof createTestStore>[] = [];
afterEach(() => {
  while (stores.length) stores.pop()!.close();
});
function store() {
  const s = createTestStore();
  stores.push(s);
  return s;
}

const T0 = '2025-06-01T01:00:00.000Z';
const T1 = '2025-06-01T01:05:00.000Z';
const T2 = '2025-06-01T02:00:00.000Z';

describe('migration 0040', () => {
  it('brings the schema to 40 with STRICT order tables', () => {
    const s = store();
    // Later migrations (0050 serials, 0060 bookings) follow; 0040 is the orders one.
    expect(MIGRATIONS.find((m) => m.version === 40)?.name).toBe('orders');
    expect(schemaVersion(s.db)).toBe(latestVersion());
    const strict = s.db
      .prepare(`SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name LIKE 'order%'`)
      .all() as { name: string; strict: number }[];
    expect(strict.map((t) => t.name).sort()).toEqual([
      'order_goods',
      'order_goods_history',
      'order_refund_audit',
      'orders',
      'orders_sync_state',
    ]);
    for (const t of strict) expect(t.strict, t.name).toBe(1);
  });

  it('keeps the refund audit append-only', () => {
    const s = store();
    s.orders.auditRefund({
      at: T0,
      station: 'Front desk 1',
      operator: 'Amy',
      orderNumber: 'WG1',
      outcome: 'wrong_pin',
      detail: null,
    });
    expect(() => s.db.exec(`UPDATE order_refund_audit SET outcome = 'requested'`)).toThrow(/append-only/);
    expect(() => s.db.exec(`DELETE FROM order_refund_audit`)).toThrow(/append-only/);
    expect(s.orders.refundAudit('WG1')).toHaveLength(1);
  });
});

describe('upsert', () => {
  it('stores what the views need and reads it back, ids and money as text', () => {
    const s = store();
    const order = makeOrder({}, [makeGoods({ orderGoodsId: '9007199254740993' })]);
    expect(s.orders.upsert(order, T1)).toBe('inserted');
    const cached = s.orders.get(order.orderNumber)!;
    expect(cached).toMatchObject({
      orderNumber: 'WG2506010000001',
      partnerOrderNumber: 'YS2506010000001',
      orderStatus: 'STATUS_PAID',
      totalPrice: '560',
      fetchedAt: T1,
    });
    expect(cached.goods[0]).toMatchObject({
      orderGoodsId: '9007199254740993',
      options: [{ option: '票種 Ticket', item: 'Adult', quantity: 2 }],
      refundable: true,
      history: [{ status: 'STATUS_PAID', at: T0 }],
    });
    expect(s.orders.getByPartner('YS2506010000001')?.orderNumber).toBe('WG2506010000001');
    expect(s.orders.get('WG-nope')).toBeNull();
  });

  it('is newest-wins by goods updatedAt, and appends each new status to the timeline once', () => {
    const s = store();
    const at = (status: WaugOrder['orderGoods'][number]['status'], updatedAt: string, orderStatus = 'STATUS_PAID') =>
      makeOrder({ orderStatus: orderStatus as WaugOrder['orderStatus'] }, [makeGoods({ status, updatedAt })]);

    expect(s.orders.upsert(at('STATUS_PAID', T0), T0)).toBe('inserted');
    expect(s.orders.upsert(at('STATUS_IN_PROGRESS', T1), T1)).toBe('updated');
    // The same answer again: nothing new, only fetched_at moves.
    expect(s.orders.upsert(at('STATUS_IN_PROGRESS', T1), T2)).toBe('refreshed');
    expect(s.orders.get('WG2506010000001')?.fetchedAt).toBe(T2);
    expect(s.orders.upsert(at('STATUS_REFUND_REQUESTED', T2, 'STATUS_REFUND_REQUESTED'), T2)).toBe('updated');

    // A late, older read (a pull that started before the refund) changes nothing.
    expect(s.orders.upsert(at('STATUS_IN_PROGRESS', T1), '2025-06-01T03:00:00.000Z')).toBe('kept');
    const cached = s.orders.get('WG2506010000001')!;
    expect(cached.orderStatus).toBe('STATUS_REFUND_REQUESTED');
    expect(cached.goods[0]?.status).toBe('STATUS_REFUND_REQUESTED');
    expect(cached.fetchedAt).toBe(T2);
    expect(cached.goods[0]?.history).toEqual([
      { status: 'STATUS_PAID', at: T0 },
      { status: 'STATUS_IN_PROGRESS', at: T1 },
      { status: 'STATUS_REFUND_REQUESTED', at: T2 },
    ]);
    expect(s.db.prepare(`SELECT count(*) FROM order_goods_history`).pluck().get()).toBe(3);
  });

  it('applies webhook-style goods statuses newest-wins, and answers missing for unknown goods', () => {
    const s = store();
    s.orders.upsert(makeOrder({}, [makeGoods({ status: 'STATUS_IN_PROGRESS', updatedAt: T1 })]), T1);
    expect(s.orders.applyGoodsStatus('3100001', { status: 'STATUS_PAID', updatedAt: T0 }, T2)).toBe('kept');
    expect(s.orders.applyGoodsStatus('3100001', { status: 'STATUS_CONFIRMED', updatedAt: T2 }, T2)).toBe('updated');
    expect(s.orders.applyGoodsStatus('nope', { status: 'STATUS_CONFIRMED', updatedAt: T2 }, T2)).toBe('missing');
    expect(s.orders.get('WG2506010000001')?.goods[0]?.status).toBe('STATUS_CONFIRMED');
    expect(s.orders.get('WG2506010000001')?.goods[0]?.history.map((h) => h.status)).toEqual([
      'STATUS_PAID',
      'STATUS_IN_PROGRESS',
      'STATUS_CONFIRMED',
    ]);
  });
});

describe('search', () => {
  /** Orders 1..n, one every 6 hours back from 2025-06-30 23:00 UTC, statuses cycling. */
  function fill(n: number) {
    const s = store();
    const statuses = ['STATUS_PAID', 'STATUS_REFUND_REQUESTED', 'STATUS_WAIT'] as const;
    const orders: WaugOrder[] = [];
    for (let i = 1; i <= n; i += 1) {
      const orderedAt = new Date(Date.parse('2025-06-30T23:00:00.000Z') - i * 6 * 3_600_000).toISOString();
      orders.push(
        makeOrder(
          {
            orderNumber: `WG${String(i).padStart(9, '0')}`,
            partnerOrderNumber: `YS${String(100_000 + i)}`,
            orderStatus: statuses[i % 3],
            orderedAt,
          },
          [makeGoods({ orderGoodsId: String(5_000_000 + i), updatedAt: orderedAt })],
        ),
      );
    }
    s.orders.upsertMany(orders, T2);
    return { s, orders };
  }

  it('finds by exact number, by a prefix of either number, and a lower-case prefix', () => {
    const { s } = fill(300);
    expect(s.orders.search({ number: 'WG000000123', limit: 10 }).rows.map((r) => r.orderNumber)).toEqual([
      'WG000000123',
    ]);
    expect(s.orders.search({ number: 'WG00000012', limit: 100 }).rows).toHaveLength(10); // 120–129
    expect(s.orders.search({ number: 'YS10012', limit: 100 }).rows.map((r) => r.partnerOrderNumber)).toContain(
      'YS100123',
    );
    expect(s.orders.search({ number: 'wg0000001', limit: 1000 }).rows).toHaveLength(100); // 100–199
    expect(s.orders.search({ number: 'XX', limit: 10 }).rows).toHaveLength(0);
  });

  it('filters by Asia/Seoul days and statuses, newest first, and says when it truncated', () => {
    const { s, orders } = fill(300);
    // 2025-06-29 in Seoul is [2025-06-28T15:00Z, 2025-06-29T15:00Z).
    const day = s.orders.search({ from: '2025-06-29', to: '2025-06-29', limit: 100 });
    const expected = orders
      .filter((o) => o.orderedAt >= '2025-06-28T15:00:00.000Z' && o.orderedAt < '2025-06-29T15:00:00.000Z')
      .map((o) => o.orderNumber);
    expect(expected.length).toBe(4);
    expect(day.rows.map((r) => r.orderNumber)).toEqual(expected);
    const refunds = s.orders.search({ statuses: ['STATUS_REFUND_REQUESTED'], limit: 1000 });
    expect(refunds.rows).toHaveLength(100);
    expect(refunds.rows.every((r) => r.orderStatus === 'STATUS_REFUND_REQUESTED')).toBe(true);
    const few = s.orders.search({ limit: 5 });
    expect(few).toMatchObject({ truncated: true });
    expect(few.rows.map((r) => r.orderNumber)).toEqual([
      'WG000000001',
      'WG000000002',
      'WG000000003',
      'WG000000004',
      'WG000000005',
    ]);
    expect(few.rows[0]).toMatchObject({ goodsCount: 1, firstGoodsName: makeGoods().goodsName, fetchedAt: T2 });
  });

  it('uses the indexes, not a scan of the table', () => {
    const s = store();
    const plan = (sql: string) =>
      (
        s.db
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .all({ lo: 'a', hi: 'b', fromIso: 'a', toIso: 'b', statuses: '[]', limit: 1 }) as {
          detail: string;
        }[]
      )
        .map((r) => r.detail)
        .join(' | ');
    expect(plan(orderSearchSql({ number: true, range: false, statuses: false }))).toMatch(
      /MULTI-INDEX OR.*(sqlite_autoindex_orders_1|PRIMARY KEY|orders_partner_order_number)/s,
    );
    expect(plan(orderSearchSql({ number: false, range: true, statuses: true }))).toContain(
      'USING INDEX orders_ordered_at',
    );
    expect(plan(orderSearchSql({ number: false, range: false, statuses: false }))).toContain(
      'USING INDEX orders_ordered_at',
    );
  });

  it('lists 10 000 orders quickly', () => {
    const { s } = fill(12_000);
    const started = performance.now();
    const all = s.orders.search({ limit: 10_000 });
    const ms = performance.now() - started;
    expect(all.rows).toHaveLength(10_000);
    expect(all.truncated).toBe(true);
    expect(ms).toBeLessThan(500);
    const prefix = performance.now();
    expect(s.orders.search({ number: 'WG00001110', limit: 10_000 }).rows).toHaveLength(10);
    expect(performance.now() - prefix).toBeLessThan(50);
  });
});
