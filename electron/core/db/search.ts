/**
 * Instant search of the voucher cache (issue 3 item 2): never calls Yahoo, every rule index-backed
 * (migration 0030), so it stays instant at a million cached vouchers.
 *
 * The query is tried against these rules in order; the first that finds anything answers:
 *  1. serial: exact, normalised like the scan path (normaliseSerial);
 *  2. order: exact order id ("YM" + digits, spaces and dashes dropped, any case);
 *  3. phone: 3 or 4 digits match the end of the buyer's phone; 7–15 digits match the whole phone
 *     (separators ignored on both sides);
 *  4. name: a prefix of the buyer's name, as typed (works for Chinese names: "陳" finds 陳怡君).
 * Hits come most recent status first; `truncated` says more matched than `limit`.
 * Vouchers whose personal data was purged (sync/retention.ts) are no longer found by 3 or 4.
 */
import { normaliseSerial } from '../../../shared/domain/serial.js';
import type { Db } from './open.js';
import type { DeskStore } from './store.js';
import { rowToCached, type CachedVoucher } from './vouchers.js';

export type SearchMatch = 'serial' | 'order' | 'name' | 'phone';

export interface VoucherSearchResult {
  matchedBy: SearchMatch | null;
  hits: CachedVoucher[];
  truncated: boolean;
}

type VoucherRow = Parameters<typeof rowToCached>[0];

/** Must read exactly as in migration 0030's vouchers_phone_last3/4, or SQLite ignores those indexes. */
const PHONE_DIGITS = `replace(replace(buyer_phone, '-', ''), ' ', '')`;
export const SEARCH_MAX_LIMIT = 1000;
/** U+10FFFF sorts after every other character: prefix p covers [p, p + U+10FFFF). */
const PREFIX_END = '\u{10FFFF}';
const ORDER_ID = /^YM\d{4,}$/;

interface Statements {
  bySerial: (serial: string) => VoucherRow | undefined;
  byOrder: (orderId: string, limit: number) => VoucherRow[];
  byPhone3: (suffix: string, limit: number) => VoucherRow[];
  byPhone4: (suffix: string, limit: number) => VoucherRow[];
  byPhone: (suffix4: string, digits: string, limit: number) => VoucherRow[];
  byNamePrefix: (low: string, high: string, limit: number) => VoucherRow[];
}

/** The statements as SQL, exported so tests can EXPLAIN exactly what runs. */
export const SEARCH_SQL = Object.freeze({
  serial: `SELECT * FROM vouchers WHERE serial_number = ?`,
  order: `SELECT * FROM vouchers WHERE order_id = ? ORDER BY status_applied_time DESC LIMIT ?`,
  phone3: `SELECT * FROM vouchers
    WHERE substr(${PHONE_DIGITS}, -3) = ? AND buyer_phone IS NOT NULL
    ORDER BY status_applied_time DESC LIMIT ?`,
  phone4: `SELECT * FROM vouchers
    WHERE substr(${PHONE_DIGITS}, -4) = ? AND buyer_phone IS NOT NULL
    ORDER BY status_applied_time DESC LIMIT ?`,
  phone: `SELECT * FROM vouchers
    WHERE substr(${PHONE_DIGITS}, -4) = ? AND ${PHONE_DIGITS} = ? AND buyer_phone IS NOT NULL
    ORDER BY status_applied_time DESC LIMIT ?`,
  // Two steps: rowids from the covering (buyer_name, status_applied_time) index, sorted there,
  // then only the rows shown. A common surname matches thousands; only `limit` rows are read.
  namePrefix: `SELECT rowid FROM vouchers
    WHERE buyer_name >= ? AND buyer_name < ?
    ORDER BY status_applied_time DESC LIMIT ?`,
  byRowid: `SELECT * FROM vouchers WHERE rowid = ?`,
});

function prepare(db: Db): Statements {
  const serial = db.prepare<[string], VoucherRow>(SEARCH_SQL.serial);
  const order = db.prepare<[string, number], VoucherRow>(SEARCH_SQL.order);
  const phone3 = db.prepare<[string, number], VoucherRow>(SEARCH_SQL.phone3);
  const phone4 = db.prepare<[string, number], VoucherRow>(SEARCH_SQL.phone4);
  const phone = db.prepare<[string, string, number], VoucherRow>(SEARCH_SQL.phone);
  const namePrefix = db.prepare<[string, string, number], number>(SEARCH_SQL.namePrefix).pluck();
  const byRowid = db.prepare<[number], VoucherRow>(SEARCH_SQL.byRowid);
  return {
    bySerial: (s) => serial.get(s),
    byOrder: (o, n) => order.all(o, n),
    byPhone3: (s, n) => phone3.all(s, n),
    byPhone4: (s, n) => phone4.all(s, n),
    byPhone: (s, d, n) => phone.all(s, d, n),
    byNamePrefix: (low, high, n) =>
      namePrefix
        .all(low, high, n)
        .map((rowid) => byRowid.get(rowid))
        .filter((row): row is VoucherRow => row !== undefined),
  };
}

const statements = new WeakMap<Db, Statements>();

function statementsFor(db: Db): Statements {
  let s = statements.get(db);
  if (s === undefined) {
    s = prepare(db);
    statements.set(db, s);
  }
  return s;
}

function answer(matchedBy: SearchMatch, rows: VoucherRow[], limit: number): VoucherSearchResult | null {
  if (rows.length === 0) return null;
  return { matchedBy, hits: rows.slice(0, limit).map(rowToCached), truncated: rows.length > limit };
}

/** Searches the cache only; see the file comment for the rules. */
export function searchVouchers(store: DeskStore, query: string, limit: number): VoucherSearchResult {
  const max = Math.max(1, Math.min(SEARCH_MAX_LIMIT, Number.isFinite(limit) ? Math.trunc(limit) : 1));
  const text = query.trim();
  const none: VoucherSearchResult = { matchedBy: null, hits: [], truncated: false };
  if (text.length === 0) return none;
  const s = statementsFor(store.db);
  const compact = text
    .normalize('NFKC')
    .replace(/[\s-]+/g, '')
    .toUpperCase();

  const serial = normaliseSerial(text);
  if (serial.ok) {
    const row = s.bySerial(serial.serial);
    if (row !== undefined) return { matchedBy: 'serial', hits: [rowToCached(row)], truncated: false };
  }

  if (ORDER_ID.test(compact)) {
    const hit = answer('order', s.byOrder(compact, max + 1), max);
    if (hit) return hit;
  }

  const digits = compact.replace(/[()+.]/g, '');
  if (/^\d+$/.test(digits)) {
    let rows: VoucherRow[] = [];
    if (digits.length === 3) rows = s.byPhone3(digits, max + 1);
    else if (digits.length === 4) rows = s.byPhone4(digits, max + 1);
    else if (digits.length >= 7 && digits.length <= 15) rows = s.byPhone(digits.slice(-4), digits, max + 1);
    const hit = answer('phone', rows, max);
    if (hit) return hit;
  }

  const name = text.normalize('NFC');
  return answer('name', s.byNamePrefix(name, name + PREFIX_END, max + 1), max) ?? none;
}
