/** One opened, migrated database with its aggregates: what the counter works against. */
import { createAuditLog, type AuditLog } from './audit.js';
import { migrate } from './migrate.js';
import { openDatabase, type Db, type OpenDatabaseOptions } from './open.js';
import { ordersOf, type OrderStore } from './orders.js';
import { createRedemptionStore, type RedemptionStore } from './redemptions.js';
import { createVoucherCache, type VoucherCache } from './vouchers.js';

export interface DeskStore {
  db: Db;
  vouchers: VoucherCache;
  audit: AuditLog;
  redemptions: RedemptionStore;
  /** The WAUG orders behind the vouchers (migration 0040). */
  orders: OrderStore;
  close(): void;
}

export function storeFromDb(db: Db): DeskStore {
  return {
    db,
    vouchers: createVoucherCache(db),
    audit: createAuditLog(db),
    redemptions: createRedemptionStore(db),
    // Prepared on first use (a database migrated only part-way still opens for the others).
    get orders() {
      return ordersOf(db);
    },
    close: () => {
      if (db.open) db.close();
    },
  };
}

export function openDeskStore(file: string, options?: OpenDatabaseOptions): DeskStore {
  const db = openDatabase(file, options);
  try {
    migrate(db);
    return storeFromDb(db);
  } catch (error) {
    db.close();
    throw error;
  }
}
