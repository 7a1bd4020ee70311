/**
 * The audit log: who looked up or redeemed what, where and when. Append-only (the triggers
 * of migration 0010 refuse UPDATE and DELETE). Buyer names and phones never go here.
 */
import type { Db } from './open.js';

export type AuditAction = 'lookup' | 'redeem';

export interface AuditEntry {
  at: string;
  station: string;
  operator: string;
  action: AuditAction;
  serialNumber: string;
  voucherId: string | null;
  redemptionId: string | null;
  /** e.g. 'found', 'not_found', 'sending', 'redeemed', 'rejected', 'failed', 'unconfirmed', 'error'. */
  outcome: string;
  /** Short free text for the operator or support; never personal data. */
  detail: string | null;
}

export interface AuditRecord extends AuditEntry {
  seq: number;
}

interface AuditRow {
  seq: number;
  at: string;
  station: string;
  operator: string;
  action: AuditAction;
  serial_number: string;
  voucher_id: string | null;
  redemption_id: string | null;
  outcome: string;
  detail: string | null;
}

export interface AuditLog {
  append(entry: AuditEntry): void;
  /** Newest first. */
  forSerial(serialNumber: string, limit?: number): AuditRecord[];
  recent(limit?: number): AuditRecord[];
}

export function createAuditLog(db: Db): AuditLog {
  const insert = db.prepare(
    `INSERT INTO audit_log (at, station, operator, action, serial_number, voucher_id, redemption_id, outcome, detail)
     VALUES (@at, @station, @operator, @action, @serialNumber, @voucherId, @redemptionId, @outcome, @detail)`,
  );
  const bySerial = db.prepare<[string, number], AuditRow>(
    `SELECT * FROM audit_log WHERE serial_number = ? ORDER BY seq DESC LIMIT ?`,
  );
  const latest = db.prepare<[number], AuditRow>(`SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?`);

  const toRecord = (row: AuditRow): AuditRecord => ({
    seq: row.seq,
    at: row.at,
    station: row.station,
    operator: row.operator,
    action: row.action,
    serialNumber: row.serial_number,
    voucherId: row.voucher_id,
    redemptionId: row.redemption_id,
    outcome: row.outcome,
    detail: row.detail,
  });

  return {
    append(entry) {
      insert.run(entry);
    },
    forSerial: (serialNumber, limit = 100) => bySerial.all(serialNumber, limit).map(toRecord),
    recent: (limit = 100) => latest.all(limit).map(toRecord),
  };
}
