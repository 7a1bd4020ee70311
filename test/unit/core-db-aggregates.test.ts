import { afterEach, describe, expect, it } from 'vitest';
import type { DeskStore } from '../../electron/core/db/store.js';
import { openDeskStore } from '../../electron/core/db/store.js';
import { createTestStore } from '../helpers/db.js';
import { makeVoucher } from '../helpers/vouchers.js';

let store: DeskStore;
afterEach(() => store?.close());

describe('voucher cache upsert', () => {
  it('inserts, then keeps the newest status by statusAppliedTime', () => {
    store = createTestStore();
    const v = makeVoucher({
      status: 'UNUSED',
      statusAppliedTime: '2025-05-01T00:00:00.000Z',
    });
    expect(store.vouchers.upsert(v, '2025-06-01T00:00:00.000Z')).toBe('inserted');

    const used = {
      ...v,
      status: 'USED' as const,
      statusAppliedTime: '2025-05-02T00:00:00.000Z',
    };
    expect(store.vouchers.upsert(used, '2025-06-01T00:01:00.000Z')).toBe('updated');
    expect(store.vouchers.getBySerial(v.serialNumber)).toMatchObject({
      voucher: { status: 'USED' },
      fetchedAt: '2025-06-01T00:01:00.000Z',
    });

    // An older status (a late or replayed answer) never overwrites a newer one, nor refreshes fetched_at.
    expect(store.vouchers.upsert(v, '2025-06-01T00:02:00.000Z')).toBe('kept');
    expect(store.vouchers.getBySerial(v.serialNumber)).toMatchObject({
      voucher: { status: 'USED' },
      fetchedAt: '2025-06-01T00:01:00.000Z',
    });

    // The same status time: keep the row, but it was confirmed just now.
    const sameTime = { ...used, status: 'REFUNDED' as const };
    expect(store.vouchers.upsert(sameTime, '2025-06-01T00:03:00.000Z')).toBe('refreshed');
    expect(store.vouchers.getBySerial(v.serialNumber)).toMatchObject({
      voucher: { status: 'USED' },
      fetchedAt: '2025-06-01T00:03:00.000Z',
    });
  });

  it('compares times, not strings, and treats a missing time as oldest', () => {
    store = createTestStore();
    const v = makeVoucher({ statusAppliedTime: '2025-05-01T08:00:00+08:00' });
    store.vouchers.upsert(v, '2025-06-01T00:00:00.000Z');
    // Same instant written in UTC: equal, so kept.
    expect(store.vouchers.upsert({ ...v, status: 'USED', statusAppliedTime: '2025-05-01T00:00:00.000Z' }, 'x')).toBe(
      'refreshed',
    );
    expect(store.vouchers.upsert({ ...v, status: 'USED', statusAppliedTime: null }, 'y')).toBe('kept');
  });

  it('keeps every field, ids and money as text, digit for digit', () => {
    store = createTestStore();
    const v = makeVoucher({
      voucherId: '18446744073709551615',
      price: '1999.50',
      orderItemId: null,
      buyerDetails: { name: null, phone: null },
    });
    store.vouchers.upsert(v, '2025-06-01T00:00:00.000Z');
    expect(store.vouchers.getById('18446744073709551615')?.voucher).toEqual(v);
    const row = store.db.prepare(`SELECT typeof(voucher_id) t, typeof(price) p FROM vouchers`).get();
    expect(row).toEqual({ t: 'text', p: 'text' });
  });

  it('applies a redeem answer newest-wins', () => {
    store = createTestStore();
    const v = makeVoucher();
    store.vouchers.upsert(v, 'a');
    expect(
      store.vouchers.applyStatus(v.voucherId, { status: 'USED', statusAppliedTime: '2025-06-01T00:00:00.000Z' }, 'b'),
    ).toBe('updated');
    expect(
      store.vouchers.applyStatus(v.voucherId, { status: 'UNUSED', statusAppliedTime: '2025-05-01T00:00:00.000Z' }, 'c'),
    ).toBe('kept');
    expect(store.vouchers.getById(v.voucherId)?.voucher.status).toBe('USED');
    // Our own confirmed redeem, stamped in the same second as the cached status, is the later one.
    const w = makeVoucher({ statusAppliedTime: '2025-06-02T00:00:00.000Z' });
    store.vouchers.upsert(w, 'a');
    expect(
      store.vouchers.applyStatus(w.voucherId, { status: 'USED', statusAppliedTime: '2025-06-02T00:00:00.000Z' }, 'b'),
    ).toBe('refreshed');
    expect(store.vouchers.getById(w.voucherId)?.voucher.status).toBe('UNUSED');
    expect(
      store.vouchers.applyStatus(
        w.voucherId,
        {
          status: 'USED',
          statusAppliedTime: '2025-06-02T00:00:00.000Z',
          winsTies: true,
        },
        'c',
      ),
    ).toBe('updated');
    expect(store.vouchers.getById(w.voucherId)?.voucher.status).toBe('USED');
    expect(store.vouchers.applyStatus('404', { status: 'USED', statusAppliedTime: null }, 'd')).toBe('missing');
  });

  it('replaces a stale row holding the same serial under another voucher id', () => {
    store = createTestStore();
    const v = makeVoucher();
    store.vouchers.upsert(v, 'a');
    store.vouchers.upsert({ ...v, voucherId: '123' }, 'b');
    expect(store.vouchers.count()).toBe(1);
    expect(store.vouchers.getBySerial(v.serialNumber)?.voucher.voucherId).toBe('123');
  });
});

describe('audit log', () => {
  const entry = {
    at: '2025-06-01T00:00:00.000Z',
    station: 'Front desk 1',
    operator: 'Amy',
    action: 'redeem' as const,
    serialNumber: 'ABC123',
    voucherId: '1',
    redemptionId: 'R-00000001',
    outcome: 'redeemed',
    detail: null,
  };

  it('appends and reads back', () => {
    store = createTestStore();
    store.audit.append(entry);
    store.audit.append({ ...entry, outcome: 'rejected' });
    expect(store.audit.forSerial('ABC123').map((e) => e.outcome)).toEqual(['rejected', 'redeemed']);
  });

  it('refuses UPDATE and DELETE', () => {
    store = createTestStore();
    store.audit.append(entry);
    expect(() => store.db.prepare(`UPDATE audit_log SET outcome = 'forged'`).run()).toThrow(/append-only/);
    expect(() => store.db.prepare(`DELETE FROM audit_log`).run()).toThrow(/append-only/);
    expect(store.audit.recent()).toHaveLength(1);
    expect(store.audit.recent()[0]?.outcome).toBe('redeemed');
  });

  it('has no column for buyer details', () => {
    store = createTestStore();
    const columns = store.db.prepare(`SELECT name FROM pragma_table_info('audit_log')`).pluck().all() as string[];
    expect(columns.filter((c) => /buyer|name|phone/.test(c) && c !== 'serial_number')).toEqual([]);
  });
});

describe('redemptions', () => {
  const base = {
    id: 'R-0000abcd',
    nonce: 'n-1',
    serialNumber: 'ABC123',
    voucherId: '1',
    orderId: 'YM1',
    orderItemId: null,
    station: 'Front desk 1',
    operator: 'Amy',
    redeemAt: 'Front desk 1 · R-0000abcd',
    createdAt: '2025-06-01T00:00:00.000Z',
    state: 'pending' as const,
    reason: null,
    attempts: 1,
  };

  it("answers this desk's latest redemption of a serial, including one another connection wrote", () => {
    const test = createTestStore();
    store = test;
    expect(store.redemptions.latestLocal(base.serialNumber)).toBeNull();
    store.redemptions.insert(base);
    expect(store.redemptions.latestLocal(base.serialNumber)?.id).toBe(base.id);

    // The CLI may write to the same file while the app runs: its rows must be seen at once.
    const other = openDeskStore(test.file);
    try {
      expect(store.redemptions.latestLocal('XYZ789')).toBeNull();
      other.redemptions.insert({ ...base, id: 'R-0000beef', nonce: 'n-2', serialNumber: 'XYZ789' });
      expect(store.redemptions.latestLocal('XYZ789')?.id).toBe('R-0000beef');
    } finally {
      other.close();
    }
  });

  it('enforces a unique nonce and a known state', () => {
    store = createTestStore();
    store.redemptions.insert(base);
    expect(() => store.redemptions.insert({ ...base, id: 'R-0000abce' })).toThrow(/UNIQUE/);
    expect(() => store.db.prepare(`UPDATE redemptions SET state = 'lost' WHERE id = ?`).run(base.id)).toThrow(/CHECK/);
  });

  it('completes a pending row once, and never twice', () => {
    store = createTestStore();
    store.redemptions.insert(base);
    expect(store.redemptions.pending().map((r) => r.id)).toEqual([base.id]);
    store.redemptions.complete(base.id, {
      state: 'redeemed',
      reason: null,
      yahooStatus: 'USED',
      completedAt: '2025-06-01T00:00:01.000Z',
    });
    expect(store.redemptions.get(base.id)).toMatchObject({
      state: 'redeemed',
      yahooStatus: 'USED',
    });
    expect(store.redemptions.redeemedForSerial('ABC123')).toHaveLength(1);
    expect(() =>
      store.redemptions.complete(base.id, {
        state: 'rejected',
        reason: 'used',
        yahooStatus: 'USED',
        completedAt: 'x',
      }),
    ).toThrow(/not pending/);
  });
});
