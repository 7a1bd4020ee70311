import { join } from 'node:path';
import { migrate, type Migration } from '../../electron/core/db/migrate.js';
import { openDatabase, type Db } from '../../electron/core/db/open.js';
import { storeFromDb, type DeskStore } from '../../electron/core/db/store.js';
import { tempDir } from './tempDir.js';

/**
 * A real SQLite file in a temp folder (WAL needs a file), migrated up to `upTo` (default latest).
 * synchronous=NORMAL only to keep the tests quick; production opens with FULL.
 */
export function createTestDb(options: { upTo?: number; migrations?: readonly Migration[] } = {}): {
  db: Db;
  file: string;
  close(): void;
} {
  const dir = tempDir('voucher-desk-db-');
  const file = join(dir.path, 'test.sqlite');
  const db = openDatabase(file, { synchronous: 'NORMAL' });
  if (options.upTo !== 0) migrate(db, { ...options });
  return {
    db,
    file,
    close() {
      if (db.open) db.close();
      dir.remove();
    },
  };
}

/** A migrated DeskStore on a temp file; close() also deletes the file. */
export function createTestStore(): DeskStore & { file: string } {
  const test = createTestDb();
  const store = storeFromDb(test.db);
  return { ...store, file: test.file, close: test.close };
}
