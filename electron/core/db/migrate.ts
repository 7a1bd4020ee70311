/**
 * Schema migrations: numbered in steps of 10, each applied in one transaction that also sets
 * `PRAGMA user_version`, so a crash leaves the file at the previous version, never half-way.
 */
import type { Db } from './open.js';
import { migration0010 } from './migrations/0010-initial.js';
import { migration0020 } from './migrations/0020-outbox.js';
import { migration0030 } from './migrations/0030-sync.js';
import { migration0040 } from './migrations/0040-orders.js';
import { migration0050 } from './migrations/0050-serials.js';
import { migration0060 } from './migrations/0060-bookings.js';
import { migration0070 } from './migrations/0070-catalog.js';
import { migration0080 } from './migrations/0080-booking-drafts.js';

export interface Migration {
  /** A multiple of 10; the value `user_version` holds once this migration has run. */
  version: number;
  name: string;
  up(db: Db): void;
}

export const MIGRATIONS: readonly Migration[] = [
  migration0010,
  migration0020,
  migration0030,
  migration0040,
  migration0050,
  migration0060,
  migration0070,
  migration0080,
];

export class DatabaseTooNewError extends Error {
  override readonly name = 'DatabaseTooNewError';
  constructor(
    readonly fileVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      `The database is at schema version ${fileVersion}, but this Voucher Desk only knows up to ${knownVersion}. ` +
        'It was written by a newer version of the app: install that version (or newer) instead of downgrading.',
    );
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

function checkMigrationList(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version <= 0 || m.version % 10 !== 0) {
      throw new Error(`Migration ${m.name}: version ${m.version} is not a positive multiple of 10`);
    }
    if (m.version <= previous) {
      throw new Error(`Migration ${m.name}: versions must be strictly increasing (${m.version} after ${previous})`);
    }
    previous = m.version;
  }
}

/**
 * Brings the database to `upTo` (default: the latest known). Returns the versions applied.
 * Refuses a database from a newer app before touching anything.
 */
export function migrate(db: Db, options: { migrations?: readonly Migration[]; upTo?: number } = {}): number[] {
  const migrations = options.migrations ?? MIGRATIONS;
  checkMigrationList(migrations);
  const known = latestVersion(migrations);
  const current = schemaVersion(db);
  if (current > known) throw new DatabaseTooNewError(current, known);

  const target = options.upTo ?? known;
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      // user_version lives in the file header, which is part of the transaction.
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
    applied.push(m.version);
  }
  return applied;
}
