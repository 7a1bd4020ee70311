import { afterEach, describe, expect, it } from 'vitest';
import {
  DatabaseTooNewError,
  latestVersion,
  migrate,
  MIGRATIONS,
  schemaVersion,
  type Migration,
} from '../../electron/core/db/migrate.js';
import { openDatabase } from '../../electron/core/db/open.js';
import { createTestDb } from '../helpers/db.js';
import { tempDir } from '../helpers/tempDir.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function testDb(options: Parameters<typeof createTestDb>[0] = {}) {
  const t = createTestDb(options);
  cleanups.push(t.close);
  return t;
}

const tables = (db: ReturnType<typeof testDb>['db']) =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[]).filter(
    (n) => !n.startsWith('sqlite_'),
  );

describe('openDatabase', () => {
  it('sets WAL, foreign keys, synchronous FULL and a busy timeout', () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const db = openDatabase(`${dir.path}/desk.sqlite`);
    cleanups.push(() => db.close());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });
});

describe('migrations', () => {
  it('are numbered in steps of 10', () => {
    for (const m of MIGRATIONS) expect(m.version % 10).toBe(0);
  });

  it('bring a fresh database to the latest version with STRICT tables', () => {
    const { db } = testDb({ upTo: 0 });
    expect(schemaVersion(db)).toBe(0);
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(schemaVersion(db)).toBe(latestVersion());
    expect(tables(db)).toEqual(expect.arrayContaining(['audit_log', 'redemptions', 'vouchers']));
    const strict = db
      .prepare(`SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'`)
      .all() as {
      name: string;
      strict: number;
    }[];
    for (const t of strict) expect(t.strict, t.name).toBe(1);
    // Running again changes nothing.
    expect(migrate(db)).toEqual([]);
  });

  it('refuses a database written by a newer app, without touching it', () => {
    const { db } = testDb();
    db.pragma(`user_version = ${latestVersion() + 10}`);
    expect(() => migrate(db)).toThrow(DatabaseTooNewError);
    expect(() => migrate(db)).toThrow(/newer version of the app/);
    expect(schemaVersion(db)).toBe(latestVersion() + 10);
  });

  it('rolls a failing migration back whole, user_version included', () => {
    const { db } = testDb();
    const base = latestVersion();
    const broken: Migration = {
      version: base + 10,
      name: 'broken',
      up(d) {
        d.exec(`CREATE TABLE half_done (id TEXT PRIMARY KEY) STRICT`);
        d.exec(`INSERT INTO half_done VALUES ('x')`);
        d.exec(`THIS IS NOT SQL`);
      },
    };
    expect(() => migrate(db, { migrations: [...MIGRATIONS, broken] })).toThrow();
    expect(schemaVersion(db)).toBe(base);
    expect(tables(db)).not.toContain('half_done');
  });

  it('applies later migrations after earlier ones, each in its own transaction', () => {
    const { db } = testDb({ upTo: 0 });
    const extra: Migration = {
      version: latestVersion() + 10,
      name: 'extra',
      up: (d) => d.exec(`CREATE TABLE extra (id TEXT PRIMARY KEY) STRICT`),
    };
    expect(migrate(db, { migrations: [...MIGRATIONS, extra] })).toEqual([
      ...MIGRATIONS.map((m) => m.version),
      extra.version,
    ]);
    expect(schemaVersion(db)).toBe(extra.version);
  });

  it('rejects a migration list that is not in steps of 10', () => {
    const { db } = testDb({ upTo: 0 });
    expect(() => migrate(db, { migrations: [{ version: 15, name: 'odd', up: () => {} }] })).toThrow(/multiple of 10/);
  });

  it('looks vouchers up by serial number through the unique index', () => {
    const { db } = testDb();
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM vouchers WHERE serial_number = ?`).all('X') as {
      detail: string;
    }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(
      /SEARCH vouchers USING INDEX vouchers_serial_number \(serial_number=\?\)/,
    );
  });

  it("finds a serial's redemptions and the shift list through indexes", () => {
    const { db } = testDb();
    const bySerial = db
      .prepare(`EXPLAIN QUERY PLAN SELECT * FROM redemptions WHERE serial_number = ? AND state = ?`)
      .all('X', 'redeemed') as { detail: string }[];
    expect(bySerial.map((p) => p.detail).join('\n')).toMatch(/USING INDEX redemptions_serial_state/);
    const shift = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT * FROM redemptions WHERE station = ? AND created_at >= ? ORDER BY created_at DESC`,
      )
      .all('A', '2025') as { detail: string }[];
    expect(shift.map((p) => p.detail).join('\n')).toMatch(/USING INDEX redemptions_station_created/);
  });
});
