/**
 * Issue 5, the WAUG side of the merchant endpoints (API-NOTES §2 webhooks, §3):
 *  - product_mappings: a Yahoo productId/specId → the WAUG goods/option/item that fulfil it;
 *  - waug_bookings: the outbox of WAUG orders booked for mapped Yahoo order items
 *    (partnerOrderNumber = orderItemId, so one row per order item, never two);
 *  - waug_goods_updates: GOODS_UPDATE webhooks, newest-wins per goods, for the next goods sync;
 *  - waug_pending_order_updates: ORDER_UPDATE webhooks for orders not (yet) in the cache.
 *
 * Instants are ISO-8601 UTC TEXT (Date#toISOString), so they sort as text.
 */
import type { Migration } from '../migrate.js';

export const migration0060: Migration = {
  version: 60,
  name: 'bookings',
  up(db) {
    db.exec(`
      CREATE TABLE product_mappings (
        yahoo_product_id          TEXT NOT NULL,
        yahoo_spec_id             TEXT NOT NULL,
        waug_goods_id             TEXT NOT NULL,
        waug_goods_option_id      TEXT NOT NULL,
        waug_goods_option_item_id TEXT NOT NULL,
        label                     TEXT NOT NULL DEFAULT '',
        updated_at                TEXT NOT NULL,
        PRIMARY KEY (yahoo_product_id, yahoo_spec_id)
      ) STRICT;

      CREATE TABLE waug_bookings (
        order_item_id             TEXT PRIMARY KEY,
        yahoo_order_id            TEXT NOT NULL,
        serial_number             TEXT NOT NULL,
        yahoo_product_id          TEXT NOT NULL,
        yahoo_spec_id             TEXT NOT NULL,
        -- The mapping as it was when the serial was issued.
        waug_goods_id             TEXT NOT NULL,
        waug_goods_option_id      TEXT NOT NULL,
        waug_goods_option_item_id TEXT NOT NULL,
        state                     TEXT NOT NULL CHECK (state IN ('queued', 'booked', 'failed')),
        attempts                  INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at           TEXT,
        last_error                TEXT,
        waug_order_number         TEXT,
        created_at                TEXT NOT NULL,
        completed_at              TEXT,
        CHECK ((state = 'booked') = (waug_order_number IS NOT NULL))
      ) STRICT;
      CREATE INDEX waug_bookings_due ON waug_bookings (next_attempt_at) WHERE state = 'queued';
      CREATE INDEX waug_bookings_state ON waug_bookings (state, created_at);

      CREATE TABLE waug_goods_updates (
        goods_id    TEXT PRIMARY KEY,
        updated_at  TEXT NOT NULL,
        received_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE waug_pending_order_updates (
        order_goods_id TEXT PRIMARY KEY,
        order_number   TEXT NOT NULL,
        status         TEXT NOT NULL,
        updated_at     TEXT NOT NULL,
        received_at    TEXT NOT NULL
      ) STRICT;
    `);
  },
};
