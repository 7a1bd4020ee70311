/**
 * WAUG orders in the cache (issue 4 item 3): the orders behind the vouchers, their ordered goods,
 * each goods' status timeline as this desk saw it, the pull's state, and the refund audit.
 *
 * Ids are TEXT (WAUG ids may exceed 2^53), money is a TEXT decimal, instants are ISO-8601 UTC
 * TEXT written by Date#toISOString (so they sort as text), calendar days are yyyy-MM-dd in
 * Asia/Seoul as WAUG means them.
 *
 * What WAUG sends of the traveller (order infos: names, phones, emails) is NOT stored: only the
 * names of goods and options the views show.
 */
import type { Migration } from '../migrate.js';

const ORDER_STATUSES = `'STATUS_WAIT', 'STATUS_PAID', 'STATUS_REFUND_REQUESTED', 'STATUS_PARTIAL_REFUND_REQUESTED',
  'STATUS_REFUND_COMPLETED', 'STATUS_PARTIAL_REFUND_COMPLETED'`;
const GOODS_STATUSES = `'STATUS_WAIT', 'STATUS_CANCEL', 'STATUS_PAID', 'STATUS_IN_PROGRESS', 'STATUS_CONFIRMED',
  'STATUS_REFUND_REQUESTED', 'STATUS_REFUND_COMPLETED', 'STATUS_PARTIAL_REFUND_COMPLETED'`;

export const migration0040: Migration = {
  version: 40,
  name: 'orders',
  up(db) {
    db.exec(`
      CREATE TABLE orders (
        order_number         TEXT PRIMARY KEY,
        partner_order_number TEXT,
        order_status         TEXT NOT NULL CHECK (order_status IN (${ORDER_STATUSES})),
        ordered_at           TEXT,
        currency             TEXT,
        total_price          TEXT NOT NULL,
        -- The newest goods updatedAt seen: the order row's own newest-wins version.
        updated_at           TEXT,
        -- For the list: kept in step with order_goods by db/orders.ts.
        goods_count          INTEGER NOT NULL DEFAULT 0 CHECK (goods_count >= 0),
        first_goods_name     TEXT,
        -- When this order was last read from WAUG.
        fetched_at           TEXT NOT NULL
      ) STRICT;
      CREATE INDEX orders_partner_order_number ON orders (partner_order_number)
        WHERE partner_order_number IS NOT NULL;
      CREATE INDEX orders_ordered_at ON orders (ordered_at);

      CREATE TABLE order_goods (
        order_goods_id    TEXT PRIMARY KEY,
        order_number      TEXT NOT NULL REFERENCES orders (order_number) ON DELETE CASCADE,
        position          INTEGER NOT NULL CHECK (position >= 0),
        goods_id          TEXT NOT NULL,
        goods_name        TEXT NOT NULL,
        status            TEXT NOT NULL CHECK (status IN (${GOODS_STATUSES})),
        use_date          TEXT,
        -- JSON array of {option, item, quantity}: names and quantities only.
        options           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(options)),
        refundable        INTEGER NOT NULL CHECK (refundable IN (0, 1)),
        total_price       TEXT NOT NULL,
        voucher_state     TEXT NOT NULL CHECK (voucher_state IN ('not_issued', 'issuing', 'issued')),
        voucher_number    TEXT,
        voucher_issued_at TEXT,
        updated_at        TEXT,
        fetched_at        TEXT NOT NULL
      ) STRICT;
      CREATE INDEX order_goods_order ON order_goods (order_number, position);

      -- Every status this desk has seen for each goods (pulls, refreshes, webhooks): the timeline.
      CREATE TABLE order_goods_history (
        order_goods_id TEXT NOT NULL,
        status         TEXT NOT NULL CHECK (status IN (${GOODS_STATUSES})),
        at             TEXT NOT NULL,
        UNIQUE (order_goods_id, status, at)
      ) STRICT;

      -- One row: when orders were last pulled from WAUG, and which days.
      CREATE TABLE orders_sync_state (
        id             INTEGER PRIMARY KEY CHECK (id = 1),
        last_pulled_at TEXT,
        last_from      TEXT,
        last_to        TEXT
      ) STRICT;
      INSERT INTO orders_sync_state (id) VALUES (1);

      -- Every refund attempt: who, which order, the outcome. Never the reason text (it may name
      -- the traveller). Append-only, like audit_log.
      CREATE TABLE order_refund_audit (
        seq          INTEGER PRIMARY KEY,
        at           TEXT NOT NULL,
        station      TEXT NOT NULL,
        operator     TEXT NOT NULL,
        order_number TEXT NOT NULL,
        outcome      TEXT NOT NULL,
        detail       TEXT
      ) STRICT;
      CREATE INDEX order_refund_audit_order ON order_refund_audit (order_number);
      CREATE TRIGGER order_refund_audit_no_update BEFORE UPDATE ON order_refund_audit
      BEGIN
        SELECT RAISE(ABORT, 'order_refund_audit is append-only');
      END;
      CREATE TRIGGER order_refund_audit_no_delete BEFORE DELETE ON order_refund_audit
      BEGIN
        SELECT RAISE(ABORT, 'order_refund_audit is append-only');
      END;
    `);
  },
};
