import { afterEach, describe, expect, it } from 'vitest';
import { SEARCH_SQL, searchVouchers } from '../../electron/core/db/search.js';
import type { DeskStore } from '../../electron/core/db/store.js';
import type { Voucher } from '../../shared/domain/voucher.js';
import { createTestStore } from '../helpers/db.js';
import { makeVoucher } from '../helpers/vouchers.js';

let store: DeskStore;
afterEach(() => store?.close());

const FETCHED = '2025-06-01T00:00:00.000Z';
let minute = 0;
/** Each voucher's status is a minute later than the one before. */
function put(overrides: Partial<Voucher>): Voucher {
  minute += 1;
  const v = makeVoucher({
    statusAppliedTime: new Date(Date.parse('2025-05-01T00:00:00Z') + minute * 60_000).toISOString(),
    ...overrides,
  });
  store.vouchers.upsert(v, FETCHED);
  return v;
}
const serials = (r: ReturnType<typeof searchVouchers>) => r.hits.map((h) => h.voucher.serialNumber);

describe('searchVouchers', () => {
  it('finds a serial exactly, normalised like the scan path', () => {
    store = createTestStore();
    const v = put({ serialNumber: 'YTWPS00001ABCDE' });
    put({ serialNumber: 'YTWPS00001ABCDF' });
    const result = searchVouchers(store, ' ytwps-00001 abcde ', 20);
    expect(result).toMatchObject({ matchedBy: 'serial', truncated: false });
    expect(serials(result)).toEqual([v.serialNumber]);
    expect(result.hits[0]).toMatchObject({ voucher: { buyerDetails: { name: '楊于慧' } }, fetchedAt: FETCHED });
    expect(searchVouchers(store, 'YTWPS00001ABC', 20).matchedBy).toBeNull(); // exact, not a prefix
  });

  it('finds every voucher of an order id, most recent status first', () => {
    store = createTestStore();
    const a = put({ orderId: 'YM2501010000200' });
    const b = put({ orderId: 'YM2501010000200', status: 'USED' });
    const c = put({ orderId: 'YM2501010000200' });
    put({ orderId: 'YM2501010000201' });
    const result = searchVouchers(store, 'ym 2501010000200', 20);
    expect(result.matchedBy).toBe('order');
    expect(serials(result)).toEqual([c, b, a].map((v) => v.serialNumber));
    expect(searchVouchers(store, 'YM2501010009999', 20).matchedBy).toBeNull();
  });

  it('finds the last 3 or 4 digits of a phone, and a whole phone, ignoring separators', () => {
    store = createTestStore();
    const a = put({ buyerDetails: { name: '陳怡君', phone: '0922333444' } });
    const b = put({ buyerDetails: { name: '林志明', phone: '0912-555-444' } });
    const c = put({ buyerDetails: { name: '王小明', phone: '0912 063 990' } });
    put({ buyerDetails: { name: '張美玲', phone: null } });

    const three = searchVouchers(store, '444', 20);
    expect(three.matchedBy).toBe('phone');
    expect(serials(three)).toEqual([b.serialNumber, a.serialNumber]);
    expect(serials(searchVouchers(store, '3444', 20))).toEqual([a.serialNumber]);
    expect(serials(searchVouchers(store, '5444', 20))).toEqual([b.serialNumber]);
    expect(serials(searchVouchers(store, '3990', 20))).toEqual([c.serialNumber]);
    expect(serials(searchVouchers(store, '0912-063-990', 20))).toEqual([c.serialNumber]);
    expect(searchVouchers(store, '0912063990', 20).matchedBy).toBe('phone');
    expect(searchVouchers(store, '0912063991', 20).matchedBy).toBeNull();
    expect(searchVouchers(store, '12', 20).matchedBy).toBeNull(); // too short to be a phone suffix
    // A phone's middle is not its end.
    expect(searchVouchers(store, '333', 20).matchedBy).toBeNull();
  });

  it('finds a buyer name by prefix, Chinese names included', () => {
    store = createTestStore();
    const a = put({ buyerDetails: { name: '陳怡君', phone: '0922333444' } });
    const b = put({ buyerDetails: { name: '陳大文', phone: '0922333445' } });
    put({ buyerDetails: { name: '林陳美', phone: '0922333446' } });
    const d = put({ buyerDetails: { name: 'Chen Wei', phone: '0922333447' } });
    put({ buyerDetails: { name: '陈怡君', phone: '0922333448' } }); // simplified 陈 is another character

    const surname = searchVouchers(store, '陳', 20);
    expect(surname.matchedBy).toBe('name');
    expect(serials(surname)).toEqual([b.serialNumber, a.serialNumber]);
    expect(serials(searchVouchers(store, '陳怡', 20))).toEqual([a.serialNumber]);
    expect(serials(searchVouchers(store, ' 陳怡君 ', 20))).toEqual([a.serialNumber]);
    expect(serials(searchVouchers(store, 'Chen', 20))).toEqual([d.serialNumber]);
    expect(searchVouchers(store, '陳怡君君', 20).matchedBy).toBeNull();
    expect(searchVouchers(store, '美', 20).matchedBy).toBeNull(); // a prefix, not a substring
  });

  it('returns at most limit hits, newest status first, and says when more matched', () => {
    store = createTestStore();
    const all = Array.from({ length: 5 }, () => put({ buyerDetails: { name: '黃淑芬', phone: '0955666777' } }));
    const newestFirst = all.map((v) => v.serialNumber).reverse();

    const three = searchVouchers(store, '黃', 3);
    expect(three).toMatchObject({ matchedBy: 'name', truncated: true });
    expect(serials(three)).toEqual(newestFirst.slice(0, 3));
    expect(searchVouchers(store, '黃', 5).truncated).toBe(false);
    expect(searchVouchers(store, '黃', 6).truncated).toBe(false);
    const phone = searchVouchers(store, '777', 2);
    expect(phone).toMatchObject({ matchedBy: 'phone', truncated: true });
    expect(serials(phone)).toEqual(newestFirst.slice(0, 2));
  });

  it('answers nothing for an empty query or one that matches no rule', () => {
    store = createTestStore();
    put({});
    expect(searchVouchers(store, '   ', 20)).toEqual({ matchedBy: null, hits: [], truncated: false });
    expect(searchVouchers(store, 'nobody', 20)).toEqual({ matchedBy: null, hits: [], truncated: false });
  });

  it('prefers the serial rule when a query could be a serial and a name', () => {
    store = createTestStore();
    const bySerial = put({ serialNumber: 'LEE1' });
    put({ buyerDetails: { name: 'LEE1 Chen', phone: null } });
    expect(searchVouchers(store, 'lee1', 20)).toMatchObject({ matchedBy: 'serial' });
    expect(serials(searchVouchers(store, 'lee1', 20))).toEqual([bySerial.serialNumber]);
  });
});

describe('search query plans', () => {
  const plan = (s: DeskStore, sql: string, params: unknown[]) =>
    (s.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');

  function expectIndexed(s: DeskStore): void {
    expect(plan(s, SEARCH_SQL.serial, ['X'])).toMatch(
      /SEARCH vouchers USING INDEX vouchers_serial_number \(serial_number=\?\)/,
    );
    expect(plan(s, SEARCH_SQL.order, ['YM1', 21])).toMatch(
      /SEARCH vouchers USING INDEX vouchers_order_id \(order_id=\?\)/,
    );
    for (const [sql, index, params] of [
      [SEARCH_SQL.phone3, 'vouchers_phone_last3', ['444', 21]],
      [SEARCH_SQL.phone4, 'vouchers_phone_last4', ['3444', 21]],
      [SEARCH_SQL.phone, 'vouchers_phone_last4', ['3444', '0922333444', 21]],
    ] as const) {
      const p = plan(s, sql, [...params]);
      expect(p).toMatch(new RegExp(`SEARCH vouchers USING INDEX ${index} \\(<expr>=\\?\\)`));
      expect(p).not.toMatch(/TEMP B-TREE|SCAN vouchers/); // the index gives the order too
    }
    const name = plan(s, SEARCH_SQL.namePrefix, ['陳', '陳\u{10FFFF}', 21]);
    expect(name).toMatch(
      /SEARCH vouchers USING COVERING INDEX vouchers_buyer_name \(buyer_name>\? AND buyer_name<\?\)/,
    );
    expect(name).not.toMatch(/SCAN vouchers/);
    expect(plan(s, SEARCH_SQL.byRowid, [1])).toMatch(/SEARCH vouchers USING INTEGER PRIMARY KEY \(rowid=\?\)/);
  }

  it('uses the indexes on a fresh cache', () => {
    store = createTestStore();
    expectIndexed(store);
  });

  it('still uses them once the cache is large and analysed', () => {
    store = createTestStore();
    const names = ['陳怡君', '林志明', '王小明', '張美玲', '李宗翰', '黃淑芬'];
    store.vouchers.upsertMany(
      Array.from({ length: 6000 }, (_, i) =>
        makeVoucher({
          buyerDetails: { name: names[i % names.length]!, phone: `09${String(i * 7919).padStart(8, '0')}` },
          status: i % 3 === 0 ? 'USED' : 'UNUSED',
        }),
      ),
      FETCHED,
    );
    store.db.exec('ANALYZE');
    expectIndexed(store);
  });
});
