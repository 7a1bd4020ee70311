/**
 * Offline-first, the pull side (issue 3 items 1, 2): the resumable plan of a voucher pull
 * (sync_runs, sync_windows) and the indexes behind instant cache search (db/search.ts).
 *
 * A window is a closed range of Unix seconds [start_s, end_s] (end_s NULL: open-ended), the way
 * Yahoo's query filters are inclusive at whole seconds. A window that overflows Yahoo's page is
 * marked 'split' and replaced by its two halves, so an interrupted pull resumes at the exact
 * sub-window it stopped in.
 *
 * The phone expression below is repeated verbatim in db/search.ts: SQLite only uses an
 * expression index when the query spells the same expression (a test pins it with EXPLAIN).
 */
import type { Migration } from '../migrate.js';

export const migration0030: Migration = {
  version: 30,
  name: 'sync',
  up(db) {
    db.exec(`
      CREATE TABLE sync_runs (
        id          INTEGER PRIMARY KEY,
        started_at  TEXT NOT NULL,
        -- The instant the plan is anchored at (Unix seconds): "created in the last N days" and
        -- "expires after now" both mean this instant, also when the run is resumed later.
        plan_now_s  INTEGER NOT NULL,
        window_days INTEGER NOT NULL CHECK (window_days >= 0),
        state       TEXT NOT NULL CHECK (state IN ('running', 'done', 'abandoned')),
        finished_at TEXT,
        -- Vouchers received over every attempt of this run.
        pulled      INTEGER NOT NULL DEFAULT 0 CHECK (pulled >= 0),
        CHECK ((state = 'running') = (finished_at IS NULL))
      ) STRICT;
      CREATE INDEX sync_runs_running ON sync_runs (started_at) WHERE state = 'running';

      CREATE TABLE sync_windows (
        id         INTEGER PRIMARY KEY,
        run_id     INTEGER NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
        -- 'unused': status=UNUSED by expiry time; 'created': every status by creation time.
        scope      TEXT NOT NULL CHECK (scope IN ('unused', 'created')),
        start_s    INTEGER NOT NULL,
        end_s      INTEGER CHECK (end_s IS NULL OR end_s >= start_s),
        -- Work order: by ord_rank, then ord_key (set by the planner; halves slot in between).
        ord_rank   INTEGER NOT NULL,
        ord_key    INTEGER NOT NULL,
        -- pending → done | split (replaced by two halves) | overflow (too dense even at the minimum span).
        state      TEXT NOT NULL CHECK (state IN ('pending', 'done', 'split', 'overflow')),
        total      INTEGER CHECK (total IS NULL OR total >= 0),
        fetched    INTEGER CHECK (fetched IS NULL OR fetched >= 0),
        done_at    TEXT
      ) STRICT;
      CREATE INDEX sync_windows_run_order ON sync_windows (run_id, ord_rank, ord_key) WHERE state = 'pending';
      CREATE INDEX sync_windows_run ON sync_windows (run_id, state);

      -- Search (db/search.ts). Each carries status_applied_time so "most recent status first"
      -- comes straight out of the index; purged rows (NULL personal data) leave them.
      CREATE INDEX vouchers_buyer_name ON vouchers (buyer_name, status_applied_time)
        WHERE buyer_name IS NOT NULL;
      CREATE INDEX vouchers_phone_last3
        ON vouchers (substr(replace(replace(buyer_phone, '-', ''), ' ', ''), -3), status_applied_time)
        WHERE buyer_phone IS NOT NULL;
      CREATE INDEX vouchers_phone_last4
        ON vouchers (substr(replace(replace(buyer_phone, '-', ''), ' ', ''), -4), status_applied_time)
        WHERE buyer_phone IS NOT NULL;
    `);
  },
};
