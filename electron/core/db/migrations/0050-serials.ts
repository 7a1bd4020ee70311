/**
 * Serial numbers this merchant issued when Yahoo asked (issue 5, API-NOTES §1 "Issue serial
 * numbers"). One row per Yahoo order item: the primary key is what makes issuing idempotent
 * (INSERT … ON CONFLICT(order_item_id) DO NOTHING, then SELECT), and the unique serial index is
 * what makes a (vanishingly unlikely) random collision a retry instead of a duplicate.
 *
 * The voucher's life after issue (USED, REFUNDED …) lives in the voucher cache, keyed by the
 * serial; this table only knows issued and, when Yahoo cancelled it, cancelled_at.
 * No buyer data here: Yahoo's issue call carries none.
 */
import type { Migration } from '../migrate.js';

export const migration0050: Migration = {
  version: 50,
  name: 'serials',
  up(db) {
    db.exec(`
      CREATE TABLE serials (
        order_item_id  TEXT PRIMARY KEY,
        serial_number  TEXT NOT NULL,
        order_id       TEXT NOT NULL,
        transaction_id TEXT,
        store_id       TEXT,
        product_id     TEXT NOT NULL,
        spec_id        TEXT NOT NULL,
        price          TEXT NOT NULL,
        issued_at      TEXT NOT NULL,
        cancelled_at   TEXT
      ) STRICT;
      CREATE UNIQUE INDEX serials_serial_number ON serials (serial_number);
      CREATE INDEX serials_order_id ON serials (order_id);
    `);
  },
};
