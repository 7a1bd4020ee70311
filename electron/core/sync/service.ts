/**
 * What the shells see of offline-first work: the sync status (connectivity, queued, conflicts,
 * last sync, progress), "sync now" (pull → deliver the outbox → purge personal data), the outbox
 * list, conflict resolution and cache search. app.ts wires it to the DeskHandlers.
 */
import type {
  ConflictResolution,
  OutboxEntry,
  SearchResult,
  SyncStatus,
  SyncSummary,
} from '../../../shared/contract.js';
import { DeskError, type ErrorCode } from '../../../shared/errors.js';
import { maskName } from '../../../shared/domain/mask.js';
import { redeemVerdict } from '../../../shared/domain/voucher.js';
import type { SettingsService } from '../config/deskSettings.js';
import type { Counter } from '../counter/counter.js';
import { deskCodeFor, isYahooError, yahooPhrase } from '../counter/errors.js';
import { toVoucherView } from '../counter/view.js';
import type { OutboxFilter, Redemption } from '../db/redemptions.js';
import { searchVouchers } from '../db/search.js';
import type { DeskStore } from '../db/store.js';
import { syncStateOf } from '../db/syncState.js';
import type { Logger } from '../log/logger.js';
import type { YahooApi } from '../yahoo/api.js';
import type { ConnectivityMonitor } from './connectivity.js';
import type { OutboxWorker } from './outbox.js';
import { pullVouchers } from './pull.js';
import { purgePersonalData } from './retention.js';

export interface SyncWorkspace {
  store: DeskStore;
  counter: Counter;
  outbox: OutboxWorker;
}

export interface SyncServiceOptions {
  workspace: () => SyncWorkspace;
  yahoo: () => YahooApi | null;
  connectivity: ConnectivityMonitor;
  settings: SettingsService;
  now: () => Date;
  log: Logger;
  /**
   * The WAUG orders pull of the last `windowDays` days, or null when WAUG is not configured. Runs
   * after the Yahoo work; its failure is logged and never fails the Yahoo sync.
   */
  pullOrders?: () => ((windowDays: number) => Promise<{ pulled: number }>) | null;
  /** WAUG bookings waiting and failed (bookings/service.ts); zeros when absent. */
  bookingCounts?: () => { queued: number; failed: number };
}

export interface SyncService {
  status(): SyncStatus;
  syncNow(): Promise<SyncSummary>;
  listOutbox(filter: OutboxFilter, limit: number): OutboxEntry[];
  resolveConflict(request: { redemptionId: string; resolution: ConflictResolution; note: string }): OutboxEntry;
  search(query: string, limit: number): SearchResult;
  onChange(listener: (status: SyncStatus) => void): () => void;
  /** An outbox row changed: bump the revision and tell the listeners. */
  outboxChanged(): void;
  /** Something else in the status changed (settings, connectivity). */
  changed(): void;
  stop(): Promise<void>;
}

export function outboxState(row: Redemption): OutboxEntry['state'] {
  switch (row.state) {
    case 'pending':
      return 'queued';
    case 'redeemed':
      return row.confirmedByQuery ? 'confirmed' : 'delivered';
    default:
      return row.state;
  }
}

/** The renderer's view of an outbox row: the buyer's name masked, no phone. */
export function toOutboxEntry(row: Redemption, title: string | null, buyerName: string | null): OutboxEntry {
  return {
    redemptionId: row.id,
    serialNumber: row.serialNumber,
    title,
    buyerNameMasked: maskName(buyerName),
    station: row.station,
    operatorName: row.operator,
    createdAt: row.createdAt,
    state: outboxState(row),
    attempts: row.attempts,
    nextAttemptAt: row.state === 'pending' ? row.nextAttemptAt : null,
    lastError: row.lastError,
    completedAt: row.completedAt,
    conflict: row.conflict
      ? {
          reason: row.conflict.reason,
          yahooStatus: row.yahooStatus,
          resolution: row.conflict.resolution,
          note: row.conflict.note,
          resolvedAt: row.conflict.resolvedAt,
          resolvedBy: row.conflict.resolvedBy,
        }
      : null,
  };
}

function summaryError(error: unknown): { code: ErrorCode; message: string } {
  if (isYahooError(error))
    return { code: deskCodeFor(error.kind), message: `${yahooPhrase(error.kind)}. ${error.message}` };
  if (error instanceof DeskError) return { code: error.code, message: error.message };
  return { code: 'internal', message: 'The sync stopped on an unexpected error; see the log.' };
}

export function createSyncService(options: SyncServiceOptions): SyncService {
  const { connectivity, settings, log } = options;
  const listeners = new Set<(status: SyncStatus) => void>();
  let revision = 0;
  let progress: SyncStatus['sync'] = null;
  let lastSyncError: string | null = null;
  let lastSyncAt: string | null = null;
  let running: Promise<SyncSummary> | null = null;
  let scheduled: ReturnType<typeof setImmediate> | null = null;
  let stopped = false;
  const abort = new AbortController();

  let lastSyncKnown = false;

  const bookingCounts = (): { bookingsQueued: number; bookingsFailed: number } => {
    const counts = options.bookingCounts?.() ?? { queued: 0, failed: 0 };
    return { bookingsQueued: counts.queued, bookingsFailed: counts.failed };
  };

  function status(): SyncStatus {
    const ws = options.workspace();
    if (!lastSyncKnown && ws.store.db.open) {
      // Until this session syncs: when the last pull of this database finished.
      lastSyncKnown = true;
      try {
        lastSyncAt ??= syncStateOf(ws.store.db).lastFinishedRun()?.finishedAt ?? null;
      } catch {
        lastSyncAt = null;
      }
    }
    const open = ws.store.db.open;
    const counts = open ? ws.store.redemptions.counts() : { queued: 0, unresolvedConflicts: 0 };
    return {
      connectivity: connectivity.workOffline ? 'offline' : connectivity.state,
      workOffline: connectivity.workOffline,
      queued: counts.queued,
      conflicts: counts.unresolvedConflicts,
      lastSyncAt,
      lastSyncError,
      sync: progress,
      cachedVouchers: open ? ws.store.vouchers.count() : 0,
      ...bookingCounts(),
      revision,
    };
  }

  /** Listeners hear at most once per tick: a drain of 1 000 rows is not 1 000 pushes. */
  function changed(): void {
    if (stopped || scheduled !== null || listeners.size === 0) return;
    scheduled = setImmediate(() => {
      scheduled = null;
      if (stopped) return;
      let snapshot: SyncStatus;
      try {
        snapshot = status();
      } catch (error) {
        log.error('could not read the sync status', { error });
        return;
      }
      for (const listener of listeners) {
        try {
          listener(snapshot);
        } catch (error) {
          log.error('sync status listener failed', { error });
        }
      }
    });
  }

  connectivity.onChange(() => changed());

  async function runSync(): Promise<SyncSummary> {
    const started = performance.now();
    const ws = options.workspace();
    const api = options.yahoo();
    const s = settings.read();
    const summary: SyncSummary = {
      pulled: 0,
      windows: 0,
      delivered: 0,
      confirmedByQuery: 0,
      conflicts: 0,
      stillQueued: 0,
      purged: 0,
      durationMs: 0,
      error: null,
    };
    const stopWith = (error: unknown) => {
      summary.error ??= summaryError(error);
    };
    try {
      if (!api) {
        summary.error = {
          code: 'not_configured',
          message:
            'Yahoo is not set up on this desk yet: enter the API base URL, API key and shared secret in Settings.',
        };
      } else {
        progress = { phase: 'pulling', done: 0, total: null };
        changed();
        try {
          const pulled = await pullVouchers(ws.store, api, {
            windowDays: s.syncWindowDays,
            now: options.now(),
            signal: abort.signal,
            onProgress: (p) => {
              progress = { phase: 'pulling', done: p.done, total: p.total };
              changed();
            },
            log,
          });
          summary.pulled = pulled.pulled;
          summary.windows = pulled.windows;
        } catch (error) {
          stopWith(error);
        }
        // The outbox is the money part: deliver even if the pull failed, unless Yahoo is out of reach.
        if (!connectivity.offline && !stopped) {
          progress = { phase: 'delivering', done: 0, total: ws.store.redemptions.counts().queued };
          changed();
          const stats = await ws.outbox.drain({
            onProgress: (p) => {
              progress = { phase: 'delivering', done: p.done, total: p.total };
              changed();
            },
          });
          summary.delivered = stats.delivered;
          summary.confirmedByQuery = stats.confirmedByQuery;
          summary.conflicts = stats.conflicts;
          if (connectivity.offline) stopWith(new DeskError('network', 'Yahoo could not be reached while delivering.'));
        } else if (!summary.error) {
          stopWith(
            new DeskError(
              'network',
              connectivity.workOffline ? 'Working offline: nothing was sent to Yahoo.' : 'Yahoo could not be reached.',
            ),
          );
        }
      }
      const pullOrders = options.pullOrders?.() ?? null;
      if (pullOrders !== null && !stopped && !connectivity.workOffline) {
        try {
          const orders = await pullOrders(s.syncWindowDays);
          log.info('orders pulled', { pulled: orders.pulled });
        } catch (error) {
          log.warn('the WAUG orders pull failed; the Yahoo sync is not affected', {
            code: error instanceof DeskError ? error.code : 'internal',
          });
        }
      }
      // Local housekeeping: runs whatever Yahoo did.
      try {
        summary.purged = purgePersonalData(ws.store, options.now(), s.retentionDays);
      } catch (error) {
        stopWith(error);
      }
      summary.stillQueued = ws.store.redemptions.counts().queued;
    } catch (error) {
      log.error('sync failed', { error });
      stopWith(error);
    } finally {
      progress = null;
    }
    summary.durationMs = Math.round(performance.now() - started);
    if (summary.error) {
      lastSyncError = summary.error.message;
      log.warn('sync stopped early', { code: summary.error.code });
    } else {
      lastSyncError = null;
      lastSyncAt = options.now().toISOString();
    }
    revision += 1;
    changed();
    return summary;
  }

  function entryFor(row: Redemption, store: DeskStore): OutboxEntry {
    const cached = store.vouchers.getBySerial(row.serialNumber);
    return toOutboxEntry(row, cached?.voucher.title ?? null, cached?.voucher.buyerDetails.name ?? null);
  }

  return {
    status,
    syncNow() {
      if (stopped) return Promise.reject(new DeskError('busy', 'The desk is closing.'));
      running ??= runSync().finally(() => {
        running = null;
      });
      return running;
    },
    listOutbox(filter, limit) {
      const { rows, corrupt } = options.workspace().store.redemptions.list(filter, limit);
      if (corrupt.length > 0)
        log.error('outbox rows failed validation and are not listed', { ids: corrupt.map((c) => c.id) });
      return rows.map(({ redemption, title, buyerName }) => toOutboxEntry(redemption, title, buyerName));
    },
    resolveConflict({ redemptionId, resolution, note }) {
      const ws = options.workspace();
      const { store } = ws;
      let row: Redemption | null;
      try {
        row = store.redemptions.get(redemptionId);
      } catch {
        row = null;
      }
      if (!row || row.state !== 'conflict' || row.conflict?.resolution) {
        throw new DeskError(
          'bad_input',
          row === null
            ? `There is no conflict ${redemptionId} at this desk.`
            : `${redemptionId} is not an unresolved conflict, so there is nothing to resolve.`,
        );
      }
      const who = settings.read().operatorName || 'unknown operator';
      const at = options.now().toISOString();
      const conflictRow = row;
      store.db.transaction(() => {
        if (!store.redemptions.resolve(conflictRow.id, { resolution, note, resolvedAt: at, resolvedBy: who })) {
          throw new DeskError(
            'bad_input',
            `${redemptionId} is not an unresolved conflict, so there is nothing to resolve.`,
          );
        }
        // The note is free text from the operator: it stays in the row, never in the audit log.
        ws.counter.context.audit({
          action: 'redeem',
          serialNumber: conflictRow.serialNumber,
          voucherId: conflictRow.voucherId,
          redemptionId: conflictRow.id,
          outcome: 'resolved',
          detail: `conflict resolved: ${resolution}`,
          at,
        });
      })();
      revision += 1;
      changed();
      const after = store.redemptions.get(redemptionId);
      if (!after) throw new DeskError('internal', 'The resolved conflict could not be read back.');
      return entryFor(after, store);
    },
    search(query, limit) {
      const found = searchVouchers(options.workspace().store, query, limit);
      const now = options.now();
      return {
        matchedBy: found.matchedBy,
        truncated: found.truncated,
        hits: found.hits.map((hit) => ({
          voucher: toVoucherView(hit.voucher),
          verdict: redeemVerdict(hit.voucher, now),
          fetchedAt: hit.fetchedAt,
        })),
      };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    outboxChanged() {
      revision += 1;
      changed();
    },
    changed,
    async stop() {
      stopped = true;
      abort.abort(new Error('the desk is closing'));
      if (scheduled !== null) clearImmediate(scheduled);
      scheduled = null;
      listeners.clear();
      await running?.catch(() => {});
    },
  };
}
