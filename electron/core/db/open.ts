/**
 * Opens the desk's SQLite file with the settings every connection needs. The main process
 * owns the only connection (ARCHITECTURE rule 4); nothing else opens this file for writing.
 */
import Database from 'better-sqlite3';

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /** How long a statement waits for a lock held by another connection (the bench, a CLI). */
  busyTimeoutMs?: number;
  /**
   * FULL by default: a committed redemption must survive a power cut at the counter.
   * The bench measures what this costs; tests may pass 'NORMAL' only to go faster.
   */
  synchronous?: 'FULL' | 'NORMAL';
}

export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  const db = new Database(file);
  try {
    // journal_mode answers with the mode in force; an in-memory database stays 'memory'.
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
