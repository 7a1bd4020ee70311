/**
 * WAUG bookings (migration 0060): the outbox of WAUG orders booked for mapped Yahoo order items,
 * and what WAUG's webhooks told us that the order cache cannot hold yet.
 *
 * One row per Yahoo orderItemId (the WAUG partnerOrderNumber): queueing twice is a no-op.
 * States: queued → booked | failed; a person moves failed → queued again (retry). Rows are never
 * deleted, so a failed booking stays visible until someone acts on it.
 */
import type { BookingEntry, ProductMapping } from '../../../shared/contract.js';
import type { Db } from './open.js';

export type BookingState = BookingEntry['state'];
export type BookingFilter = 'open' | 'failed' | 'all';

export interface Booking extends BookingEntry {
  yahooProductId: string;
  yahooSpecId: string;
  waugGoodsOptionId: string;
  waugGoodsOptionItemId: string;
}

export interface NewBooking {
  orderItemId: string;
  yahooOrderId: string;
  serialNumber: string;
  mapping: ProductMapping;
}

export interface BookingStore {
  /** 'queued' when written now, 'exists' when this order item already has a booking. */
  enqueue(booking: NewBooking, at: string): 'queued' | 'exists';
  get(orderItemId: string): Booking | null;
  /** Queued rows due at `nowIso` (all queued rows with ignoreBackoff), oldest first. */
  due(nowIso: string, limit: number, ignoreBackoff: boolean): Booking[];
  /** The earliest next_attempt_at of a queued row; null = one is due now; undefined = none queued. */
  earliestDue(): string | null | undefined;
  /** One more try that left the row queued (a network failure), with the time of the next. */
  keepQueued(orderItemId: string, lastError: string, nextAttemptAt: string): void;
  markBooked(orderItemId: string, waugOrderNumber: string, at: string): void;
  markFailed(orderItemId: string, lastError: string, at: string): void;
  /** failed → queued, due now. Null when there is no such booking; unchanged when not failed. */
  retry(orderItemId: string): Booking | null;
  list(filter: BookingFilter, limit: number): Booking[];
  counts(): { queued: number; failed: number };
}

interface BookingRow {
  order_item_id: string;
  yahoo_order_id: string;
  serial_number: string;
  yahoo_product_id: string;
  yahoo_spec_id: string;
  waug_goods_id: string;
  waug_goods_option_id: string;
  waug_goods_option_item_id: string;
  state: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  waug_order_number: string | null;
  created_at: string;
  completed_at: string | null;
}

const isState = (s: string): s is BookingState => s === 'queued' || s === 'booked' || s === 'failed';

function toBooking(r: BookingRow): Booking {
  if (!isState(r.state)) throw new Error(`waug_bookings row ${r.order_item_id} has an unknown state`);
  return {
    orderItemId: r.order_item_id,
    yahooOrderId: r.yahoo_order_id,
    serialNumber: r.serial_number,
    yahooProductId: r.yahoo_product_id,
    yahooSpecId: r.yahoo_spec_id,
    waugGoodsId: r.waug_goods_id,
    waugGoodsOptionId: r.waug_goods_option_id,
    waugGoodsOptionItemId: r.waug_goods_option_item_id,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.state === 'queued' ? r.next_attempt_at : null,
    lastError: r.last_error,
    waugOrderNumber: r.waug_order_number,
    createdAt: r.created_at,
    completedAt: r.completed_at,
  };
}

/** The public shape (contract BookingEntry) of a row. */
export function toBookingEntry(b: Booking): BookingEntry {
  return {
    orderItemId: b.orderItemId,
    yahooOrderId: b.yahooOrderId,
    serialNumber: b.serialNumber,
    waugGoodsId: b.waugGoodsId,
    state: b.state,
    attempts: b.attempts,
    nextAttemptAt: b.nextAttemptAt,
    lastError: b.lastError,
    waugOrderNumber: b.waugOrderNumber,
    createdAt: b.createdAt,
    completedAt: b.completedAt,
  };
}

export function createBookingStore(db: Db): BookingStore {
  const insert = db.prepare(
    `INSERT INTO waug_bookings (order_item_id, yahoo_order_id, serial_number, yahoo_product_id, yahoo_spec_id,
       waug_goods_id, waug_goods_option_id, waug_goods_option_item_id, state, created_at)
     VALUES (@orderItemId, @yahooOrderId, @serialNumber, @productId, @specId, @goodsId, @optionId, @itemId,
       'queued', @at)
     ON CONFLICT (order_item_id) DO NOTHING`,
  );
  const selectOne = db.prepare<[string], BookingRow>(`SELECT * FROM waug_bookings WHERE order_item_id = ?`);
  const selectDue = db.prepare<[string, number], BookingRow>(
    `SELECT * FROM waug_bookings WHERE state = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
     ORDER BY created_at, order_item_id LIMIT ?`,
  );
  const selectQueued = db.prepare<[number], BookingRow>(
    `SELECT * FROM waug_bookings WHERE state = 'queued' ORDER BY created_at, order_item_id LIMIT ?`,
  );
  const selectEarliest = db.prepare<[], { n: number; due_now: number; earliest: string | null }>(
    `SELECT count(*) AS n, count(*) FILTER (WHERE next_attempt_at IS NULL) AS due_now, min(next_attempt_at) AS earliest
     FROM waug_bookings WHERE state = 'queued'`,
  );
  const keepQueued = db.prepare<[string, string, string]>(
    `UPDATE waug_bookings SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?
     WHERE order_item_id = ? AND state = 'queued'`,
  );
  const booked = db.prepare<[string, string, string]>(
    `UPDATE waug_bookings SET state = 'booked', attempts = attempts + 1, waug_order_number = ?, completed_at = ?,
       next_attempt_at = NULL, last_error = NULL
     WHERE order_item_id = ? AND state = 'queued'`,
  );
  const failed = db.prepare<[string, string, string]>(
    `UPDATE waug_bookings SET state = 'failed', attempts = attempts + 1, last_error = ?, completed_at = ?,
       next_attempt_at = NULL
     WHERE order_item_id = ? AND state = 'queued'`,
  );
  const retry = db.prepare<[string]>(
    `UPDATE waug_bookings SET state = 'queued', next_attempt_at = NULL, completed_at = NULL
     WHERE order_item_id = ? AND state = 'failed'`,
  );
  const lists = {
    open: db.prepare<[number], BookingRow>(
      `SELECT * FROM waug_bookings WHERE state IN ('queued', 'failed') ORDER BY created_at DESC, order_item_id LIMIT ?`,
    ),
    failed: db.prepare<[number], BookingRow>(
      `SELECT * FROM waug_bookings WHERE state = 'failed' ORDER BY created_at DESC, order_item_id LIMIT ?`,
    ),
    all: db.prepare<[number], BookingRow>(
      `SELECT * FROM waug_bookings ORDER BY created_at DESC, order_item_id LIMIT ?`,
    ),
  };
  const counts = db.prepare<[], { queued: number; failed: number }>(
    `SELECT count(*) FILTER (WHERE state = 'queued') AS queued, count(*) FILTER (WHERE state = 'failed') AS failed
     FROM waug_bookings`,
  );

  return {
    enqueue(b, at) {
      const result = insert.run({
        orderItemId: b.orderItemId,
        yahooOrderId: b.yahooOrderId,
        serialNumber: b.serialNumber,
        productId: b.mapping.yahooProductId,
        specId: b.mapping.yahooSpecId,
        goodsId: b.mapping.waugGoodsId,
        optionId: b.mapping.waugGoodsOptionId,
        itemId: b.mapping.waugGoodsOptionItemId,
        at,
      });
      return result.changes > 0 ? 'queued' : 'exists';
    },
    get(orderItemId) {
      const row = selectOne.get(orderItemId);
      return row === undefined ? null : toBooking(row);
    },
    due: (nowIso, limit, ignoreBackoff) =>
      (ignoreBackoff ? selectQueued.all(limit) : selectDue.all(nowIso, limit)).map(toBooking),
    earliestDue() {
      const row = selectEarliest.get();
      if (row === undefined || row.n === 0) return undefined;
      return row.due_now > 0 ? null : row.earliest;
    },
    keepQueued(orderItemId, lastError, nextAttemptAt) {
      keepQueued.run(lastError, nextAttemptAt, orderItemId);
    },
    markBooked(orderItemId, waugOrderNumber, at) {
      booked.run(waugOrderNumber, at, orderItemId);
    },
    markFailed(orderItemId, lastError, at) {
      failed.run(lastError, at, orderItemId);
    },
    retry(orderItemId) {
      retry.run(orderItemId);
      const row = selectOne.get(orderItemId);
      return row === undefined ? null : toBooking(row);
    },
    list: (filter, limit) => lists[filter].all(Math.max(1, Math.trunc(limit))).map(toBooking),
    counts: () => counts.get() ?? { queued: 0, failed: 0 },
  };
}

export interface WebhookRecords {
  /** A GOODS_UPDATE, newest-wins per goods: 'updated' when newer than what was recorded. */
  recordGoodsUpdate(goodsId: string, updatedAt: string, receivedAt: string): 'updated' | 'kept';
  goodsUpdatedAt(goodsId: string): string | null;
  /** An ORDER_UPDATE for an order not in the cache, newest-wins per ordered goods. */
  recordOrderUpdate(
    update: { orderNumber: string; orderGoodsId: string; status: string; updatedAt: string },
    receivedAt: string,
  ): 'updated' | 'kept';
  pendingOrderUpdate(orderGoodsId: string): { orderNumber: string; status: string; updatedAt: string } | null;
  /** The cached ordered goods (and the order list's first name) follow a goods' new name. */
  renameCachedGoods(goodsId: string, goodsName: string): number;
}

export function createWebhookRecords(db: Db): WebhookRecords {
  const goodsUpsert = db.prepare<[string, string, string]>(
    `INSERT INTO waug_goods_updates (goods_id, updated_at, received_at) VALUES (?, ?, ?)
     ON CONFLICT (goods_id) DO UPDATE SET updated_at = excluded.updated_at, received_at = excluded.received_at
     WHERE excluded.updated_at > waug_goods_updates.updated_at`,
  );
  const goodsGet = db.prepare<[string], string>(`SELECT updated_at FROM waug_goods_updates WHERE goods_id = ?`).pluck();
  const orderUpsert = db.prepare<[string, string, string, string, string]>(
    `INSERT INTO waug_pending_order_updates (order_goods_id, order_number, status, updated_at, received_at)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (order_goods_id) DO UPDATE SET order_number = excluded.order_number, status = excluded.status,
       updated_at = excluded.updated_at, received_at = excluded.received_at
     WHERE excluded.updated_at > waug_pending_order_updates.updated_at`,
  );
  const orderGet = db.prepare<[string], { order_number: string; status: string; updated_at: string }>(
    `SELECT order_number, status, updated_at FROM waug_pending_order_updates WHERE order_goods_id = ?`,
  );
  const rename = db.prepare<[string, string, string]>(
    `UPDATE order_goods SET goods_name = ? WHERE goods_id = ? AND goods_name <> ?`,
  );
  const refreshFirstNames = db.prepare<[string]>(
    `UPDATE orders SET first_goods_name = (SELECT goods_name FROM order_goods WHERE order_number = orders.order_number
       ORDER BY position, order_goods_id LIMIT 1)
     WHERE order_number IN (SELECT order_number FROM order_goods WHERE goods_id = ?)`,
  );
  const renameCachedGoods = db.transaction((goodsId: string, goodsName: string): number => {
    const changes = rename.run(goodsName, goodsId, goodsName).changes;
    if (changes > 0) refreshFirstNames.run(goodsId);
    return changes;
  });
  return {
    renameCachedGoods: (goodsId, goodsName) => renameCachedGoods(goodsId, goodsName),
    recordGoodsUpdate: (goodsId, updatedAt, receivedAt) =>
      goodsUpsert.run(goodsId, updatedAt, receivedAt).changes > 0 ? 'updated' : 'kept',
    goodsUpdatedAt: (goodsId) => goodsGet.get(goodsId) ?? null,
    recordOrderUpdate: (u, receivedAt) =>
      orderUpsert.run(u.orderGoodsId, u.orderNumber, u.status, u.updatedAt, receivedAt).changes > 0
        ? 'updated'
        : 'kept',
    pendingOrderUpdate(orderGoodsId) {
      const row = orderGet.get(orderGoodsId);
      return row === undefined
        ? null
        : { orderNumber: row.order_number, status: row.status, updatedAt: row.updated_at };
    },
  };
}

const bookingStores = new WeakMap<Db, BookingStore>();
const webhookStores = new WeakMap<Db, WebhookRecords>();

/** One BookingStore per connection, its statements prepared once. */
export function bookingsOf(db: Db): BookingStore {
  let store = bookingStores.get(db);
  if (store === undefined) {
    store = createBookingStore(db);
    bookingStores.set(db, store);
  }
  return store;
}

/** One WebhookRecords per connection. */
export function webhookRecordsOf(db: Db): WebhookRecords {
  let store = webhookStores.get(db);
  if (store === undefined) {
    store = createWebhookRecords(db);
    webhookStores.set(db, store);
  }
  return store;
}
