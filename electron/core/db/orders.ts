/**
 * The WAUG order cache (migration 0040): one aggregate owning its prepared statements — orders,
 * their ordered goods, each goods' status timeline, the pull state and the refund audit.
 *
 * Newest-wins, per ordered goods, by WAUG's `updatedAt`: an older read (a pull that started
 * before a refresh, a late webhook) never overwrites a newer status. The order row follows its
 * newest goods. Every (goods, status) this desk sees for the first time is appended to the
 * timeline, with the time WAUG says the goods took that status.
 *
 * Day ranges are Asia/Seoul days, WAUG's own (listOrders' startDate/endDate mean the same days),
 * so "orders of 2025-06-01" lists exactly what a pull of that day brought in.
 */
import type { WaugOrderGoodsStatus, WaugOrderStatus, WaugVoucherState } from '../../../shared/domain/waug.js';
import { WAUG_ORDER_GOODS_STATUSES, WAUG_ORDER_STATUSES } from '../../../shared/domain/waug.js';
import type { WaugOrder, WaugOrderGoods } from '../waug/api.js';
import { waugDayBounds } from '../waug/time.js';
import type { Db } from './open.js';
import { compareStatusTime, type UpsertOutcome } from './vouchers.js';

export interface CachedOrderOption {
  option: string | null;
  item: string | null;
  quantity: number;
}

export interface CachedOrderGoods {
  orderGoodsId: string;
  goodsId: string;
  goodsName: string;
  status: WaugOrderGoodsStatus;
  useDate: string | null;
  options: CachedOrderOption[];
  refundable: boolean;
  totalPrice: string;
  voucher: { state: WaugVoucherState; voucherNumber: string | null; issuedAt: string | null };
  updatedAt: string | null;
  fetchedAt: string;
  /** Oldest first. */
  history: { status: WaugOrderGoodsStatus; at: string }[];
}

export interface CachedOrder {
  orderNumber: string;
  partnerOrderNumber: string | null;
  orderStatus: WaugOrderStatus;
  orderedAt: string | null;
  currency: string | null;
  totalPrice: string;
  updatedAt: string | null;
  /** When this order was last read from WAUG. */
  fetchedAt: string;
  goods: CachedOrderGoods[];
}

export interface OrderSummaryRow {
  orderNumber: string;
  partnerOrderNumber: string | null;
  orderStatus: WaugOrderStatus;
  orderedAt: string | null;
  totalPrice: string;
  currency: string | null;
  goodsCount: number;
  firstGoodsName: string | null;
  fetchedAt: string;
}

export interface OrderSearch {
  /** Exact number or a prefix of the order number or the partner number. */
  number?: string | undefined;
  /** yyyy-MM-dd, Asia/Seoul, inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  statuses?: readonly WaugOrderStatus[] | undefined;
  limit: number;
}

export interface RefundAuditEntry {
  at: string;
  station: string;
  operator: string;
  orderNumber: string;
  /** requested | refused_local | refused_upstream | wrong_pin | locked_out | no_pin | failed | unconfirmed … */
  outcome: string;
  /** Short text for support: codes and statuses only, never the reason typed by the manager. */
  detail: string | null;
}

export interface OrderStore {
  get(orderNumber: string): CachedOrder | null;
  /** The latest-ordered order carrying this partner number. */
  getByPartner(partnerOrderNumber: string): CachedOrder | null;
  /** Newest-wins per goods; the order row follows its newest goods. */
  upsert(order: WaugOrder, fetchedAt: string): UpsertOutcome;
  /** Many in one transaction; how many of each outcome. */
  upsertMany(orders: readonly WaugOrder[], fetchedAt: string): Record<UpsertOutcome, number>;
  /**
   * One goods' status as a webhook (next issue) tells it, newest-wins by updatedAt. 'missing'
   * when the goods is not cached (the caller then reads the whole order).
   */
  applyGoodsStatus(
    orderGoodsId: string,
    change: { status: WaugOrderGoodsStatus; updatedAt: string },
    fetchedAt: string,
  ): UpsertOutcome | 'missing';
  /** Most recent first; `truncated` when more matched than `limit`. */
  search(query: OrderSearch): { rows: OrderSummaryRow[]; truncated: boolean };
  count(): number;
  lastPulledAt(): string | null;
  recordPull(at: string, from: string, to: string): void;
  auditRefund(entry: RefundAuditEntry): void;
  refundAudit(orderNumber: string): (RefundAuditEntry & { seq: number })[];
}

interface OrderRow {
  order_number: string;
  partner_order_number: string | null;
  order_status: string;
  ordered_at: string | null;
  currency: string | null;
  total_price: string;
  updated_at: string | null;
  goods_count: number;
  first_goods_name: string | null;
  fetched_at: string;
}

interface GoodsRow {
  order_goods_id: string;
  order_number: string;
  position: number;
  goods_id: string;
  goods_name: string;
  status: string;
  use_date: string | null;
  options: string;
  refundable: number;
  total_price: string;
  voucher_state: string;
  voucher_number: string | null;
  voucher_issued_at: string | null;
  updated_at: string | null;
  fetched_at: string;
}

interface HistoryRow {
  order_goods_id: string;
  status: string;
  at: string;
}

const ORDER_COLUMNS = `order_number, partner_order_number, order_status, ordered_at, currency, total_price,
  updated_at, goods_count, first_goods_name, fetched_at`;
const GOODS_COLUMNS = `order_goods_id, order_number, position, goods_id, goods_name, status, use_date, options,
  refundable, total_price, voucher_state, voucher_number, voucher_issued_at, updated_at, fetched_at`;
const SUMMARY_COLUMNS = `order_number, partner_order_number, order_status, ordered_at, total_price, currency,
  goods_count, first_goods_name, fetched_at`;
const params = (columns: string) =>
  columns
    .split(',')
    .map((c) => `@${c.trim()}`)
    .join(', ');
const assignments = (columns: string, key: string) =>
  columns
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== key)
    .map((c) => `${c} = @${c}`)
    .join(', ');

/** U+10FFFF sorts after every other character: prefix p covers [p, p + U+10FFFF). */
const PREFIX_END = '\u{10FFFF}';

const isOrderStatus = (s: string): s is WaugOrderStatus => (WAUG_ORDER_STATUSES as readonly string[]).includes(s);
const isGoodsStatus = (s: string): s is WaugOrderGoodsStatus =>
  (WAUG_ORDER_GOODS_STATUSES as readonly string[]).includes(s);

/** One text form for every instant, so that they sort as text (the indexes depend on it). */
export function isoInstant(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

/** The newest goods updatedAt of an order: the order's version. */
function orderVersion(order: WaugOrder): string | null {
  let newest: string | null = null;
  for (const g of order.orderGoods) {
    const at = isoInstant(g.updatedAt);
    if (compareStatusTime(at, newest) > 0) newest = at;
  }
  return newest;
}

function optionsOf(goods: WaugOrderGoods): CachedOrderOption[] {
  return goods.options.map((o) => ({
    option: o.goodsOptionName,
    item: o.goodsOptionItemName,
    quantity: o.quantity,
  }));
}

function goodsRow(orderNumber: string, position: number, goods: WaugOrderGoods, fetchedAt: string): GoodsRow {
  return {
    order_goods_id: goods.orderGoodsId,
    order_number: orderNumber,
    position,
    goods_id: goods.goodsId,
    goods_name: goods.goodsName,
    status: goods.status,
    use_date: goods.useDate || null,
    options: JSON.stringify(optionsOf(goods)),
    refundable: goods.refundable ? 1 : 0,
    total_price: goods.totalPrice,
    voucher_state: goods.voucher.state,
    voucher_number: goods.voucher.voucherNumber,
    voucher_issued_at: isoInstant(goods.voucher.issuedAt),
    updated_at: isoInstant(goods.updatedAt),
    fetched_at: fetchedAt,
  };
}

function parseOptions(text: string): CachedOrderOption[] {
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) return [];
    return value.flatMap((entry: unknown): CachedOrderOption[] => {
      if (typeof entry !== 'object' || entry === null) return [];
      const e = entry as Record<string, unknown>;
      return [
        {
          option: typeof e.option === 'string' ? e.option : null,
          item: typeof e.item === 'string' ? e.item : null,
          quantity: typeof e.quantity === 'number' ? e.quantity : 1,
        },
      ];
    });
  } catch {
    return [];
  }
}

function toSummary(row: OrderRow): OrderSummaryRow {
  if (!isOrderStatus(row.order_status)) throw new Error(`orders row ${row.order_number} has an unknown status`);
  return {
    orderNumber: row.order_number,
    partnerOrderNumber: row.partner_order_number,
    orderStatus: row.order_status,
    orderedAt: row.ordered_at,
    totalPrice: row.total_price,
    currency: row.currency,
    goodsCount: row.goods_count,
    firstGoodsName: row.first_goods_name,
    fetchedAt: row.fetched_at,
  };
}

/** The statements of searchOrders, one per filter combination. Exported so tests can EXPLAIN them. */
export function orderSearchSql(filters: { number: boolean; range: boolean; statuses: boolean }): string {
  const where: string[] = [];
  if (filters.number)
    where.push(
      `((order_number >= @lo AND order_number < @hi) OR (partner_order_number >= @lo AND partner_order_number < @hi))`,
    );
  if (filters.range) where.push(`ordered_at >= @fromIso AND ordered_at < @toIso`);
  if (filters.statuses) where.push(`order_status IN (SELECT value FROM json_each(@statuses))`);
  return `SELECT ${SUMMARY_COLUMNS} FROM orders${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ordered_at DESC, order_number DESC LIMIT @limit`;
}

export function createOrderStore(db: Db): OrderStore {
  const selectOrder = db.prepare<[string], OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE order_number = ?`);
  const selectByPartner = db.prepare<[string], OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE partner_order_number = ?
     ORDER BY ordered_at DESC, order_number DESC LIMIT 1`,
  );
  const selectGoods = db.prepare<[string], GoodsRow>(
    `SELECT ${GOODS_COLUMNS} FROM order_goods WHERE order_number = ? ORDER BY position, order_goods_id`,
  );
  const selectHistory = db.prepare<[string], HistoryRow>(
    `SELECT h.order_goods_id, h.status, h.at FROM order_goods g
     JOIN order_goods_history h ON h.order_goods_id = g.order_goods_id
     WHERE g.order_number = ? ORDER BY h.at, h.rowid`,
  );
  const insertOrder = db.prepare<[OrderRow]>(`INSERT INTO orders (${ORDER_COLUMNS}) VALUES (${params(ORDER_COLUMNS)})`);
  const updateOrder = db.prepare<[OrderRow]>(
    `UPDATE orders SET ${assignments(ORDER_COLUMNS, 'order_number')} WHERE order_number = @order_number`,
  );
  const probeOrder = db.prepare<[string], { updated_at: string | null }>(
    `SELECT updated_at FROM orders WHERE order_number = ?`,
  );
  const refreshOrderCounts = db.prepare<[string]>(
    `UPDATE orders SET
       goods_count = (SELECT count(*) FROM order_goods WHERE order_number = orders.order_number),
       first_goods_name = (SELECT goods_name FROM order_goods WHERE order_number = orders.order_number
                           ORDER BY position, order_goods_id LIMIT 1)
     WHERE order_number = ?`,
  );
  const touchOrder = db.prepare<[string, string]>(`UPDATE orders SET fetched_at = ? WHERE order_number = ?`);
  const probeGoods = db.prepare<[string], { order_number: string; updated_at: string | null }>(
    `SELECT order_number, updated_at FROM order_goods WHERE order_goods_id = ?`,
  );
  const insertGoods = db.prepare<[GoodsRow]>(
    `INSERT INTO order_goods (${GOODS_COLUMNS}) VALUES (${params(GOODS_COLUMNS)})`,
  );
  const updateGoods = db.prepare<[GoodsRow]>(
    `UPDATE order_goods SET ${assignments(GOODS_COLUMNS, 'order_goods_id')} WHERE order_goods_id = @order_goods_id`,
  );
  const touchGoods = db.prepare<[string, string]>(`UPDATE order_goods SET fetched_at = ? WHERE order_goods_id = ?`);
  const updateGoodsStatus = db.prepare<[string, string, string, string]>(
    `UPDATE order_goods SET status = ?, updated_at = ?, fetched_at = ? WHERE order_goods_id = ?`,
  );
  // Once per (goods, status): the UNIQUE index's prefix answers the NOT EXISTS.
  const appendHistory = db.prepare<[string, string, string, string, string]>(
    `INSERT INTO order_goods_history (order_goods_id, status, at)
     SELECT ?, ?, ? WHERE NOT EXISTS
       (SELECT 1 FROM order_goods_history WHERE order_goods_id = ? AND status = ?)`,
  );
  const countAll = db.prepare<[], number>(`SELECT count(*) FROM orders`).pluck();
  const selectPulled = db
    .prepare<[], string | null>(`SELECT last_pulled_at FROM orders_sync_state WHERE id = 1`)
    .pluck();
  const updatePulled = db.prepare<[string, string, string]>(
    `UPDATE orders_sync_state SET last_pulled_at = ?, last_from = ?, last_to = ? WHERE id = 1`,
  );
  const insertAudit = db.prepare<[string, string, string, string, string, string | null]>(
    `INSERT INTO order_refund_audit (at, station, operator, order_number, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const selectAudit = db.prepare<
    [string],
    {
      seq: number;
      at: string;
      station: string;
      operator: string;
      order_number: string;
      outcome: string;
      detail: string | null;
    }
  >(`SELECT * FROM order_refund_audit WHERE order_number = ? ORDER BY seq`);
  const searches = new Map<string, ReturnType<typeof db.prepare<Record<string, unknown>, OrderRow>>>();

  const history = (orderGoodsId: string, status: string, at: string | null, fallback: string): void => {
    appendHistory.run(orderGoodsId, status, at ?? fallback, orderGoodsId, status);
  };

  function read(row: OrderRow): CachedOrder {
    if (!isOrderStatus(row.order_status)) throw new Error(`orders row ${row.order_number} has an unknown status`);
    const timeline = new Map<string, { status: WaugOrderGoodsStatus; at: string }[]>();
    for (const h of selectHistory.all(row.order_number)) {
      if (!isGoodsStatus(h.status)) continue;
      let list = timeline.get(h.order_goods_id);
      if (list === undefined) timeline.set(h.order_goods_id, (list = []));
      list.push({ status: h.status, at: h.at });
    }
    const goods = selectGoods.all(row.order_number).map((g): CachedOrderGoods => {
      if (!isGoodsStatus(g.status)) throw new Error(`order_goods row ${g.order_goods_id} has an unknown status`);
      const state = g.voucher_state as WaugVoucherState;
      return {
        orderGoodsId: g.order_goods_id,
        goodsId: g.goods_id,
        goodsName: g.goods_name,
        status: g.status,
        useDate: g.use_date,
        options: parseOptions(g.options),
        refundable: g.refundable === 1,
        totalPrice: g.total_price,
        voucher: { state, voucherNumber: g.voucher_number, issuedAt: g.voucher_issued_at },
        updatedAt: g.updated_at,
        fetchedAt: g.fetched_at,
        history: timeline.get(g.order_goods_id) ?? [],
      };
    });
    return {
      orderNumber: row.order_number,
      partnerOrderNumber: row.partner_order_number,
      orderStatus: row.order_status,
      orderedAt: row.ordered_at,
      currency: row.currency,
      totalPrice: row.total_price,
      updatedAt: row.updated_at,
      fetchedAt: row.fetched_at,
      goods,
    };
  }

  const upsertOne = (order: WaugOrder, fetchedAt: string): UpsertOutcome => {
    const version = orderVersion(order);
    const orderRow: OrderRow = {
      order_number: order.orderNumber,
      partner_order_number: order.partnerOrderNumber,
      order_status: order.orderStatus,
      ordered_at: isoInstant(order.orderedAt),
      currency: order.currency || null,
      total_price: order.totalPrice,
      updated_at: version,
      goods_count: order.orderGoods.length,
      first_goods_name: order.orderGoods[0]?.goodsName ?? null,
      fetched_at: fetchedAt,
    };
    const existing = probeOrder.get(order.orderNumber);
    if (existing === undefined) {
      insertOrder.run(orderRow);
      order.orderGoods.forEach((g, i) => {
        const row = goodsRow(order.orderNumber, i, g, fetchedAt);
        // A goods id seen under another order (should not happen) is replaced by WAUG's answer.
        const other = probeGoods.get(g.orderGoodsId);
        if (other === undefined) insertGoods.run(row);
        else updateGoods.run(row);
        history(g.orderGoodsId, g.status, row.updated_at, fetchedAt);
      });
      refreshOrderCounts.run(order.orderNumber);
      return 'inserted';
    }

    let newer = false;
    let older = false;
    order.orderGoods.forEach((g, i) => {
      const row = goodsRow(order.orderNumber, i, g, fetchedAt);
      const stored = probeGoods.get(g.orderGoodsId);
      history(g.orderGoodsId, g.status, row.updated_at, fetchedAt);
      if (stored === undefined) {
        insertGoods.run(row);
        newer = true;
        return;
      }
      const cmp = compareStatusTime(row.updated_at, stored.updated_at);
      if (cmp > 0) {
        updateGoods.run(row);
        newer = true;
      } else if (cmp === 0) {
        // The same version: re-written whole (the voucher block may have been filled in).
        updateGoods.run(row);
      } else {
        older = true;
      }
    });
    const cmp = compareStatusTime(version, existing.updated_at);
    if (cmp > 0 || (cmp === 0 && !older)) {
      updateOrder.run(orderRow);
      refreshOrderCounts.run(order.orderNumber);
    } else if (!older) {
      touchOrder.run(fetchedAt, order.orderNumber);
    }
    if (newer || cmp > 0) return 'updated';
    return older || cmp < 0 ? 'kept' : 'refreshed';
  };

  const upsert = db.transaction(upsertOne);
  const upsertMany = db.transaction((orders: readonly WaugOrder[], fetchedAt: string) => {
    const counts: Record<UpsertOutcome, number> = { inserted: 0, updated: 0, refreshed: 0, kept: 0 };
    for (const order of orders) counts[upsertOne(order, fetchedAt)] += 1;
    return counts;
  });

  const applyGoodsStatus = db.transaction(
    (
      orderGoodsId: string,
      change: { status: WaugOrderGoodsStatus; updatedAt: string },
      fetchedAt: string,
    ): UpsertOutcome | 'missing' => {
      const stored = probeGoods.get(orderGoodsId);
      if (stored === undefined) return 'missing';
      const at = isoInstant(change.updatedAt);
      history(orderGoodsId, change.status, at, fetchedAt);
      const cmp = compareStatusTime(at, stored.updated_at);
      if (cmp > 0) {
        updateGoodsStatus.run(change.status, at ?? fetchedAt, fetchedAt, orderGoodsId);
        return 'updated';
      }
      if (cmp === 0) {
        touchGoods.run(fetchedAt, orderGoodsId);
        return 'refreshed';
      }
      return 'kept';
    },
  );

  function searchStatement(filters: { number: boolean; range: boolean; statuses: boolean }) {
    const key = `${+filters.number}${+filters.range}${+filters.statuses}`;
    let statement = searches.get(key);
    if (statement === undefined) {
      statement = db.prepare<Record<string, unknown>, OrderRow>(orderSearchSql(filters));
      searches.set(key, statement);
    }
    return statement;
  }

  function search(query: OrderSearch): { rows: OrderSummaryRow[]; truncated: boolean } {
    const limit = Math.max(1, Math.trunc(query.limit));
    const number = query.number?.trim() ?? '';
    const statuses = query.statuses && query.statuses.length > 0 ? query.statuses : null;
    const from = query.from ?? null;
    const to = query.to ?? null;
    const range = from !== null || to !== null;
    const bind: Record<string, unknown> = { limit: limit + 1 };
    if (range) {
      bind.fromIso = from === null ? '' : new Date(waugDayBounds(from).startMs).toISOString();
      bind.toIso = to === null ? PREFIX_END : new Date(waugDayBounds(to).endMs).toISOString();
    }
    if (statuses) bind.statuses = JSON.stringify(statuses);
    const run = (prefix: string | null): OrderRow[] => {
      const values = { ...bind };
      if (prefix !== null) {
        values.lo = prefix;
        values.hi = prefix + PREFIX_END;
      }
      return searchStatement({ number: prefix !== null, range, statuses: statuses !== null }).all(values);
    };
    let rows = run(number === '' ? null : number);
    // Order numbers and Yahoo order item ids are upper case; a typed lower-case prefix still finds them.
    if (rows.length === 0 && number !== '' && number.toUpperCase() !== number) rows = run(number.toUpperCase());
    return { rows: rows.slice(0, limit).map(toSummary), truncated: rows.length > limit };
  }

  return {
    get(orderNumber) {
      const row = selectOrder.get(orderNumber);
      return row === undefined ? null : read(row);
    },
    getByPartner(partnerOrderNumber) {
      const row = selectByPartner.get(partnerOrderNumber);
      return row === undefined ? null : read(row);
    },
    upsert: (order, fetchedAt) => upsert(order, fetchedAt),
    upsertMany: (orders, fetchedAt) => upsertMany(orders, fetchedAt),
    applyGoodsStatus: (id, change, fetchedAt) => applyGoodsStatus(id, change, fetchedAt),
    search,
    count: () => countAll.get() ?? 0,
    lastPulledAt: () => selectPulled.get() ?? null,
    recordPull(at, from, to) {
      updatePulled.run(at, from, to);
    },
    auditRefund(entry) {
      insertAudit.run(entry.at, entry.station, entry.operator, entry.orderNumber, entry.outcome, entry.detail);
    },
    refundAudit: (orderNumber) =>
      selectAudit.all(orderNumber).map((r) => ({
        seq: r.seq,
        at: r.at,
        station: r.station,
        operator: r.operator,
        orderNumber: r.order_number,
        outcome: r.outcome,
        detail: r.detail,
      })),
  };
}

const stores = new WeakMap<Db, OrderStore>();

/** One OrderStore per connection, its statements prepared once. */
export function ordersOf(db: Db): OrderStore {
  let store = stores.get(db);
  if (store === undefined) {
    store = createOrderStore(db);
    stores.set(db, store);
  }
  return store;
}
