/**
 * The voucher cache: what this desk last heard from Yahoo about each voucher. The scan path
 * reads it by serial number, so that lookup has its own unique index.
 */
import { VOUCHER_STATUSES, type Voucher, type VoucherStatus } from '../../../shared/domain/voucher.js';
import type { Db } from './open.js';

export interface CachedVoucher {
  voucher: Voucher;
  /** When this row's status was last read from (or confirmed by) Yahoo, ISO-8601 UTC. */
  fetchedAt: string;
}

/**
 * What an upsert did: 'inserted' a new row, 'updated' it with a newer status, 'refreshed'
 * only fetched_at (same status time), or 'kept' it because the incoming status is older.
 */
export type UpsertOutcome = 'inserted' | 'updated' | 'refreshed' | 'kept';

interface VoucherRow {
  voucher_id: string;
  product_id: string;
  spec_id: string;
  price: string;
  serial_number: string;
  order_id: string;
  order_item_id: string | null;
  title: string;
  redemption_desc: string | null;
  buyer_name: string | null;
  buyer_phone: string | null;
  executed_by: string | null;
  status: string;
  refund_type: string | null;
  redemption_type: string | null;
  status_applied_time: string | null;
  delivered_time: string | null;
  expire_time: string | null;
  start_time: string | null;
  fetched_at: string;
}

const COLUMNS = `voucher_id, product_id, spec_id, price, serial_number, order_id, order_item_id, title,
  redemption_desc, buyer_name, buyer_phone, executed_by, status, refund_type, redemption_type,
  status_applied_time, delivered_time, expire_time, start_time, fetched_at`;

const PARAMS = `@voucher_id, @product_id, @spec_id, @price, @serial_number, @order_id, @order_item_id, @title,
  @redemption_desc, @buyer_name, @buyer_phone, @executed_by, @status, @refund_type, @redemption_type,
  @status_applied_time, @delivered_time, @expire_time, @start_time, @fetched_at`;

function isVoucherStatus(value: string): value is VoucherStatus {
  return (VOUCHER_STATUSES as readonly string[]).includes(value);
}

export function rowToCached(row: VoucherRow): CachedVoucher {
  // The CHECK constraint keeps status valid; re-checked here so a hand-edited file cannot crash a view.
  if (!isVoucherStatus(row.status)) throw new Error(`vouchers row ${row.voucher_id} has unknown status`);
  return {
    voucher: {
      voucherId: row.voucher_id,
      productId: row.product_id,
      specId: row.spec_id,
      price: row.price,
      serialNumber: row.serial_number,
      orderId: row.order_id,
      orderItemId: row.order_item_id,
      title: row.title,
      redemptionDesc: row.redemption_desc,
      buyerDetails: { name: row.buyer_name, phone: row.buyer_phone },
      executedBy: row.executed_by,
      status: row.status,
      refundType: row.refund_type,
      redemptionType: row.redemption_type,
      statusAppliedTime: row.status_applied_time,
      deliveredTime: row.delivered_time,
      expireTime: row.expire_time,
      startTime: row.start_time,
    },
    fetchedAt: row.fetched_at,
  };
}

export function voucherToRow(voucher: Voucher, fetchedAt: string): VoucherRow {
  return {
    voucher_id: voucher.voucherId,
    product_id: voucher.productId,
    spec_id: voucher.specId,
    price: voucher.price,
    serial_number: voucher.serialNumber,
    order_id: voucher.orderId,
    order_item_id: voucher.orderItemId,
    title: voucher.title,
    redemption_desc: voucher.redemptionDesc,
    buyer_name: voucher.buyerDetails.name,
    buyer_phone: voucher.buyerDetails.phone,
    executed_by: voucher.executedBy,
    status: voucher.status,
    refund_type: voucher.refundType,
    redemption_type: voucher.redemptionType,
    status_applied_time: voucher.statusAppliedTime,
    delivered_time: voucher.deliveredTime,
    expire_time: voucher.expireTime,
    start_time: voucher.startTime,
    fetched_at: fetchedAt,
  };
}

/** Milliseconds of an ISO time, or null when absent or unreadable (treated as "oldest"). */
function timeMs(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** -1 incoming is older, 0 same, 1 newer. An unknown time is older than any known time. */
export function compareStatusTime(incoming: string | null, stored: string | null): -1 | 0 | 1 {
  const a = timeMs(incoming);
  const b = timeMs(stored);
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a > b ? 1 : -1;
}

export interface VoucherCache {
  getBySerial(serialNumber: string): CachedVoucher | null;
  getById(voucherId: string): CachedVoucher | null;
  /** Newest-wins by statusAppliedTime: an older status never overwrites a newer one. */
  upsert(voucher: Voucher, fetchedAt: string): UpsertOutcome;
  /**
   * A status learnt from a redeem answer (which carries no other voucher fields), newest-wins.
   * `winsTies`: Yahoo stamps to the second, and our own confirmed redeem happened after what we
   * cached, so on an equal time the redeem's status is the later one.
   */
  applyStatus(
    voucherId: string,
    change: {
      status: VoucherStatus;
      statusAppliedTime: string | null;
      executedBy?: string | null;
      winsTies?: boolean;
    },
    fetchedAt: string,
  ): UpsertOutcome | 'missing';
  /**
   * Many vouchers in one transaction (a savepoint when called inside one), each newest-wins
   * exactly like upsert. What the sync pull ingests with; returns how many of each outcome.
   */
  upsertMany(vouchers: readonly Voucher[], fetchedAt: string): Record<UpsertOutcome, number>;
  count(): number;
}

export function createVoucherCache(db: Db): VoucherCache {
  const selectBySerial = db.prepare<[string], VoucherRow>(`SELECT ${COLUMNS} FROM vouchers WHERE serial_number = ?`);
  const selectById = db.prepare<[string], VoucherRow>(`SELECT ${COLUMNS} FROM vouchers WHERE voucher_id = ?`);
  const insert = db.prepare<[VoucherRow]>(`INSERT INTO vouchers (${COLUMNS}) VALUES (${PARAMS})`);
  // The bulk path's first try: most rows of a first pull are new, and this costs no probes.
  const insertIfNew = db.prepare<[VoucherRow]>(
    `INSERT INTO vouchers (${COLUMNS}) VALUES (${PARAMS}) ON CONFLICT DO NOTHING`,
  );
  const updateAll = db.prepare<[VoucherRow]>(
    `UPDATE vouchers SET ${COLUMNS.split(',')
      .map((c) => c.trim())
      .filter((c) => c !== 'voucher_id')
      .map((c) => `${c} = @${c}`)
      .join(', ')} WHERE voucher_id = @voucher_id`,
  );
  const touch = db.prepare<[string, string]>(`UPDATE vouchers SET fetched_at = ? WHERE voucher_id = ?`);
  const updateStatus = db.prepare<[string, string | null, string | null, string, string]>(
    `UPDATE vouchers SET status = ?, status_applied_time = ?, executed_by = coalesce(?, executed_by), fetched_at = ?
     WHERE voucher_id = ?`,
  );
  const deleteById = db.prepare<[string]>(`DELETE FROM vouchers WHERE voucher_id = ?`);
  // Slim probes for the write path: only what newest-wins and the serial check need.
  const probeById = db.prepare<[string], { serial_number: string; status_applied_time: string | null }>(
    `SELECT serial_number, status_applied_time FROM vouchers WHERE voucher_id = ?`,
  );
  const probeBySerial = db.prepare<[string], string>(`SELECT voucher_id FROM vouchers WHERE serial_number = ?`).pluck();
  const countAll = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM vouchers`);

  /** One newest-wins upsert; the caller holds the transaction. */
  const upsertOne = (voucher: Voucher, fetchedAt: string): UpsertOutcome => {
    const existing = probeById.get(voucher.voucherId);
    if (existing === undefined || existing.serial_number !== voucher.serialNumber) {
      // (The serial index is unique: a row holding this serial under our id rules out any other.)
      const holder = probeBySerial.get(voucher.serialNumber);
      if (holder !== undefined && holder !== voucher.voucherId) {
        // The same serial under another id can only be a stale row: Yahoo's answer replaces it.
        deleteById.run(holder);
      }
    }
    if (!existing) {
      insert.run(voucherToRow(voucher, fetchedAt));
      return 'inserted';
    }
    const order = compareStatusTime(voucher.statusAppliedTime, existing.status_applied_time);
    if (order > 0) {
      updateAll.run(voucherToRow(voucher, fetchedAt));
      return 'updated';
    }
    if (order === 0) {
      touch.run(fetchedAt, voucher.voucherId);
      return 'refreshed';
    }
    return 'kept';
  };
  const upsert = db.transaction(upsertOne);
  const upsertMany = db.transaction(
    (vouchers: readonly Voucher[], fetchedAt: string): Record<UpsertOutcome, number> => {
      const counts: Record<UpsertOutcome, number> = { inserted: 0, updated: 0, refreshed: 0, kept: 0 };
      for (const voucher of vouchers) {
        // A conflict (same id, or the same serial under another id) falls back to the full rules.
        if (insertIfNew.run(voucherToRow(voucher, fetchedAt)).changes === 1) counts.inserted += 1;
        else counts[upsertOne(voucher, fetchedAt)] += 1;
      }
      return counts;
    },
  );

  const applyStatus = db.transaction(
    (
      voucherId: string,
      change: {
        status: VoucherStatus;
        statusAppliedTime: string | null;
        executedBy?: string | null;
        winsTies?: boolean;
      },
      fetchedAt: string,
    ): UpsertOutcome | 'missing' => {
      const existing = selectById.get(voucherId);
      if (!existing) return 'missing';
      const order = compareStatusTime(change.statusAppliedTime, existing.status_applied_time);
      if (order > 0 || (order === 0 && change.winsTies === true && change.status !== existing.status)) {
        updateStatus.run(change.status, change.statusAppliedTime, change.executedBy ?? null, fetchedAt, voucherId);
        return 'updated';
      }
      if (order === 0) {
        touch.run(fetchedAt, voucherId);
        return 'refreshed';
      }
      return 'kept';
    },
  );

  return {
    getBySerial(serialNumber) {
      const row = selectBySerial.get(serialNumber);
      return row ? rowToCached(row) : null;
    },
    getById(voucherId) {
      const row = selectById.get(voucherId);
      return row ? rowToCached(row) : null;
    },
    upsert: (voucher, fetchedAt) => upsert(voucher, fetchedAt),
    upsertMany: (vouchers, fetchedAt) => upsertMany(vouchers, fetchedAt),
    applyStatus: (voucherId, change, fetchedAt) => applyStatus(voucherId, change, fetchedAt),
    count: () => countAll.get()?.n ?? 0,
  };
}
