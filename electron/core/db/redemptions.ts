/**
 * Redemption attempts made at this desk. A row is written 'pending' (with its audit entry,
 * in one transaction) before Yahoo is called, so work that may have reached Yahoo is never
 * lost; the next issue turns the 'pending' rows into the offline outbox.
 */
import { z } from 'zod';
import {
  REFUSAL_REASONS,
  VOUCHER_STATUSES,
  type RefusalReason,
  type VoucherStatus,
} from '../../../shared/domain/voucher.js';
import type { Db } from './open.js';

export const REDEMPTION_STATES = ['pending', 'redeemed', 'rejected', 'failed'] as const;
export type RedemptionState = (typeof REDEMPTION_STATES)[number];

/** Rows are re-validated when read back (ARCHITECTURE rule 5): the outbox must not act on a bad row. */
const RedemptionRowSchema = z.object({
  id: z.string().regex(/^R-[0-9a-f]+$/),
  nonce: z.string().min(1),
  serial_number: z.string().min(1),
  voucher_id: z.string().nullable(),
  order_id: z.string().min(1),
  order_item_id: z.string().nullable(),
  station: z.string(),
  operator: z.string(),
  redeem_at: z.string(),
  created_at: z.string(),
  state: z.enum(REDEMPTION_STATES),
  reason: z.enum(REFUSAL_REASONS).nullable(),
  yahoo_status: z.enum(VOUCHER_STATUSES).nullable(),
  completed_at: z.string().nullable(),
  attempts: z.number().int().nonnegative(),
  last_error: z.string().nullable(),
});

export interface Redemption {
  id: string;
  nonce: string;
  serialNumber: string;
  voucherId: string | null;
  orderId: string;
  orderItemId: string | null;
  station: string;
  operator: string;
  /** Exactly what was (or will be) sent to Yahoo as redeemAt; a replay sends it again. */
  redeemAt: string;
  createdAt: string;
  state: RedemptionState;
  reason: RefusalReason | null;
  yahooStatus: VoucherStatus | null;
  completedAt: string | null;
  attempts: number;
  lastError: string | null;
}

export type NewRedemption = Omit<Redemption, 'completedAt' | 'yahooStatus' | 'lastError'> & {
  yahooStatus?: VoucherStatus | null;
  completedAt?: string | null;
  lastError?: string | null;
};

export interface ShiftRow {
  redemption: Redemption;
  title: string | null;
  buyerName: string | null;
}

export interface RedemptionStore {
  insert(row: NewRedemption): void;
  get(id: string): Redemption | null;
  exists(id: string): boolean;
  /** The redemptions of this serial that Yahoo confirmed, newest first. */
  redeemedForSerial(serialNumber: string): Redemption[];
  pendingForSerial(serialNumber: string): Redemption[];
  pending(): Redemption[];
  countAttempt(id: string, lastError: string | null): void;
  complete(
    id: string,
    outcome: {
      state: Exclude<RedemptionState, 'pending'>;
      reason: RefusalReason | null;
      yahooStatus: VoucherStatus | null;
      completedAt: string;
      lastError?: string | null;
    },
  ): void;
  /** Still pending after an attempt whose outcome is unknown. */
  markUnconfirmed(id: string, lastError: string): void;
  /** This station's rows created at or after `since`, newest first, joined with the voucher cache. */
  forShift(station: string, since: string, limit?: number): ShiftRow[];
}

function toRedemption(raw: unknown): Redemption {
  const row = RedemptionRowSchema.parse(raw);
  return {
    id: row.id,
    nonce: row.nonce,
    serialNumber: row.serial_number,
    voucherId: row.voucher_id,
    orderId: row.order_id,
    orderItemId: row.order_item_id,
    station: row.station,
    operator: row.operator,
    redeemAt: row.redeem_at,
    createdAt: row.created_at,
    state: row.state,
    reason: row.reason,
    yahooStatus: row.yahoo_status,
    completedAt: row.completed_at,
    attempts: row.attempts,
    lastError: row.last_error,
  };
}

const REDEMPTION_COLUMNS = `r.id, r.nonce, r.serial_number, r.voucher_id, r.order_id, r.order_item_id, r.station, r.operator,
  r.redeem_at, r.created_at, r.state, r.reason, r.yahoo_status, r.completed_at, r.attempts, r.last_error`;

export function createRedemptionStore(db: Db): RedemptionStore {
  const insertRow = db.prepare(
    `INSERT INTO redemptions (id, nonce, serial_number, voucher_id, order_id, order_item_id, station, operator,
       redeem_at, created_at, state, reason, yahoo_status, completed_at, attempts, last_error)
     VALUES (@id, @nonce, @serialNumber, @voucherId, @orderId, @orderItemId, @station, @operator,
       @redeemAt, @createdAt, @state, @reason, @yahooStatus, @completedAt, @attempts, @lastError)`,
  );
  const selectOne = db.prepare<[string]>(`SELECT ${REDEMPTION_COLUMNS} FROM redemptions r WHERE r.id = ?`);
  const selectExists = db.prepare<[string]>(`SELECT 1 FROM redemptions WHERE id = ?`).pluck();
  const selectBySerialState = db.prepare<[string, string]>(
    `SELECT ${REDEMPTION_COLUMNS} FROM redemptions r WHERE r.serial_number = ? AND r.state = ? ORDER BY r.created_at DESC`,
  );
  const selectPending = db.prepare(
    `SELECT ${REDEMPTION_COLUMNS} FROM redemptions r WHERE r.state = 'pending' ORDER BY r.created_at`,
  );
  const updateAttempt = db.prepare<[string | null, string]>(
    `UPDATE redemptions SET attempts = attempts + 1, last_error = ? WHERE id = ? AND state = 'pending'`,
  );
  const updateComplete = db.prepare(
    `UPDATE redemptions SET state = @state, reason = @reason, yahoo_status = @yahooStatus, completed_at = @completedAt,
       last_error = coalesce(@lastError, last_error)
     WHERE id = @id AND state = 'pending'`,
  );
  const updateUnconfirmed = db.prepare<[string, string]>(
    `UPDATE redemptions SET last_error = ? WHERE id = ? AND state = 'pending'`,
  );
  const selectShift = db.prepare<[string, string, number]>(
    `SELECT ${REDEMPTION_COLUMNS}, v.title AS v_title, v.buyer_name AS v_buyer_name
     FROM redemptions r
     LEFT JOIN vouchers v ON v.serial_number = r.serial_number
     WHERE r.station = ? AND r.created_at >= ?
     ORDER BY r.created_at DESC, r.rowid DESC
     LIMIT ?`,
  );

  return {
    insert(row) {
      insertRow.run({
        ...row,
        yahooStatus: row.yahooStatus ?? null,
        completedAt: row.completedAt ?? null,
        lastError: row.lastError ?? null,
      });
    },
    get(id) {
      const row = selectOne.get(id);
      return row === undefined ? null : toRedemption(row);
    },
    exists: (id) => selectExists.get(id) !== undefined,
    redeemedForSerial: (serialNumber) => selectBySerialState.all(serialNumber, 'redeemed').map(toRedemption),
    pendingForSerial: (serialNumber) => selectBySerialState.all(serialNumber, 'pending').map(toRedemption),
    pending: () => selectPending.all().map(toRedemption),
    countAttempt(id, lastError) {
      updateAttempt.run(lastError, id);
    },
    complete(id, outcome) {
      const result = updateComplete.run({ id, lastError: null, ...outcome });
      if (result.changes !== 1) throw new Error(`redemption ${id} is not pending; refusing to complete it twice`);
    },
    markUnconfirmed(id, lastError) {
      updateUnconfirmed.run(lastError, id);
    },
    forShift(station, since, limit = 500) {
      return selectShift.all(station, since, limit).map((raw) => {
        const extra = raw as {
          v_title: string | null;
          v_buyer_name: string | null;
        };
        return {
          redemption: toRedemption(raw),
          title: extra.v_title,
          buyerName: extra.v_buyer_name,
        };
      });
    },
  };
}
