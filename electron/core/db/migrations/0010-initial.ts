/**
 * The first schema: the voucher cache, the append-only audit log, and the redemptions
 * table that becomes the offline outbox (ARCHITECTURE rule 5). Ids are TEXT, money is a
 * TEXT decimal, times are ISO-8601 UTC TEXT.
 */
import type { Migration } from '../migrate.js';

export const migration0010: Migration = {
  version: 10,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE vouchers (
        voucher_id          TEXT PRIMARY KEY,
        product_id          TEXT NOT NULL,
        spec_id             TEXT NOT NULL,
        price               TEXT NOT NULL,
        serial_number       TEXT NOT NULL,
        order_id            TEXT NOT NULL,
        order_item_id       TEXT,
        title               TEXT NOT NULL,
        redemption_desc     TEXT,
        buyer_name          TEXT,
        buyer_phone         TEXT,
        executed_by         TEXT,
        status              TEXT NOT NULL
                            CHECK (status IN ('UNUSED', 'USED', 'REFUNDPENDING', 'REFUNDED', 'CANCELLED')),
        refund_type         TEXT,
        redemption_type     TEXT,
        status_applied_time TEXT,
        delivered_time      TEXT,
        expire_time         TEXT,
        start_time          TEXT,
        fetched_at          TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX vouchers_serial_number ON vouchers (serial_number);
      CREATE INDEX vouchers_order_id ON vouchers (order_id);

      -- Who did what at this counter. No buyer name or phone ever goes here.
      CREATE TABLE audit_log (
        seq           INTEGER PRIMARY KEY,
        at            TEXT NOT NULL,
        station       TEXT NOT NULL,
        operator      TEXT NOT NULL,
        action        TEXT NOT NULL CHECK (action IN ('lookup', 'redeem')),
        serial_number TEXT NOT NULL,
        voucher_id    TEXT,
        redemption_id TEXT,
        outcome       TEXT NOT NULL,
        detail        TEXT
      ) STRICT;
      CREATE INDEX audit_log_serial_number ON audit_log (serial_number);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only');
      END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only');
      END;

      -- Every redemption attempt at this desk. 'pending' rows are work not yet confirmed
      -- upstream: the next issue replays them (same nonce, same redeem_at). Never deleted.
      CREATE TABLE redemptions (
        id            TEXT PRIMARY KEY CHECK (id GLOB 'R-*'),
        nonce         TEXT NOT NULL UNIQUE,
        serial_number TEXT NOT NULL,
        voucher_id    TEXT,
        order_id      TEXT NOT NULL,
        order_item_id TEXT,
        station       TEXT NOT NULL,
        operator      TEXT NOT NULL,
        redeem_at     TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        state         TEXT NOT NULL CHECK (state IN ('pending', 'redeemed', 'rejected', 'failed')),
        reason        TEXT CHECK (reason IS NULL OR reason IN ('used', 'refund_pending', 'refunded', 'cancelled', 'expired')),
        yahoo_status  TEXT CHECK (yahoo_status IS NULL OR yahoo_status IN ('UNUSED', 'USED', 'REFUNDPENDING', 'REFUNDED', 'CANCELLED')),
        completed_at  TEXT,
        attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        last_error    TEXT,
        CHECK ((state = 'pending') = (completed_at IS NULL))
      ) STRICT;
      CREATE INDEX redemptions_serial_state ON redemptions (serial_number, state);
      CREATE INDEX redemptions_station_created ON redemptions (station, created_at);
      CREATE INDEX redemptions_pending ON redemptions (created_at) WHERE state = 'pending';
    `);
  },
};
