import { afterEach, describe, expect, it } from 'vitest';
import { latestVersion, migrate, MIGRATIONS } from '../../electron/core/db/migrate.js';
import type { DeskStore } from '../../electron/core/db/store.js';
import { createTestDb, createTestStore } from '../helpers/db.js';
import { makeVoucher } from '../helpers/vouchers.js';

let store: DeskStore;
afterEach(() => store?.close());

describe('bulk upsert (the ingest path)', () => {
  it('applies newest-wins per voucher, like upsert, and counts the outcomes', () => {
    store = createTestStore();
    const a = makeVoucher({ statusAppliedTime: '2025-05-02T00:00:00.000Z' });
    const b = makeVoucher({ statusAppliedTime: '2025-05-02T00:00:00.000Z' });
    const c = makeVoucher({ statusAppliedTime: '2025-05-02T00:00:00.000Z' });
    expect(store.vouchers.upsertMany([a, b, c], '2025-06-01T00:00:00.000Z')).toEqual({
      inserted: 3,
      updated: 0,
      refreshed: 0,
      kept: 0,
    });
    const newer = { ...a, status: 'USED' as const, statusAppliedTime: '2025-05-03T00:00:00.000Z' };
    const older = { ...b, status: 'CANCELLED' as const, statusAppliedTime: '2025-05-01T00:00:00.000Z' };
    const fresh = makeVoucher();
    expect(store.vouchers.upsertMany([newer, older, c, fresh], '2025-06-01T00:05:00.000Z')).toEqual({
      inserted: 1,
      updated: 1,
      refreshed: 1,
      kept: 1,
    });
    expect(store.vouchers.getBySerial(a.serialNumber)).toMatchObject({
      voucher: { status: 'USED' },
      fetchedAt: '2025-06-01T00:05:00.000Z',
    });
    expect(store.vouchers.getBySerial(b.serialNumber)).toMatchObject({
      voucher: { status: 'UNUSED' },
      fetchedAt: '2025-06-01T00:00:00.000Z',
    });
    expect(store.vouchers.getBySerial(c.serialNumber)?.fetchedAt).toBe('2025-06-01T00:05:00.000Z');
  });

  it('replaces a stale row holding the same serial under another id', () => {
    store = createTestStore();
    const stale = makeVoucher({ voucherId: '111' });
    store.vouchers.upsertMany([stale], '2025-06-01T00:00:00.000Z');
    const real = { ...stale, voucherId: '222' };
    expect(store.vouchers.upsertMany([real], '2025-06-01T00:01:00.000Z').inserted).toBe(1);
    expect(store.vouchers.getById('111')).toBeNull();
    expect(store.vouchers.getBySerial(stale.serialNumber)?.voucher.voucherId).toBe('222');
    expect(store.vouchers.count()).toBe(1);
  });

  it('is all or nothing', () => {
    store = createTestStore();
    const good = makeVoucher();
    const bad = { ...makeVoucher(), status: 'LOST' as never };
    expect(() => store.vouchers.upsertMany([good, bad], '2025-06-01T00:00:00.000Z')).toThrow(/CHECK/);
    expect(store.vouchers.count()).toBe(0);
  });
});

describe('migration 0030', () => {
  it('adds STRICT sync tables and the search indexes after 0010', () => {
    const { db, close } = createTestDb({ upTo: 10 });
    try {
      expect(MIGRATIONS.map((m) => m.version)).toContain(30);
      expect(migrate(db)).toContain(30);
      expect(latestVersion()).toBeGreaterThanOrEqual(30);
      const strict = db
        .prepare(`SELECT name, strict FROM pragma_table_list WHERE name IN ('sync_runs', 'sync_windows')`)
        .all() as { name: string; strict: number }[];
      expect(strict).toEqual(
        expect.arrayContaining([
          { name: 'sync_runs', strict: 1 },
          { name: 'sync_windows', strict: 1 },
        ]),
      );
      const indexes = db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'vouchers'`)
        .pluck()
        .all();
      expect(indexes).toEqual(
        expect.arrayContaining(['vouchers_buyer_name', 'vouchers_phone_last3', 'vouchers_phone_last4']),
      );
    } finally {
      close();
    }
  });
});
