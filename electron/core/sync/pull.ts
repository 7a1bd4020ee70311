/**
 * Pulls the merchant's vouchers into the local cache (issue 3 item 1, API-NOTES §1 "Query vouchers").
 *
 * Scope: every unexpired UNUSED voucher (status=UNUSED, by expiry time from now on: 30-day
 * windows up to 3 years out, then one open-ended window), then every voucher created in the last
 * `windowDays` days (1-day windows, newest first). UNUSED comes first because that is what the
 * counter may have to redeem offline.
 *
 * Yahoo has no paging: a query answers at most 500 vouchers with `total` the full count. A window
 * whose `total` exceeds what came back is split in halves and asked again, down to 1 minute; a
 * 1-minute window that still overflows keeps what it got, is recorded as 'overflow', and the pull
 * moves on with a warning.
 *
 * Each window's vouchers are upserted newest-wins in ONE transaction together with marking the
 * window done, and the plan lives in SQLite (db/syncState.ts), so a pull cut short (abort, crash,
 * network) resumes at its first pending window when the run started less than 6 hours ago.
 *
 * Buyer names and phones are stored (search needs them) and never logged: warnings carry window
 * bounds and counts only.
 */
import type { DeskStore } from '../db/store.js';
import {
  syncStateOf,
  type PlannedWindow,
  type SyncRun,
  type SyncScope,
  type SyncWindow,
  type WindowSpan,
} from '../db/syncState.js';
import type { Logger } from '../log/logger.js';
import { YahooError, type VoucherQuery, type YahooApi } from '../yahoo/api.js';

export interface PullOptions {
  /** How many days back vouchers are pulled by creation time (0: the UNUSED scope only). */
  windowDays: number;
  now: Date;
  signal?: AbortSignal;
  /** Windows done out of the windows planned (the plan grows when a window is split). */
  onProgress?: (p: { done: number; total: number | null }) => void;
  /** Optional: where overflow warnings go. Never receives personal data. */
  log?: Logger;
}

export interface PullResult {
  /** Vouchers received and upserted by this call (a voucher in two windows counts twice). */
  pulled: number;
  /** Windows this call completed (done or overflow); a split window is not counted, its halves are. */
  windows: number;
  /** This call continued an interrupted run instead of planning a new one. */
  resumed: boolean;
  /** Windows of this run still too dense at the minimum span: some vouchers there were not pulled. */
  overflowed: number;
}

export const DAY_S = 86_400;
/** Width of a creation-time window. */
export const CREATED_WINDOW_S = DAY_S;
/** Width of an expiry-time window of the UNUSED scope. */
export const UNUSED_WINDOW_S = 30 * DAY_S;
/** Bounded expiry windows reach this far; one open-ended window covers the rest. */
export const UNUSED_HORIZON_S = 3 * 365 * DAY_S;
/** A window this short (or shorter) is not split again. */
export const MIN_SPLIT_SPAN_S = 60;
/** An interrupted run younger than this is resumed; an older one is abandoned for a new plan. */
export const RESUME_MAX_AGE_MS = 6 * 60 * 60 * 1000;
/** The latest second a query time can name (9999-12-31T23:59:59Z). */
const MAX_TIME_S = 253_402_300_799;

const RANK: Record<SyncScope, number> = { unused: 0, created: 1 };

/** Work order: UNUSED by expiry ascending, then created newest first. */
export function planned(span: WindowSpan): PlannedWindow {
  return {
    ...span,
    ordRank: RANK[span.scope],
    ordKey: span.scope === 'unused' ? span.startS : -span.startS,
  };
}

/** The windows of a new pull anchored at `planNowS` (Unix seconds). */
export function planWindows(planNowS: number, windowDays: number): PlannedWindow[] {
  const windows: PlannedWindow[] = [];
  const horizon = planNowS + UNUSED_HORIZON_S;
  for (let start = planNowS; start < horizon; start += UNUSED_WINDOW_S) {
    windows.push(planned({ scope: 'unused', startS: start, endS: Math.min(start + UNUSED_WINDOW_S, horizon) - 1 }));
  }
  windows.push(planned({ scope: 'unused', startS: horizon, endS: null }));
  for (let day = 0; day < windowDays; day += 1) {
    const end = planNowS - day * CREATED_WINDOW_S;
    windows.push(planned({ scope: 'created', startS: end - CREATED_WINDOW_S + 1, endS: end }));
  }
  return windows;
}

/** The two halves of an overflowing window, or null when it is already at the minimum span. */
export function splitSpan(span: WindowSpan): [PlannedWindow, PlannedWindow] | null {
  const { scope, startS, endS } = span;
  if (endS === null) {
    // Open-ended: carve off a bounded horizon's worth and leave the rest open.
    if (startS + UNUSED_HORIZON_S > MAX_TIME_S) return null;
    return [
      planned({ scope, startS, endS: startS + UNUSED_HORIZON_S - 1 }),
      planned({ scope, startS: startS + UNUSED_HORIZON_S, endS: null }),
    ];
  }
  const length = endS - startS + 1;
  if (length <= MIN_SPLIT_SPAN_S) return null;
  const middle = startS + Math.floor(length / 2) - 1;
  return [planned({ scope, startS, endS: middle }), planned({ scope, startS: middle + 1, endS })];
}

/** Yahoo's filters for a window (inclusive at whole seconds, API-NOTES §1). */
export function windowQuery(span: WindowSpan): VoucherQuery {
  const start = new Date(span.startS * 1000);
  const end = span.endS === null ? undefined : new Date(span.endS * 1000);
  if (span.scope === 'unused') {
    const query: VoucherQuery = { status: ['UNUSED'], expiredTimeStart: start, sort: 'expiredTime' };
    if (end !== undefined) query.expiredTimeEnd = end;
    return query;
  }
  const query: VoucherQuery = { createdTimeStart: start, sort: 'createdTime' };
  if (end !== undefined) query.createdTimeEnd = end;
  return query;
}

/** A cancelled pull reports like a cancelled client call: a YahooError, nothing applied. */
function cancelled(signal: AbortSignal): YahooError {
  const reason: unknown = signal.reason;
  const isTimeout = reason instanceof Error && reason.name === 'TimeoutError';
  return new YahooError(
    isTimeout ? 'timeout' : 'network',
    isTimeout ? 'Yahoo query: timed out (caller deadline)' : 'Yahoo query: cancelled by the caller',
    { mayHaveApplied: false, cause: reason },
  );
}

function describeWindow(w: SyncWindow): Record<string, unknown> {
  return {
    scope: w.scope,
    start: new Date(w.startS * 1000).toISOString(),
    end: w.endS === null ? null : new Date(w.endS * 1000).toISOString(),
  };
}

const inFlight = new WeakMap<object, Promise<PullResult>>();

/**
 * Pulls the vouchers in scope into the cache; see the file comment. A second call while one is
 * running on the same database joins the running pull (same result; its onProgress is not called).
 * Yahoo errors propagate as YahooError once every finished window is saved; an abort as a
 * YahooError 'network' (or 'timeout' for a TimeoutError reason).
 */
export function pullVouchers(store: DeskStore, api: YahooApi, options: PullOptions): Promise<PullResult> {
  const running = inFlight.get(store.db);
  if (running !== undefined) return running;
  const pull = runPull(store, api, options).finally(() => inFlight.delete(store.db));
  inFlight.set(store.db, pull);
  return pull;
}

async function runPull(store: DeskStore, api: YahooApi, options: PullOptions): Promise<PullResult> {
  const { windowDays, now, signal } = options;
  if (!Number.isInteger(windowDays) || windowDays < 0 || windowDays > 36_500) {
    throw new RangeError(`pullVouchers: windowDays must be a whole number of days, not ${windowDays}`);
  }
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('pullVouchers: now is not a valid date');
  // fetched_at follows real time from `now`, so a long pull does not stamp its last window early.
  const started = performance.now();
  const clock = (): string => new Date(nowMs + (performance.now() - started)).toISOString();

  const state = syncStateOf(store.db);
  let run: SyncRun | null = state.unfinishedRun();
  let resumed = false;
  if (run !== null) {
    const age = nowMs - Date.parse(run.startedAt);
    if (age >= 0 && age < RESUME_MAX_AGE_MS && run.windowDays === windowDays) {
      resumed = true;
    } else {
      state.abandonRun(run.id, now.toISOString());
      run = null;
    }
  }
  if (run === null) {
    const planNowS = Math.floor(nowMs / 1000);
    run = state.createRun({ startedAt: now.toISOString(), planNowS, windowDays }, planWindows(planNowS, windowDays));
  }
  const runId = run.id;

  const report = (): void => {
    if (options.onProgress === undefined) return;
    const { done, total } = state.progress(runId);
    try {
      options.onProgress({ done, total });
    } catch (error) {
      // A progress bar must not break the pull.
      options.log?.warn('sync progress listener threw', { error });
    }
  };

  let pulled = 0;
  let windows = 0;
  report();
  for (;;) {
    if (signal?.aborted) throw cancelled(signal);
    const window = state.nextPending(runId);
    if (window === null) break;
    const page = await api.queryVouchers(windowQuery(window), signal === undefined ? undefined : { signal });
    const overflows = page.total > page.vouchers.length;
    if (overflows) {
      const halves = splitSpan(window);
      if (halves !== null) {
        state.splitWindow(window.id, halves);
        report();
        continue;
      }
      options.log?.warn('sync window still overflows at the minimum span; some vouchers were not pulled', {
        ...describeWindow(window),
        total: page.total,
        fetched: page.vouchers.length,
      });
    }
    store.db.transaction(() => {
      store.vouchers.upsertMany(page.vouchers, clock());
      state.completeWindow(window.id, {
        state: overflows ? 'overflow' : 'done',
        total: page.total,
        fetched: page.vouchers.length,
        doneAt: clock(),
      });
    })();
    pulled += page.vouchers.length;
    windows += 1;
    report();
  }
  state.finishRun(runId, clock());
  return { pulled, windows, resumed, overflowed: state.progress(runId).overflowed };
}
