/**
 * The redemptions table becomes the offline outbox (ARCHITECTURE rule 5, issue 3). SQLite cannot
 * change a CHECK in place, so the table is rebuilt and every existing row copied: a row left
 * 'pending' by issue 2 was sent and never confirmed, so it carries may_have_applied = 1 and is
 * settled by a query before anything is sent again.
 */
import type { Migration } from '../migrate.js';

export const migration0020: Migration = {
  version: 20,
  name: 'outbox',
  up(db) {
    db.exec(`
      CREATE TABLE redemptions_outbox (
        id                 TEXT PRIMARY KEY CHECK (id GLOB 'R-*'),
        nonce              TEXT NOT NULL UNIQUE,
        serial_number      TEXT NOT NULL,
        voucher_id         TEXT,
        order_id           TEXT NOT NULL,
        order_item_id      TEXT,
        station            TEXT NOT NULL,
        operator           TEXT NOT NULL,
        redeem_at          TEXT NOT NULL,
        created_at         TEXT NOT NULL,
        state              TEXT NOT NULL CHECK (state IN ('pending', 'redeemed', 'rejected', 'failed', 'conflict')),
        reason             TEXT CHECK (reason IS NULL OR reason IN ('used', 'refund_pending', 'refunded', 'cancelled', 'expired')),
        yahoo_status       TEXT CHECK (yahoo_status IS NULL OR yahoo_status IN ('UNUSED', 'USED', 'REFUNDPENDING', 'REFUNDED', 'CANCELLED')),
        completed_at       TEXT,
        attempts           INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        last_error         TEXT,
        -- 1 once the clerk was told 'queued' and handed the service over: the desk owes Yahoo this
        -- redemption, so a refusal becomes a conflict for a person, and an unapplied send is resent.
        -- 0 while the clerk is still waiting (being sent, or told 'unconfirmed').
        honoured           INTEGER NOT NULL DEFAULT 0 CHECK (honoured IN (0, 1)),
        -- 1 when a send may have reached Yahoo and its outcome is unknown: the next step is a query.
        may_have_applied   INTEGER NOT NULL DEFAULT 0 CHECK (may_have_applied IN (0, 1)),
        next_attempt_at    TEXT,
        -- Delivered, proven by a query after an ambiguous send rather than by Yahoo's answer.
        confirmed_by_query INTEGER NOT NULL DEFAULT 0 CHECK (confirmed_by_query IN (0, 1)),
        conflict_reason    TEXT CHECK (conflict_reason IS NULL OR conflict_reason IN
                             ('used', 'refund_pending', 'refunded', 'cancelled', 'expired', 'not_found')),
        resolution         TEXT CHECK (resolution IS NULL OR resolution IN
                             ('same_customer', 'collected_payment', 'contacted_buyer', 'written_off')),
        resolution_note    TEXT,
        resolved_at        TEXT,
        resolved_by        TEXT,
        CHECK ((state = 'pending') = (completed_at IS NULL)),
        CHECK ((state = 'conflict') = (conflict_reason IS NOT NULL)),
        CHECK (resolution IS NULL OR state = 'conflict'),
        CHECK ((resolution IS NULL) = (resolved_at IS NULL)),
        CHECK (confirmed_by_query = 0 OR state = 'redeemed')
      ) STRICT;

      INSERT INTO redemptions_outbox (id, nonce, serial_number, voucher_id, order_id, order_item_id, station, operator,
        redeem_at, created_at, state, reason, yahoo_status, completed_at, attempts, last_error, may_have_applied)
      SELECT id, nonce, serial_number, voucher_id, order_id, order_item_id, station, operator,
        redeem_at, created_at, state, reason, yahoo_status, completed_at, attempts, last_error,
        CASE WHEN state = 'pending' THEN 1 ELSE 0 END
      FROM redemptions;

      DROP TABLE redemptions;
      ALTER TABLE redemptions_outbox RENAME TO redemptions;

      CREATE INDEX redemptions_serial_state ON redemptions (serial_number, state);
      CREATE INDEX redemptions_station_created ON redemptions (station, created_at);
      -- The delivery worker's scan: pending rows by when they are due.
      CREATE INDEX redemptions_due ON redemptions (next_attempt_at, created_at) WHERE state = 'pending';
      -- The conflict queue a person works through.
      CREATE INDEX redemptions_conflicts ON redemptions (created_at) WHERE state = 'conflict';
    `);
  },
};
