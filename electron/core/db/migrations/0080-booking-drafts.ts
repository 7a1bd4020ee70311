/**
 * Issue 6 items 2 and 3, the counter booking: one row per booking the clerk is putting together.
 *  - body: what the clerk entered (DraftBody, JSON), saved as it is typed, so a crash or a lost
 *    connection loses nothing; it holds personal data, so created, discarded and long-untouched
 *    editing rows are purged (db/bookingDrafts.ts; never one that may have reached WAUG).
 *  - partner_order_number: the WAUG idempotency key, fixed when the draft is made: one number, at
 *    most one WAUG order, however often it is sent.
 *  - item_names: option, item and timeslot names by id, as read from WAUG for this draft (JSON;
 *    accumulated, never pruned), so the draft can be re-mapped by name when WAUG replaces the
 *    ids (105).
 *
 * Instants are ISO-8601 UTC TEXT (Date#toISOString), so they sort as text.
 */
import type { Migration } from '../migrate.js';

export const migration0080: Migration = {
  version: 80,
  name: 'booking-drafts',
  up(db) {
    db.exec(`
      CREATE TABLE booking_drafts (
        draft_id             TEXT PRIMARY KEY,
        partner_order_number TEXT NOT NULL UNIQUE,
        state                TEXT NOT NULL
          CHECK (state IN ('editing', 'submitting', 'unconfirmed', 'created', 'discarded')),
        body                 TEXT NOT NULL CHECK (json_valid(body)),
        item_names           TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(item_names)),
        order_number         TEXT,
        last_error           TEXT,
        created_at           TEXT NOT NULL,
        updated_at           TEXT NOT NULL,
        CHECK ((state = 'created') = (order_number IS NOT NULL))
      ) STRICT;
      CREATE INDEX booking_drafts_updated ON booking_drafts (updated_at);
      CREATE INDEX booking_drafts_state ON booking_drafts (state, updated_at);
      CREATE INDEX booking_drafts_order ON booking_drafts (order_number) WHERE order_number IS NOT NULL;
    `);
  },
};
