/**
 * The persisted plan of a voucher pull (migration 0030): a run and its time windows, each
 * pending, done, split into halves, or recorded as overflowing. sync/pull.ts drives it; this
 * file only reads and writes rows. Nothing here holds personal data.
 */
import type { Db } from './open.js';

export type SyncScope = 'unused' | 'created';
export type SyncRunState = 'running' | 'done' | 'abandoned';
export type SyncWindowState = 'pending' | 'done' | 'split' | 'overflow';

export interface SyncRun {
  id: number;
  startedAt: string;
  /** The instant the plan is anchored at, Unix seconds. */
  planNowS: number;
  windowDays: number;
  state: SyncRunState;
  finishedAt: string | null;
  /** Vouchers received over every attempt of this run. */
  pulled: number;
}

/** A closed range of Unix seconds; endS null is open-ended. */
export interface WindowSpan {
  scope: SyncScope;
  startS: number;
  endS: number | null;
}

export interface PlannedWindow extends WindowSpan {
  ordRank: number;
  ordKey: number;
}

export interface SyncWindow extends PlannedWindow {
  id: number;
  runId: number;
  state: SyncWindowState;
  total: number | null;
  fetched: number | null;
  doneAt: string | null;
}

export interface SyncProgress {
  /** Windows done or recorded as overflowing. */
  done: number;
  /** Windows in the plan, halves counted instead of the window they replaced. */
  total: number;
  overflowed: number;
}

export interface SyncState {
  /** The latest run still 'running' (an interrupted pull), if any. */
  unfinishedRun(): SyncRun | null;
  /** The latest run that completed, for "last synced at". */
  lastFinishedRun(): SyncRun | null;
  getRun(id: number): SyncRun | null;
  /** A new run with its windows, in one transaction; keeps only the latest `keepRuns` runs. */
  createRun(
    run: { startedAt: string; planNowS: number; windowDays: number },
    windows: readonly PlannedWindow[],
  ): SyncRun;
  abandonRun(id: number, at: string): void;
  finishRun(id: number, at: string): void;
  /** The first pending window in work order. */
  nextPending(runId: number): SyncWindow | null;
  windows(runId: number): SyncWindow[];
  progress(runId: number): SyncProgress;
  /** Marks a pending window split and adds its halves, in one transaction. */
  splitWindow(id: number, halves: readonly PlannedWindow[]): void;
  /**
   * Marks a pending window done (or overflow) and counts its vouchers into the run. Runs in the
   * caller's transaction when there is one (the pull commits it with the window's vouchers).
   * Throws when the window is not pending: two pulls must never complete one window twice.
   */
  completeWindow(
    id: number,
    outcome: { state: 'done' | 'overflow'; total: number; fetched: number; doneAt: string },
  ): void;
}

interface RunRow {
  id: number;
  started_at: string;
  plan_now_s: number;
  window_days: number;
  state: SyncRunState;
  finished_at: string | null;
  pulled: number;
}

interface WindowRow {
  id: number;
  run_id: number;
  scope: SyncScope;
  start_s: number;
  end_s: number | null;
  ord_rank: number;
  ord_key: number;
  state: SyncWindowState;
  total: number | null;
  fetched: number | null;
  done_at: string | null;
}

const toRun = (row: RunRow): SyncRun => ({
  id: row.id,
  startedAt: row.started_at,
  planNowS: row.plan_now_s,
  windowDays: row.window_days,
  state: row.state,
  finishedAt: row.finished_at,
  pulled: row.pulled,
});

const toWindow = (row: WindowRow): SyncWindow => ({
  id: row.id,
  runId: row.run_id,
  scope: row.scope,
  startS: row.start_s,
  endS: row.end_s,
  ordRank: row.ord_rank,
  ordKey: row.ord_key,
  state: row.state,
  total: row.total,
  fetched: row.fetched,
  doneAt: row.done_at,
});

/** How many finished or abandoned runs (with their windows) are kept for support. */
export const KEEP_SYNC_RUNS = 10;

export function createSyncState(db: Db): SyncState {
  const selectUnfinished = db.prepare<[], RunRow>(
    `SELECT * FROM sync_runs WHERE state = 'running' ORDER BY started_at DESC, id DESC LIMIT 1`,
  );
  const selectLastFinished = db.prepare<[], RunRow>(
    `SELECT * FROM sync_runs WHERE state = 'done' ORDER BY finished_at DESC, id DESC LIMIT 1`,
  );
  const selectRun = db.prepare<[number], RunRow>(`SELECT * FROM sync_runs WHERE id = ?`);
  const insertRun = db.prepare<[string, number, number]>(
    `INSERT INTO sync_runs (started_at, plan_now_s, window_days, state) VALUES (?, ?, ?, 'running')`,
  );
  const insertWindow = db.prepare<[number, SyncScope, number, number | null, number, number]>(
    `INSERT INTO sync_windows (run_id, scope, start_s, end_s, ord_rank, ord_key, state)
     VALUES (?, ?, ?, ?, ?, ?, 'pending')`,
  );
  const pruneWindows = db.prepare<[number]>(
    `DELETE FROM sync_windows WHERE run_id NOT IN (SELECT id FROM sync_runs ORDER BY id DESC LIMIT ?)`,
  );
  const pruneRuns = db.prepare<[number]>(
    `DELETE FROM sync_runs WHERE id NOT IN (SELECT id FROM sync_runs ORDER BY id DESC LIMIT ?)`,
  );
  const endRun = db.prepare<[SyncRunState, string, number]>(
    `UPDATE sync_runs SET state = ?, finished_at = ? WHERE id = ? AND state = 'running'`,
  );
  const selectNext = db.prepare<[number], WindowRow>(
    `SELECT * FROM sync_windows WHERE run_id = ? AND state = 'pending' ORDER BY ord_rank, ord_key LIMIT 1`,
  );
  const selectWindows = db.prepare<[number], WindowRow>(
    `SELECT * FROM sync_windows WHERE run_id = ? ORDER BY ord_rank, ord_key, id`,
  );
  const selectProgress = db.prepare<[number], { done: number | null; total: number | null; overflowed: number | null }>(
    `SELECT sum(state IN ('done', 'overflow')) AS done, sum(state <> 'split') AS total,
            sum(state = 'overflow') AS overflowed
     FROM sync_windows WHERE run_id = ?`,
  );
  const selectWindow = db.prepare<[number], WindowRow>(`SELECT * FROM sync_windows WHERE id = ?`);
  const markSplit = db.prepare<[number]>(`UPDATE sync_windows SET state = 'split' WHERE id = ? AND state = 'pending'`);
  const markComplete = db.prepare<[SyncWindowState, number, number, string, number]>(
    `UPDATE sync_windows SET state = ?, total = ?, fetched = ?, done_at = ? WHERE id = ? AND state = 'pending'`,
  );
  const addPulled = db.prepare<[number, number]>(`UPDATE sync_runs SET pulled = pulled + ? WHERE id = ?`);

  const createRun = db.transaction(
    (run: { startedAt: string; planNowS: number; windowDays: number }, windows: readonly PlannedWindow[]): SyncRun => {
      const id = Number(insertRun.run(run.startedAt, run.planNowS, run.windowDays).lastInsertRowid);
      for (const w of windows) insertWindow.run(id, w.scope, w.startS, w.endS, w.ordRank, w.ordKey);
      pruneWindows.run(KEEP_SYNC_RUNS);
      pruneRuns.run(KEEP_SYNC_RUNS);
      return toRun(selectRun.get(id) as RunRow);
    },
  );

  const splitWindow = db.transaction((id: number, halves: readonly PlannedWindow[]): void => {
    const parent = selectWindow.get(id);
    if (parent === undefined) throw new Error(`sync window ${id} does not exist`);
    if (markSplit.run(id).changes !== 1) throw new Error(`sync window ${id} is not pending; refusing to split it`);
    for (const w of halves) insertWindow.run(parent.run_id, w.scope, w.startS, w.endS, w.ordRank, w.ordKey);
  });

  const completeWindow = db.transaction(
    (id: number, outcome: { state: 'done' | 'overflow'; total: number; fetched: number; doneAt: string }): void => {
      const window = selectWindow.get(id);
      if (window === undefined) throw new Error(`sync window ${id} does not exist`);
      if (markComplete.run(outcome.state, outcome.total, outcome.fetched, outcome.doneAt, id).changes !== 1) {
        throw new Error(`sync window ${id} is not pending; refusing to complete it twice`);
      }
      addPulled.run(outcome.fetched, window.run_id);
    },
  );

  return {
    unfinishedRun() {
      const row = selectUnfinished.get();
      return row === undefined ? null : toRun(row);
    },
    lastFinishedRun() {
      const row = selectLastFinished.get();
      return row === undefined ? null : toRun(row);
    },
    getRun(id) {
      const row = selectRun.get(id);
      return row === undefined ? null : toRun(row);
    },
    createRun: (run, windows) => createRun(run, windows),
    abandonRun(id, at) {
      endRun.run('abandoned', at, id);
    },
    finishRun(id, at) {
      endRun.run('done', at, id);
    },
    nextPending(runId) {
      const row = selectNext.get(runId);
      return row === undefined ? null : toWindow(row);
    },
    windows: (runId) => selectWindows.all(runId).map(toWindow),
    progress(runId) {
      const row = selectProgress.get(runId);
      return { done: row?.done ?? 0, total: row?.total ?? 0, overflowed: row?.overflowed ?? 0 };
    },
    splitWindow: (id, halves) => splitWindow(id, halves),
    completeWindow: (id, outcome) => completeWindow(id, outcome),
  };
}

const cache = new WeakMap<Db, SyncState>();

/** One SyncState per connection, its statements prepared once (the DeskStore needs no new field). */
export function syncStateOf(db: Db): SyncState {
  let state = cache.get(db);
  if (state === undefined) {
    state = createSyncState(db);
    cache.set(db, state);
  }
  return state;
}
