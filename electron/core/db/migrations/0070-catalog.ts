/**
 * Issue 6 item 1, the WAUG catalog cache: what the counter browses (offline too) and books from.
 *  - catalog_goods: one row per goods WAUG lists, summary columns for the list and its filters,
 *    the detail's options as WAUG sent them (JSON: options nest items and timeslots);
 *  - catalog_order_infos: the goods' order-input groups (ORDER / GOODS / EACH), in WAUG's order;
 *  - catalog_prices: the orderable (day, option item) prices; catalog_price_days marks each day
 *    read, so "no price on a read day" (not orderable) differs from "never read";
 *  - catalog_comments: the first page of comments; nicknames as WAUG sent them (masked on the way out);
 *  - catalog_sync_state: the last full sync and the last failure.
 *
 * Instants are ISO-8601 UTC TEXT; days are yyyy-MM-dd in Asia/Seoul, WAUG's own. Prices are
 * decimal TEXT as WAUG sent them (never floats). Rows of a goods go with it (ON DELETE CASCADE).
 */
import type { Migration } from '../migrate.js';

export const migration0070: Migration = {
  version: 70,
  name: 'catalog',
  up(db) {
    db.exec(`
      CREATE TABLE catalog_goods (
        goods_id             TEXT PRIMARY KEY,
        goods_name           TEXT NOT NULL,
        city                 TEXT,
        country_code         TEXT,
        currency             TEXT NOT NULL,
        refundable           INTEGER NOT NULL CHECK (refundable IN (0, 1)),
        instant_confirmation INTEGER NOT NULL CHECK (instant_confirmation IN (0, 1)),
        description          TEXT,
        available_time       TEXT,
        notification         TEXT,
        options_json         TEXT NOT NULL,
        comment_count        INTEGER NOT NULL DEFAULT 0 CHECK (comment_count >= 0),
        -- Name and city lower-cased in JS: SQLite's LIKE folds ASCII only.
        search_text          TEXT NOT NULL,
        -- WAUG's own last change of the goods.
        updated_at           TEXT,
        synced_at            TEXT NOT NULL
      ) STRICT;
      CREATE INDEX catalog_goods_name ON catalog_goods (goods_name, goods_id);
      CREATE INDEX catalog_goods_place ON catalog_goods (country_code, city);

      CREATE TABLE catalog_order_infos (
        goods_id       TEXT NOT NULL REFERENCES catalog_goods (goods_id) ON DELETE CASCADE,
        position       INTEGER NOT NULL,
        group_category TEXT NOT NULL CHECK (group_category IN ('ORDER', 'GOODS', 'EACH')),
        fields_json    TEXT NOT NULL,
        PRIMARY KEY (goods_id, position)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE catalog_prices (
        goods_id             TEXT NOT NULL REFERENCES catalog_goods (goods_id) ON DELETE CASCADE,
        day                  TEXT NOT NULL,
        goods_option_id      TEXT NOT NULL,
        goods_option_item_id TEXT NOT NULL,
        price                TEXT NOT NULL,
        currency             TEXT NOT NULL,
        PRIMARY KEY (goods_id, day, goods_option_id, goods_option_item_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE catalog_price_days (
        goods_id  TEXT NOT NULL REFERENCES catalog_goods (goods_id) ON DELETE CASCADE,
        day       TEXT NOT NULL,
        synced_at TEXT NOT NULL,
        PRIMARY KEY (goods_id, day)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE catalog_comments (
        goods_id   TEXT NOT NULL REFERENCES catalog_goods (goods_id) ON DELETE CASCADE,
        position   INTEGER NOT NULL,
        comment_id TEXT NOT NULL,
        rating     INTEGER NOT NULL,
        content    TEXT NOT NULL,
        nickname   TEXT,
        created_at TEXT,
        PRIMARY KEY (goods_id, position)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE catalog_sync_state (
        id                INTEGER PRIMARY KEY CHECK (id = 1),
        last_full_sync_at TEXT,
        last_attempt_at   TEXT,
        last_error        TEXT
      ) STRICT;
      INSERT INTO catalog_sync_state (id) VALUES (1);
    `);
  },
};
