/**
 * The outbox worker: replays pending redemptions until each one ends in a visible state
 * (delivered, confirmed by query, conflict, rejected, failed). Rows are read back and
 * re-validated on every pass; a row that fails validation is reported and left alone, never
 * acted on and never allowed to stop the loop.
 *
 *  - Honoured rows (the clerk was told 'queued') are delivered: a query first when an earlier
 *    send may have applied, else a send (sync/delivery.ts).
 *  - Unhonoured rows (sent while the clerk waited, then the desk lost the answer or stopped) are
 *    only settled by query: if it did not apply, nobody was promised it, so it fails.
 *  - Still pending → next_attempt_at by exponential backoff with full jitter.
 *
 * One attempt in flight per voucher (the SerialLocks shared with the clerk's redeem) and a small
 * overall concurrency. Runs on start, after successful Yahoo calls while rows wait, when the
 * connection comes back, on its backoff timer, and on demand (drain, for syncNow).
 */
import type { CorruptRow, Redemption, RedemptionStore } from '../db/redemptions.js';
import type { Logger } from '../log/logger.js';
import type { YahooApi } from '../yahoo/api.js';
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import type { Attempt, Delivery } from './delivery.js';
import type { SerialLocks } from './locks.js';
import { createRetryLoop, type RetryTimers } from './retryLoop.js';

/** The timers are the shared loop's (retryLoop.ts); the option keeps its name. */
export type OutboxTimers = RetryTimers;

export interface OutboxWorkerOptions {
  redemptions: RedemptionStore;
  delivery: Delivery;
  locks: SerialLocks;
  yahoo: () => YahooApi | null;
  /** True while Yahoo is judged unreachable or the clerk works offline: automatic passes wait. */
  offline: () => boolean;
  now: () => Date;
  log: Logger;
  random?: () => number;
  backoff?: BackoffPolicy;
  /** Rows in flight at once (each for a different voucher). Default 2. */
  concurrency?: number;
  timers?: OutboxTimers;
  /** After each row's state changes. */
  onChange?: () => void;
  /** Rows read per pass. */
  batchSize?: number;
}

export interface DrainStats {
  attempted: number;
  delivered: number;
  confirmedByQuery: number;
  conflicts: number;
  rejected: number;
  failed: number;
  stillQueued: number;
  corrupt: number;
}

export interface OutboxWorker {
  /** Run a pass soon. `ignoreBackoff`: Yahoo has just answered, so waiting rows need not wait out their backoff. */
  kick(options?: { ignoreBackoff?: boolean }): void;
  /** Tries every pending row once now (backoff ignored) and reports what became of them. */
  drain(options?: { onProgress?: (p: { done: number; total: number }) => void }): Promise<DrainStats>;
  /** Rows that failed re-validation, as last seen. */
  readonly corrupt: readonly CorruptRow[];
  stop(): Promise<void>;
}

const emptyStats = (): DrainStats => ({
  attempted: 0,
  delivered: 0,
  confirmedByQuery: 0,
  conflicts: 0,
  rejected: 0,
  failed: 0,
  stillQueued: 0,
  corrupt: 0,
});

export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { redemptions, delivery, locks, log } = options;
  const random = options.random ?? Math.random;
  const policy = options.backoff ?? DEFAULT_BACKOFF;
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const batchSize = options.batchSize ?? 200;
  const abort = new AbortController();
  const reported = new Set<string>();
  let corrupt: CorruptRow[] = [];

  const nowIso = (): string => options.now().toISOString();

  function report(rows: CorruptRow[]): void {
    corrupt = rows;
    for (const row of rows) {
      if (reported.has(row.id)) continue;
      reported.add(row.id);
      log.error('outbox row failed validation; it is left as it is for support to look at', {
        redemptionId: row.id,
        problem: row.problem,
      });
    }
  }

  function count(stats: DrainStats, attempt: Attempt | 'failed' | 'pending'): void {
    stats.attempted += 1;
    if (attempt === 'failed') stats.failed += 1;
    else if (attempt === 'pending') return;
    else if (attempt.kind === 'delivered') {
      stats.delivered += 1;
      if (attempt.confirmedByQuery) stats.confirmedByQuery += 1;
    } else if (attempt.kind === 'refused') {
      if (attempt.conflict) stats.conflicts += 1;
      else stats.rejected += 1;
    }
  }

  /** One row, under its voucher's lock. Returns false when the row could not be taken (locked). */
  async function processRow(api: YahooApi, row: Redemption, stats: DrainStats): Promise<boolean> {
    const release = locks.tryAcquire(row.serialNumber);
    if (!release) return false;
    try {
      const current = redemptions.get(row.id);
      if (!current || current.state !== 'pending') return true;
      if (!current.honoured && !current.mayHaveApplied) {
        // Written for the clerk, and the desk stopped before it was sent: nothing applied, nobody was told.
        delivery.fail(current, 'never sent (the desk stopped before sending)', current.lastError);
        count(stats, 'failed');
        return true;
      }
      const attempt = await delivery.attempt(api, current, {
        mode: current.honoured ? 'deliver' : 'settle',
        signal: abort.signal,
      });
      if (attempt.kind !== 'pending') {
        count(stats, attempt);
        return true;
      }
      if (!current.honoured && attempt.why === 'not_applied') {
        delivery.fail(
          current,
          'settled later: did not apply (UNUSED); the clerk was never told it was redeemed',
          current.lastError,
        );
        count(stats, 'failed');
        return true;
      }
      const after = redemptions.get(row.id) ?? current;
      const delay = backoffDelayMs(after.attempts, random, policy);
      const next = new Date(options.now().getTime() + delay).toISOString();
      delivery.keepPending(after, {
        mayHaveApplied: attempt.mayHaveApplied,
        lastError: attempt.failure,
        nextAttemptAt: next,
        audit: { outcome: 'waiting', detail: `${attempt.failure}; next try ${next}` },
      });
      count(stats, 'pending');
      return true;
    } catch (error) {
      // A bug or a database problem on one row must not stop the others.
      log.error('outbox: a row could not be processed', { redemptionId: row.id, error });
      return true;
    } finally {
      release();
      options.onChange?.();
    }
  }

  /** One pass over the rows due now (or every pending row). Resolves to the rows it took. */
  async function pass(
    ignoreBackoff: boolean,
    stats: DrainStats,
    seen: Set<string>,
    progress?: () => void,
  ): Promise<number> {
    const api = options.yahoo();
    if (!api) return 0;
    const { rows, corrupt: bad } = redemptions.due(nowIso(), batchSize + seen.size, ignoreBackoff);
    report(bad);
    stats.corrupt = bad.length;
    const queue = rows.filter((r) => !seen.has(r.id));
    const serials = new Set<string>();
    let taken = 0;
    const workers = Array.from({ length: concurrency }, async () => {
      for (;;) {
        if (retry.stopped) return;
        const index = queue.findIndex((r) => !serials.has(r.serialNumber));
        if (index < 0) return;
        const [row] = queue.splice(index, 1);
        if (!row) return;
        seen.add(row.id);
        serials.add(row.serialNumber);
        try {
          if (await processRow(api, row, stats)) taken += 1;
        } finally {
          serials.delete(row.serialNumber);
          progress?.();
        }
      }
    });
    await Promise.all(workers);
    return taken;
  }

  const retry = createRetryLoop<DrainStats>({
    name: 'outbox',
    pass,
    emptyStats,
    nextDueAt: () => redemptions.earliestDue(),
    // Offline, the connection's recovery kicks the worker; no timer needed.
    blocked: () => options.offline(),
    maxWaitMs: policy.capMs,
    now: () => options.now(),
    log,
    timers: options.timers,
    onStop: () => abort.abort(new Error('the desk is closing')),
  });

  return {
    kick: retry.kick,
    drain(drainOptions = {}) {
      let total = 0;
      let done = 0;
      return retry.drain({
        begin: () => {
          total = redemptions.counts().queued;
          drainOptions.onProgress?.({ done: 0, total });
        },
        progress: () => drainOptions.onProgress?.({ done: ++done, total: Math.max(total, done) }),
        end: (stats) => {
          stats.stillQueued = redemptions.counts().queued;
        },
      });
    },
    get corrupt() {
      return corrupt;
    },
    stop: () => retry.stop(),
  };
}
