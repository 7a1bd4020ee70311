/**
 * Redemption attempts made at this desk, and the outbox of work not yet done upstream
 * (ARCHITECTURE rule 5). A row is written 'pending' (with its audit entry, in one transaction)
 * before Yahoo is called or when the desk queues it offline, so nothing acknowledged is lost.
 * Rows are never deleted: failed and conflicting work stays visible until a person resolves it.
 */
import { z } from 'zod';
import { CONFLICT_RESOLUTIONS, type ConflictResolution } from '../../../shared/contract.js';
import {
  REFUSAL_REASONS,
  VOUCHER_STATUSES,
  type RefusalReason,
  type VoucherStatus,
} from '../../../shared/domain/voucher.js';
import type { Db } from './open.js';

export const REDEMPTION_STATES = ['pending', 'redeemed', 'rejected', 'failed', 'conflict'] as const;
export type RedemptionState = (typeof REDEMPTION_STATES)[number];

export const CONFLICT_REASONS = [...REFUSAL_REASONS, 'not_found'] as const;
export type ConflictReason = (typeof CONFLICT_REASONS)[number];

const flag = z.union([z.literal(0), z.literal(1)]).transform((n) => n === 1);

/** Rows are re-validated when read back (ARCHITECTURE rule 5): the outbox must not act on a bad row. */
const RedemptionRowSchema = z
  .object({
    id: z.string().regex(/^R-[0-9a-f]+$/),
    nonce: z.string().min(1),
    serial_number: z.string().min(1),
    voucher_id: z.string().nullable(),
    order_id: z.string().min(1),
    order_item_id: z.string().nullable(),
    station: z.string(),
    operator: z.string(),
    redeem_at: z.string().min(1),
    created_at: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a time'),
    state: z.enum(REDEMPTION_STATES),
    reason: z.enum(REFUSAL_REASONS).nullable(),
    yahoo_status: z.enum(VOUCHER_STATUSES).nullable(),
    completed_at: z.string().nullable(),
    attempts: z.number().int().nonnegative(),
    last_error: z.string().nullable(),
    honoured: flag,
    may_have_applied: flag,
    next_attempt_at: z.string().nullable(),
    confirmed_by_query: flag,
    conflict_reason: z.enum(CONFLICT_REASONS).nullable(),
    resolution: z.enum(CONFLICT_RESOLUTIONS).nullable(),
    resolution_note: z.string().nullable(),
    resolved_at: z.string().nullable(),
    resolved_by: z.string().nullable(),
  })
  .refine((row) => (row.state === 'conflict') === (row.conflict_reason !== null), 'conflict without a reason');

export interface ConflictInfo {
  reason: ConflictReason;
  resolution: ConflictResolution | null;
  note: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

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
  /** Delivery tries: each send, or each query that settles an earlier send. */
  attempts: number;
  lastError: string | null;
  /** The clerk was told 'queued' and handed the service over: the desk owes Yahoo this redemption. */
  honoured: boolean;
  /** A send may have reached Yahoo and its outcome is unknown: the next step is a query, not a resend. */
  mayHaveApplied: boolean;
  nextAttemptAt: string | null;
  /** Delivered, proven by a query after an ambiguous send. */
  confirmedByQuery: boolean;
  conflict: ConflictInfo | null;
}

export type NewRedemption = Omit<
  Redemption,
  | 'completedAt'
  | 'yahooStatus'
  | 'lastError'
  | 'honoured'
  | 'mayHaveApplied'
  | 'nextAttemptAt'
  | 'confirmedByQuery'
  | 'conflict'
> & {
  yahooStatus?: VoucherStatus | null;
  completedAt?: string | null;
  lastError?: string | null;
  honoured?: boolean;
  mayHaveApplied?: boolean;
  nextAttemptAt?: string | null;
};

export interface ShiftRow {
  redemption: Redemption;
  title: string | null;
  buyerName: string | null;
}

/** A row that failed re-validation: reported, never acted on. */
export interface CorruptRow {
  id: string;
  problem: string;
}

export interface RowsRead<T> {
  rows: T[];
  corrupt: CorruptRow[];
}

export type OutboxFilter = 'open' | 'conflicts' | 'all';

export interface Completion {
  state: Exclude<RedemptionState, 'pending'>;
  reason: RefusalReason | null;
  yahooStatus: VoucherStatus | null;
  completedAt: string;
  lastError?: string | null;
  confirmedByQuery?: boolean;
  /** Required exactly when state is 'conflict'. */
  conflictReason?: ConflictReason | null;
}

export interface RedemptionStore {
  insert(row: NewRedemption): void;
  get(id: string): Redemption | null;
  exists(id: string): boolean;
  /** The redemptions of this serial that Yahoo confirmed, newest first. */
  redeemedForSerial(serialNumber: string): Redemption[];
  pendingForSerial(serialNumber: string): Redemption[];
  /** This desk's latest pending, redeemed or conflict row for the serial (for the lookup card). */
  latestLocal(serialNumber: string): Redemption | null;
  pending(): Redemption[];
  /** Pending rows due at `nowIso` (or all pending rows with `ignoreBackoff`), oldest first; bad rows reported apart. */
  due(nowIso: string, limit: number, ignoreBackoff?: boolean): RowsRead<Redemption>;
  /** A try starts: counts it, and (for a send) marks that it may apply from now on. */
  beginTry(id: string, sending: boolean): void;
  /** Still pending after a try: what the next step is, and when. */
  recordTry(
    id: string,
    fields: { mayHaveApplied: boolean; lastError: string | null; nextAttemptAt: string | null },
  ): void;
  /** The clerk was told 'queued': the desk now owes this redemption. */
  honour(id: string, nextAttemptAt: string | null): void;
  complete(id: string, outcome: Completion): void;
  /** A person's decision on a conflict; false when the row is not an unresolved conflict. */
  resolve(
    id: string,
    decision: { resolution: ConflictResolution; note: string; resolvedAt: string; resolvedBy: string },
  ): boolean;
  counts(): { queued: number; unresolvedConflicts: number };
  /** When the next pending row is due: undefined with none pending, null when one is due now. */
  earliestDue(): string | null | undefined;
  list(filter: OutboxFilter, limit: number): RowsRead<ShiftRow>;
  /** This station's rows created at or after `since`, newest first, joined with the voucher cache. */
  forShift(station: string, since: string, limit?: number): ShiftRow[];
}

export function toRedemption(raw: unknown): Redemption {
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
    honoured: row.honoured,
    mayHaveApplied: row.may_have_applied,
    nextAttemptAt: row.next_attempt_at,
    confirmedByQuery: row.confirmed_by_query,
    conflict:
      row.conflict_reason === null
        ? null
        : {
            reason: row.conflict_reason,
            resolution: row.resolution,
            note: row.resolution_note,
            resolvedAt: row.resolved_at,
            resolvedBy: row.resolved_by,
          },
  };
}

function readRows<T>(raws: unknown[], map: (raw: unknown) => T): RowsRead<T> {
  const rows: T[] = [];
  const corrupt: CorruptRow[] = [];
  for (const raw of raws) {
    try {
      rows.push(map(raw));
    } catch (error) {
      const id = String((raw as { id?: unknown }).id ?? '?').slice(0, 40);
      const problem =
        error instanceof z.ZodError
          ? error.issues.map((i) => `${i.path.map(String).join('.') || 'row'}: ${i.message}`).join('; ')
          : String(error);
      corrupt.push({ id, problem: problem.slice(0, 300) });
    }
  }
  return { rows, corrupt };
}

const REDEMPTION_COLUMNS = `r.id, r.nonce, r.serial_number, r.voucher_id, r.order_id, r.order_item_id, r.station, r.operator,
  r.redeem_at, r.created_at, r.state, r.reason, r.yahoo_status, r.completed_at, r.attempts, r.last_error,
  r.honoured, r.may_have_applied, r.next_attempt_at, r.confirmed_by_query, r.conflict_reason,
  r.resolution, r.resolution_note, r.resolved_at, r.resolved_by`;

const WITH_VOUCHER = `${REDEMPTION_COLUMNS}, v.title AS v_title, v.buyer_name AS v_buyer_name
  FROM redemptions r LEFT JOIN vouchers v ON v.serial_number = r.serial_number`;

const toShiftRow = (raw: unknown): ShiftRow => {
  const extra = raw as { v_title: string | null; v_buyer_name: string | null };
  return { redemption: toRedemption(raw), title: extra.v_title, buyerName: extra.v_buyer_name };
};

export function createRedemptionStore(db: Db): RedemptionStore {
  const insertRow = db.prepare(
    `INSERT INTO redemptions (id, nonce, serial_number, voucher_id, order_id, order_item_id, station, operator,
       redeem_at, created_at, state, reason, yahoo_status, completed_at, attempts, last_error,
       honoured, may_have_applied, next_attempt_at)
     VALUES (@id, @nonce, @serialNumber, @voucherId, @orderId, @orderItemId, @station, @operator,
       @redeemAt, @createdAt, @state, @reason, @yahooStatus, @completedAt, @attempts, @lastError,
       @honoured, @mayHaveApplied, @nextAttemptAt)`,
  );
  const selectOne = db.prepare<[string]>(`SELECT ${REDEMPTION_COLUMNS} FROM redemptions r WHERE r.id = ?`);
  const selectExists = db.prepare<[string]>(`SELECT 1 FROM redemptions WHERE id = ?`).pluck();
  const selectBySerialState = db.prepare<[string, string]>(
    `SELECT ${REDEMPTION_COLUMNS} FROM redemptions r WHERE r.serial_number = ? AND r.state = ?
     ORDER BY r.created_at DESC, r.rowid DESC`,
  );
  const selectLatestLocal = db.prepare<[string]>(
    `SELECT ${REDEMPTION_COLUMNS} FROM redemptions r
     WHERE r.serial_number = ? AND r.state IN ('pending', 'redeemed', 'conflict')
     ORDER BY r.created_at DESC, r.rowid DESC LIMIT 1`,
  );
  const selectPending = db.prepare(
    `SELECT ${REDEMPTION_COLUMNS} FROM redemptions r WHERE r.state = 'pending' ORDER BY r.created_at, r.rowid`,
  );
  const selectDue = db.prepare<[string, number]>(
    `SELECT ${REDEMPTION_COLUMNS} FROM redemptions r
     WHERE r.state = 'pending' AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= ?)
     ORDER BY r.created_at, r.rowid LIMIT ?`,
  );
  const selectAllPending = db.prepare<[number]>(
    `SELECT ${REDEMPTION_COLUMNS} FROM redemptions r WHERE r.state = 'pending' ORDER BY r.created_at, r.rowid LIMIT ?`,
  );
  const updateBeginTry = db.prepare<[number, string]>(
    `UPDATE redemptions SET attempts = attempts + 1, may_have_applied = max(may_have_applied, ?)
     WHERE id = ? AND state = 'pending'`,
  );
  const updateTry = db.prepare(
    `UPDATE redemptions SET may_have_applied = @mayHaveApplied, last_error = @lastError, next_attempt_at = @nextAttemptAt
     WHERE id = @id AND state = 'pending'`,
  );
  const updateHonour = db.prepare<[string | null, string]>(
    `UPDATE redemptions SET honoured = 1, next_attempt_at = ? WHERE id = ? AND state = 'pending'`,
  );
  const updateComplete = db.prepare(
    `UPDATE redemptions SET state = @state, reason = @reason, yahoo_status = @yahooStatus, completed_at = @completedAt,
       last_error = coalesce(@lastError, last_error), confirmed_by_query = @confirmedByQuery,
       conflict_reason = @conflictReason, may_have_applied = 0, next_attempt_at = NULL
     WHERE id = @id AND state = 'pending'`,
  );
  const updateResolve = db.prepare(
    `UPDATE redemptions SET resolution = @resolution, resolution_note = @note, resolved_at = @resolvedAt,
       resolved_by = @resolvedBy
     WHERE id = @id AND state = 'conflict' AND resolution IS NULL`,
  );
  const countOpen = db.prepare<[], { queued: number; conflicts: number }>(
    `SELECT (SELECT count(*) FROM redemptions WHERE state = 'pending') AS queued,
            (SELECT count(*) FROM redemptions WHERE state = 'conflict' AND resolution IS NULL) AS conflicts`,
  );
  const selectEarliest = db.prepare<[], { n: number; at: string | null }>(
    `SELECT count(*) AS n, min(coalesce(next_attempt_at, '')) AS at FROM redemptions WHERE state = 'pending'`,
  );
  const listOpen = db.prepare<[number]>(
    `SELECT ${WITH_VOUCHER}
     WHERE r.state = 'pending' OR (r.state = 'conflict' AND r.resolution IS NULL)
     ORDER BY r.created_at, r.rowid LIMIT ?`,
  );
  const listConflicts = db.prepare<[number]>(
    `SELECT ${WITH_VOUCHER} WHERE r.state = 'conflict' ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?`,
  );
  const listAll = db.prepare<[number]>(`SELECT ${WITH_VOUCHER} ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?`);
  const selectShift = db.prepare<[string, string, number]>(
    `SELECT ${WITH_VOUCHER}
     WHERE r.station = ? AND r.created_at >= ?
     ORDER BY r.created_at DESC, r.rowid DESC
     LIMIT ?`,
  );

  // The scan path asks "has this desk redeemed this serial?" on every lookup, and the answer is
  // almost always no. The set of serials that have rows answers a miss without a query.
  // PRAGMA data_version changes when another connection (e.g. the CLI on the same file)
  // commits, and the set is then reloaded; this connection's own inserts add to it directly.
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  const selectSerials = db.prepare<[], string>('SELECT DISTINCT serial_number FROM redemptions').pluck();
  let serialsWithRows: Set<string> | null = null;
  let loadedAtVersion: number | undefined;
  const mayHaveRows = (serial: string): boolean => {
    const version = dataVersion.get();
    if (serialsWithRows === null || version !== loadedAtVersion) {
      serialsWithRows = new Set(selectSerials.all());
      loadedAtVersion = version;
    }
    return serialsWithRows.has(serial);
  };

  return {
    insert(row) {
      serialsWithRows?.add(row.serialNumber);
      insertRow.run({
        ...row,
        yahooStatus: row.yahooStatus ?? null,
        completedAt: row.completedAt ?? null,
        lastError: row.lastError ?? null,
        honoured: row.honoured ? 1 : 0,
        mayHaveApplied: row.mayHaveApplied ? 1 : 0,
        nextAttemptAt: row.nextAttemptAt ?? null,
      });
    },
    get(id) {
      const row = selectOne.get(id);
      return row === undefined ? null : toRedemption(row);
    },
    exists: (id) => selectExists.get(id) !== undefined,
    redeemedForSerial: (serialNumber) => selectBySerialState.all(serialNumber, 'redeemed').map(toRedemption),
    pendingForSerial: (serialNumber) => selectBySerialState.all(serialNumber, 'pending').map(toRedemption),
    latestLocal(serialNumber) {
      if (!mayHaveRows(serialNumber)) return null;
      const row = selectLatestLocal.get(serialNumber);
      return row === undefined ? null : toRedemption(row);
    },
    pending: () => selectPending.all().map(toRedemption),
    due: (nowIso, limit, ignoreBackoff = false) =>
      readRows(ignoreBackoff ? selectAllPending.all(limit) : selectDue.all(nowIso, limit), toRedemption),
    beginTry(id, sending) {
      updateBeginTry.run(sending ? 1 : 0, id);
    },
    recordTry(id, fields) {
      updateTry.run({ id, ...fields, mayHaveApplied: fields.mayHaveApplied ? 1 : 0 });
    },
    honour(id, nextAttemptAt) {
      updateHonour.run(nextAttemptAt, id);
    },
    complete(id, outcome) {
      const result = updateComplete.run({
        id,
        lastError: null,
        ...outcome,
        confirmedByQuery: outcome.confirmedByQuery ? 1 : 0,
        conflictReason: outcome.conflictReason ?? null,
      });
      if (result.changes !== 1) throw new Error(`redemption ${id} is not pending; refusing to complete it twice`);
    },
    resolve: (id, decision) => updateResolve.run({ id, ...decision }).changes === 1,
    counts() {
      const row = countOpen.get();
      return { queued: row?.queued ?? 0, unresolvedConflicts: row?.conflicts ?? 0 };
    },
    earliestDue() {
      const row = selectEarliest.get();
      if (!row || row.n === 0) return undefined;
      return row.at === '' || row.at === null ? null : row.at;
    },
    list(filter, limit) {
      const statement = filter === 'open' ? listOpen : filter === 'conflicts' ? listConflicts : listAll;
      return readRows(statement.all(limit), toShiftRow);
    },
    forShift(station, since, limit = 500) {
      return readRows(selectShift.all(station, since, limit), toShiftRow).rows;
    },
  };
}
