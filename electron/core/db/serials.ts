/**
 * The serials aggregate (migration 0050): serial numbers this merchant issued for Yahoo order
 * items, and their cancellation. Every write also updates the voucher cache in the same
 * transaction, so the counter finds an issued serial offline at once and never sees a serial
 * the cache does not agree with.
 *
 * [decision] An issued voucher's Yahoo voucherId is unknown until Yahoo's query or notification
 * brings it. Until then the cache row's id is `pending:<orderItemId>` (PENDING_VOUCHER_PREFIX):
 * it cannot collide with Yahoo's all-digit ids, it is unique because orderItemId is, and it is
 * replaced by the real id either by the sync pull (the cache's upsert drops a row holding the
 * same serial under another id) or by a notification (adoptVoucherId re-keys the row, keeping
 * its status history). Its statusAppliedTime stays null, so any status Yahoo sends wins over it.
 */
import type { VoucherStatus } from '../../../shared/domain/voucher.js';
import type { Db } from './open.js';
import { createVoucherCache, type VoucherCache } from './vouchers.js';

export const PENDING_VOUCHER_PREFIX = 'pending:';

export function pendingVoucherId(orderItemId: string): string {
  return PENDING_VOUCHER_PREFIX + orderItemId;
}

export function isPendingVoucherId(voucherId: string): boolean {
  return voucherId.startsWith(PENDING_VOUCHER_PREFIX);
}

export interface IssueOrder {
  storeId: string | null;
  transactionId: string | null;
  orderId: string;
  productId: string;
  specId: string;
  items: readonly { orderItemId: string; price: string }[];
}

export interface IssuedSerial {
  orderItemId: string;
  serialNumber: string;
  orderId: string;
  productId: string;
  specId: string;
  price: string;
  issuedAt: string;
  cancelledAt: string | null;
  /** True when this call issued it; false when it had been issued before (an idempotent repeat). */
  created: boolean;
}

/** A change to a cached voucher, as the voucherChanged event carries it (voucherId null while pending). */
export interface VoucherChange {
  serialNumber: string;
  voucherId: string | null;
  status: VoucherStatus;
}

export type CancelOutcome =
  | { kind: 'cancelled'; serials: { orderItemId: string; serialNumber: string }[]; changes: VoucherChange[] }
  /** Nothing was cancelled: these items' vouchers are used (or being redeemed at this desk). */
  | { kind: 'used'; orderItemIds: string[] }
  /** Nothing was cancelled: these items were never issued here (or belong to another order). */
  | { kind: 'unknown'; orderItemIds: string[] };

export interface SerialEntry {
  orderItemId: string;
  serialNumber: string;
  orderId: string;
  productId: string;
  specId: string;
  /** The voucher's status as the cache knows it; CANCELLED/UNUSED from this table when not cached. */
  status: VoucherStatus;
  voucherId: string | null;
  issuedAt: string;
  cancelledAt: string | null;
}

export interface SerialStore {
  /**
   * Issues one serial per item, idempotently per orderItemId, in one IMMEDIATE transaction (so
   * two processes on the same file cannot both issue): INSERT … ON CONFLICT(order_item_id) DO
   * NOTHING, then SELECT what the database holds. New serials are cached as UNUSED vouchers.
   * `newSerial` is called again when a serial is already taken (the unique index decides).
   */
  issue(order: IssueOrder, options: { newSerial: () => string; now: string; title: string }): IssuedSerial[];
  /** All-or-nothing: refused whole when any item is unknown or used. Cancelling twice changes nothing. */
  cancel(orderId: string, orderItemIds: readonly string[], now: string): CancelOutcome;
  /** Re-keys the pending cache row of an order item to Yahoo's real voucherId. True when it did. */
  adoptVoucherId(orderItemId: string, orderId: string, voucherId: string): boolean;
  get(orderItemId: string): IssuedSerial | null;
  listByOrder(orderId: string): SerialEntry[];
  count(): number;
}

interface SerialRow {
  order_item_id: string;
  serial_number: string;
  order_id: string;
  product_id: string;
  spec_id: string;
  price: string;
  issued_at: string;
  cancelled_at: string | null;
}

/** How many fresh serials to try for one item before giving up (each collision has p ≈ 2^-73). */
const MAX_SERIAL_ATTEMPTS = 8;

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    /serial_number/.test(error.message)
  );
}

function rowToIssued(row: SerialRow, created: boolean): IssuedSerial {
  return {
    orderItemId: row.order_item_id,
    serialNumber: row.serial_number,
    orderId: row.order_id,
    productId: row.product_id,
    specId: row.spec_id,
    price: row.price,
    issuedAt: row.issued_at,
    cancelledAt: row.cancelled_at,
    created,
  };
}

const SERIAL_COLUMNS = 'order_item_id, serial_number, order_id, product_id, spec_id, price, issued_at, cancelled_at';

export function createSerialStore(db: Db, vouchers: VoucherCache): SerialStore {
  const insert = db.prepare<[string, string, string, string | null, string | null, string, string, string, string]>(
    `INSERT INTO serials (order_item_id, serial_number, order_id, transaction_id, store_id, product_id, spec_id, price, issued_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (order_item_id) DO NOTHING`,
  );
  const select = db.prepare<[string], SerialRow>(`SELECT ${SERIAL_COLUMNS} FROM serials WHERE order_item_id = ?`);
  const serialCached = db.prepare<[string], number>(`SELECT 1 FROM vouchers WHERE serial_number = ?`).pluck();
  const cachedStatus = db.prepare<
    [string],
    { voucher_id: string; status: VoucherStatus; status_applied_time: string | null }
  >(`SELECT voucher_id, status, status_applied_time FROM vouchers WHERE serial_number = ?`);
  const redeemingHere = db
    .prepare<[string], number>(
      `SELECT 1 FROM redemptions WHERE serial_number = ? AND state IN ('pending', 'redeemed') LIMIT 1`,
    )
    .pluck();
  const markCancelled = db.prepare<[string, string]>(
    `UPDATE serials SET cancelled_at = ? WHERE order_item_id = ? AND cancelled_at IS NULL`,
  );
  const cancelVoucher = db.prepare<[string, string, string, string]>(
    `UPDATE vouchers SET status = 'CANCELLED', status_applied_time = ?, executed_by = 'yahoo:cancel', fetched_at = ?
     WHERE serial_number = ? AND status <> 'CANCELLED' AND voucher_id = ?`,
  );
  const rekeyVoucher = db.prepare<[string, string, string]>(
    `UPDATE vouchers SET voucher_id = ? WHERE voucher_id = ? AND order_id = ?`,
  );
  const rekeyRedemptions = db.prepare<[string, string]>(`UPDATE redemptions SET voucher_id = ? WHERE voucher_id = ?`);
  const voucherExists = db.prepare<[string], number>(`SELECT 1 FROM vouchers WHERE voucher_id = ?`).pluck();
  const listRows = db.prepare<[string], SerialRow & { status: VoucherStatus | null; voucher_id: string | null }>(
    `SELECT s.order_item_id, s.serial_number, s.order_id, s.product_id, s.spec_id, s.price, s.issued_at,
            s.cancelled_at, v.status, v.voucher_id
     FROM serials s LEFT JOIN vouchers v ON v.serial_number = s.serial_number
     WHERE s.order_id = ? ORDER BY s.order_item_id`,
  );
  const countAll = db.prepare<[], number>(`SELECT count(*) FROM serials`).pluck();

  const issueTx = db.transaction(
    (order: IssueOrder, options: { newSerial: () => string; now: string; title: string }): IssuedSerial[] => {
      const result: IssuedSerial[] = [];
      for (const item of order.items) {
        let created = false;
        for (let attempt = 1; ; attempt++) {
          const serial = options.newSerial();
          // A serial the cache already holds (someone else's voucher) is as taken as one in serials.
          if (serialCached.get(serial) !== undefined) {
            if (attempt >= MAX_SERIAL_ATTEMPTS) throw new Error('could not find a free serial number');
            continue;
          }
          try {
            const info = insert.run(
              item.orderItemId,
              serial,
              order.orderId,
              order.transactionId,
              order.storeId,
              order.productId,
              order.specId,
              item.price,
              options.now,
            );
            created = info.changes === 1;
            break;
          } catch (error) {
            if (!isUniqueViolation(error) || attempt >= MAX_SERIAL_ATTEMPTS) throw error;
          }
        }
        const row = select.get(item.orderItemId);
        if (row === undefined) throw new Error('serial row vanished inside its transaction');
        if (created) {
          vouchers.upsert(
            {
              voucherId: pendingVoucherId(item.orderItemId),
              productId: order.productId,
              specId: order.specId,
              price: item.price,
              serialNumber: row.serial_number,
              orderId: order.orderId,
              orderItemId: item.orderItemId,
              title: options.title,
              redemptionDesc: null,
              buyerDetails: { name: null, phone: null },
              executedBy: null,
              status: 'UNUSED',
              refundType: null,
              redemptionType: null,
              statusAppliedTime: null,
              deliveredTime: null,
              expireTime: null,
              startTime: null,
            },
            options.now,
          );
        }
        result.push(rowToIssued(row, created));
      }
      return result;
    },
  );

  const cancelTx = db.transaction((orderId: string, orderItemIds: readonly string[], now: string): CancelOutcome => {
    const rows: SerialRow[] = [];
    const unknown: string[] = [];
    for (const id of orderItemIds) {
      const row = select.get(id);
      if (row === undefined || row.order_id !== orderId) unknown.push(id);
      else rows.push(row);
    }
    if (unknown.length > 0) return { kind: 'unknown', orderItemIds: unknown };
    const used = rows.filter(
      (row) =>
        cachedStatus.get(row.serial_number)?.status === 'USED' || redeemingHere.get(row.serial_number) !== undefined,
    );
    if (used.length > 0) return { kind: 'used', orderItemIds: used.map((row) => row.order_item_id) };
    const changes: VoucherChange[] = [];
    for (const row of rows) {
      markCancelled.run(now, row.order_item_id);
      const cached = cachedStatus.get(row.serial_number);
      if (cached === undefined || cached.status === 'CANCELLED') continue;
      // Yahoo's cancel is the newest word; never stamp it earlier than what the cache holds.
      const stored = cached.status_applied_time;
      const at = stored !== null && Date.parse(stored) > Date.parse(now) ? stored : now;
      if (cancelVoucher.run(at, now, row.serial_number, cached.voucher_id).changes === 1) {
        changes.push({
          serialNumber: row.serial_number,
          voucherId: isPendingVoucherId(cached.voucher_id) ? null : cached.voucher_id,
          status: 'CANCELLED',
        });
      }
    }
    return {
      kind: 'cancelled',
      serials: rows.map((row) => ({ orderItemId: row.order_item_id, serialNumber: row.serial_number })),
      changes,
    };
  });

  const adoptTx = db.transaction((orderItemId: string, orderId: string, voucherId: string): boolean => {
    const pending = pendingVoucherId(orderItemId);
    if (voucherExists.get(voucherId) !== undefined) return false;
    if (rekeyVoucher.run(voucherId, pending, orderId).changes !== 1) return false;
    rekeyRedemptions.run(voucherId, pending);
    return true;
  });

  return {
    issue: (order, options) => issueTx.immediate(order, options),
    cancel: (orderId, orderItemIds, now) => cancelTx.immediate(orderId, orderItemIds, now),
    adoptVoucherId: (orderItemId, orderId, voucherId) => adoptTx.immediate(orderItemId, orderId, voucherId),
    get(orderItemId) {
      const row = select.get(orderItemId);
      return row === undefined ? null : rowToIssued(row, false);
    },
    listByOrder(orderId) {
      return listRows.all(orderId).map((row) => ({
        orderItemId: row.order_item_id,
        serialNumber: row.serial_number,
        orderId: row.order_id,
        productId: row.product_id,
        specId: row.spec_id,
        status: row.status ?? (row.cancelled_at === null ? 'UNUSED' : 'CANCELLED'),
        voucherId: row.voucher_id === null || isPendingVoucherId(row.voucher_id) ? null : row.voucher_id,
        issuedAt: row.issued_at,
        cancelledAt: row.cancelled_at,
      }));
    },
    count: () => countAll.get() ?? 0,
  };
}

const stores = new WeakMap<Db, SerialStore>();

/** The serial store of an open database, prepared on first use (like ordersOf). */
export function serialsOf(db: Db): SerialStore {
  let store = stores.get(db);
  if (store === undefined) {
    store = createSerialStore(db, createVoucherCache(db));
    stores.set(db, store);
  }
  return store;
}
