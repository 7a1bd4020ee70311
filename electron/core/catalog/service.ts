/**
 * The WAUG catalog at the counter (issue 6 item 1, core side): goods, options, dated prices,
 * order-input groups and the first page of comments, cached in SQLite so the clerk browses at
 * once and offline.
 *
 *  - refreshGoods: the targeted re-read (GOODS_UPDATE, before every order, a 'remote' view):
 *    detail, order infos, prices of a range and the first comments page, stored in one
 *    transaction. A 103 removes the goods from the cache.
 *  - fullSync: pages through listGoods, removes the goods WAUG no longer lists (only when the
 *    listing is whole), then re-reads each goods (today..today+CATALOG_PRICE_DAYS, Asia/Seoul),
 *    each stored on its own so an interrupted sync keeps what it read. A goods whose own answer
 *    fails (malformed, a 5xx) keeps its cached copy and is counted in the summary; WAUG out of
 *    reach, refusing us or rate-limiting stops the sync. One at a time: a second call joins the
 *    running one. Its calls use the pacer's background lane (waug/rateLimit.ts), so the clerk's
 *    own WAUG calls never queue behind a sync.
 *  - scheduleDaily: at start (after a delay) and then every checkEveryMs, a full sync when the
 *    last one is older than maxAgeMs, and only when WAUG is configured and not worked offline.
 *  - listGoods answers from the cache only; getGoods and getGoodsPrices answer from the cache or
 *    WAUG as asked, falling back to the cache when WAUG is out of reach.
 */
import { DateTime } from 'luxon';
import type {
  CatalogSyncSummary,
  GetGoodsPricesResult,
  GetGoodsResult,
  ListGoodsResult,
} from '../../../shared/contract.js';
import { DeskError } from '../../../shared/errors.js';
import { catalogOf, type CatalogFilter, type CatalogStore } from '../db/catalog.js';
import type { DeskStore } from '../db/store.js';
import type { Logger } from '../log/logger.js';
import { dayChunks } from '../orders/service.js';
import {
  describeWaugFailure,
  deskErrorFromWaug,
  isWaugError,
  WAUG_CACHE_FALLBACK_KINDS,
  waugNotConfigured,
  waugPhrase,
} from '../orders/errors.js';
import type { WaugReachability } from '../orders/reachability.js';
import type { WaugApi, WaugCallOptions, WaugComment, WaugDateRange, WaugErrorKind, WaugPage } from '../waug/api.js';
import { WAUG_DATE_FORMAT, WAUG_TIME_ZONE } from '../waug/constants.js';
import { waugDayOf } from '../waug/time.js';
import type { CatalogReader, FreshGoods } from './types.js';
import { toGoodsDetailView, toGoodsPriceView, toGoodsSummaryView } from './view.js';

/** A full sync reads prices from today to this many days ahead (Asia/Seoul). */
export const CATALOG_PRICE_DAYS = 90;
/** getGoodsPrices asks WAUG for at most this many days per call (the sandbox refuses over 93). */
export const PRICE_CHUNK_DAYS = 91;
/** The longest range one getGoodsPrices call accepts. */
export const PRICE_MAX_DAYS = 366;
/** listGoods page size during a full sync. */
export const LIST_PAGE_SIZE = 100;
/** The first page of comments, as the goods detail shows it. */
export const COMMENTS_PAGE_SIZE = 20;
/** While WAUG is judged unreachable, a read of what the cache lacks still asks, but gives up sooner. */
export const OFFLINE_CATALOG_TIMEOUT_MS = 3_000;
/** A listing longer than this is not trusted (a WAUG paging bug would loop for ever). */
const MAX_LIST_PAGES = 200;
/** Failures that are WAUG's or the connection's, not one goods': a full sync stops on them. */
const SYNC_STOPPING_KINDS: ReadonlySet<WaugErrorKind> = new Set([
  'network',
  'timeout',
  'upstream_timeout',
  'rate_limited',
  'invalid_authentication',
]);

export interface CatalogSchedule {
  /** The first check after start. */
  firstAfterMs: number;
  /** Then a check this often. */
  checkEveryMs: number;
  /** A check syncs when the last full sync is older than this. */
  maxAgeMs: number;
}
export const CATALOG_SCHEDULE_DEFAULTS: Readonly<CatalogSchedule> = Object.freeze({
  firstAfterMs: 8_000,
  checkEveryMs: 60 * 60_000,
  maxAgeMs: 24 * 60 * 60_000,
});

export interface CatalogServiceOptions {
  store: () => DeskStore;
  /** The WAUG client in use (wrapped by the reachability judge), or null when unconfigured. */
  waug: () => WaugApi | null;
  reachability: WaugReachability;
  now: () => Date;
  log: Logger;
  /** The cache changed: one goods (its id) or a full sync (null). */
  onChanged?: (goodsId: string | null) => void;
}

export interface CatalogService extends CatalogReader {
  listGoods(request: Omit<CatalogFilter, 'query'> & { query?: string }): ListGoodsResult;
  getGoods(request: { goodsId: string; prefer: 'cache' | 'remote' }): Promise<GetGoodsResult>;
  getGoodsPrices(request: {
    goodsId: string;
    startDate: string;
    endDate: string;
    prefer: 'cache' | 'remote';
  }): Promise<GetGoodsPricesResult>;
  /** Runs a full sync now (or joins the running one); failures are in the summary, not thrown. */
  syncCatalog(): Promise<CatalogSyncSummary>;
  /** Starts the daily full sync; stop() ends it. */
  scheduleDaily(schedule?: Partial<CatalogSchedule>): void;
  /** Clears the timers and waits for a running sync to stop. */
  stop(): Promise<void>;
}

/** The days a catalog read covers: today..today+days, Asia/Seoul. */
export function catalogRange(atMs: number, days = CATALOG_PRICE_DAYS): WaugDateRange {
  const start = DateTime.fromMillis(atMs, { zone: WAUG_TIME_ZONE });
  return { startDate: start.toFormat(WAUG_DATE_FORMAT), endDate: start.plus({ days }).toFormat(WAUG_DATE_FORMAT) };
}

function errorOf(error: unknown, what: string): DeskError {
  if (error instanceof DeskError) return error;
  if (isWaugError(error)) return deskErrorFromWaug(error, what);
  return new DeskError('internal', `${what} (${error instanceof Error ? error.name : 'unknown failure'})`, {
    cause: error,
  });
}

export function createCatalogService(options: CatalogServiceOptions): CatalogService {
  const { log, reachability } = options;
  const catalog = (): CatalogStore => catalogOf(options.store().db);
  const nowIso = () => options.now().toISOString();
  const today = () => waugDayOf(options.now().getTime());
  let running: Promise<CatalogSyncSummary> | null = null;
  let stopping: AbortController | null = null;
  let stopped = false;
  const timers: ReturnType<typeof setTimeout>[] = [];

  const requireWaug = (): WaugApi => {
    const api = options.waug();
    if (api === null) throw waugNotConfigured();
    return api;
  };

  const emit = (goodsId: string | null): void => {
    try {
      options.onChanged?.(goodsId);
    } catch (error) {
      log.error('catalogChanged listener failed', { error });
    }
  };

  const aheadRange = (): WaugDateRange => catalogRange(options.now().getTime());
  const clerkCall = (): WaugCallOptions | undefined =>
    reachability.offline ? { timeoutMs: OFFLINE_CATALOG_TIMEOUT_MS } : undefined;

  const ensureOpen = (): void => {
    if (!options.store().db.open) throw new DeskError('busy', 'The desk is closing.');
  };

  async function readPrices(api: WaugApi, goodsId: string, range: WaugDateRange, call?: WaugCallOptions) {
    const chunks = dayChunks(range.startDate, range.endDate, PRICE_CHUNK_DAYS);
    const answers = await Promise.all(chunks.map((chunk) => api.getGoodsPrices(goodsId, chunk, call)));
    return answers.flat();
  }

  /** `quiet`: a full sync tells once, at its end, rather than per goods. */
  async function refreshGoods(
    goodsId: string,
    range: WaugDateRange,
    call?: WaugCallOptions,
    quiet = false,
  ): Promise<FreshGoods> {
    const api = requireWaug();
    // Comments are a nicety: their failure keeps the cached ones rather than failing the re-read.
    const comments = api
      .getGoodsComments(goodsId, { page: 1, size: COMMENTS_PAGE_SIZE }, call)
      .catch((error: unknown): WaugPage<WaugComment> | null => {
        if (!(isWaugError(error) && error.kind === 'not_found'))
          log.warn('catalog: comments not read; the cached ones stay', {
            goodsId,
            failure: describeWaugFailure(error),
          });
        return null;
      });
    let read;
    try {
      read = await Promise.all([
        api.getGoods(goodsId, call),
        api.getGoodsOrderInfos(goodsId, call),
        readPrices(api, goodsId, range, call),
        comments,
      ]);
    } catch (error) {
      if (isWaugError(error) && error.kind === 'not_found') {
        ensureOpen();
        if (catalog().remove(goodsId) && !quiet) emit(goodsId);
      }
      throw error;
    }
    const [goods, orderInfos, prices, firstComments] = read;
    ensureOpen();
    const syncedAt = nowIso();
    catalog().save({ goods, orderInfos, prices, range, comments: firstComments, syncedAt });
    if (!quiet) emit(goodsId);
    return {
      goods,
      orderInfos,
      prices: prices.filter((p) => p.date >= range.startDate && p.date <= range.endDate),
      range,
      syncedAt,
    };
  }

  /**
   * Every goods WAUG lists, and whether that is the whole listing: as many distinct goods as its
   * count says, within MAX_LIST_PAGES. WAUG may answer fewer per page than asked (a lower cap), so
   * paging goes on while the count is not reached and a page still brings goods.
   */
  async function listAll(api: WaugApi, call: WaugCallOptions): Promise<{ listed: string[]; whole: boolean }> {
    const listed = new Set<string>();
    for (let page = 1; page <= MAX_LIST_PAGES; page += 1) {
      const answer = await api.listGoods({ page, size: LIST_PAGE_SIZE }, call);
      for (const g of answer.items) listed.add(g.goodsId);
      if (listed.size >= answer.count) return { listed: [...listed], whole: true };
      if (answer.items.length === 0) break;
    }
    return { listed: [...listed], whole: false };
  }

  async function fullSync(signal: AbortSignal): Promise<CatalogSyncSummary> {
    const started = performance.now();
    const api = requireWaug();
    catalog().recordSyncAttempt(nowIso());
    let stored = 0;
    let removed = 0;
    let failed = 0;
    const summary = (error: DeskError | null): CatalogSyncSummary => ({
      goods: stored,
      removed,
      durationMs: Math.round(performance.now() - started),
      error: error === null ? null : { code: error.code, message: error.message },
    });
    // Bulk: the background lane of the pacer, so the clerk's own WAUG calls never queue behind it.
    const call = { signal, background: true };
    try {
      const { listed, whole } = await listAll(api, call);
      ensureOpen();
      // Only a whole listing says what WAUG no longer sells; a partial one removes nothing.
      if (whole) removed = catalog().keepOnly(listed);
      else log.warn('catalog listing incomplete; no goods removed', { listed: listed.length });
      const range = aheadRange();
      for (const goodsId of listed) {
        if (signal.aborted) throw new DeskError('busy', 'The desk is closing.');
        try {
          await refreshGoods(goodsId, range, call, true);
          stored += 1;
        } catch (error) {
          // Listed a moment ago, gone now: refreshGoods removed it; the others go on.
          if (isWaugError(error) && error.kind === 'not_found') removed += 1;
          else if (signal.aborted || !isWaugError(error) || SYNC_STOPPING_KINDS.has(error.kind)) throw error;
          else {
            // This goods' own answer failed: its cached copy stays; the others go on.
            failed += 1;
            log.warn('catalog: a goods could not be read; its cached copy stays', {
              goodsId,
              failure: describeWaugFailure(error),
            });
          }
        }
      }
      ensureOpen();
      catalog().prunePricesBefore(range.startDate);
      catalog().recordFullSync(nowIso());
      const unread =
        failed === 0
          ? null
          : new DeskError('upstream', `${failed} goods could not be read; their cached copies are kept.`);
      if (unread !== null) catalog().recordSyncError(unread.message);
      const result = summary(unread);
      log.info('catalog synced', { goods: stored, removed, failed, durationMs: result.durationMs });
      return result;
    } catch (error) {
      const failure = errorOf(
        error,
        `The catalog sync stopped after ${stored} goods; what was read is kept and the rest is as before.`,
      );
      log.warn('catalog sync stopped', { goods: stored, failure: describeWaugFailure(error) });
      if (options.store().db.open) catalog().recordSyncError(failure.message);
      return summary(failure);
    } finally {
      if (stored > 0 || removed > 0) emit(null);
    }
  }

  function syncCatalog(): Promise<CatalogSyncSummary> {
    if (running !== null) return running;
    if (stopped) return Promise.reject(new DeskError('busy', 'The desk is closing.'));
    if (options.waug() === null) return Promise.reject(waugNotConfigured());
    const controller = new AbortController();
    stopping = controller;
    running = fullSync(controller.signal).finally(() => {
      running = null;
      stopping = null;
    });
    return running;
  }

  async function getGoods({
    goodsId,
    prefer,
  }: {
    goodsId: string;
    prefer: 'cache' | 'remote';
  }): Promise<GetGoodsResult> {
    requireWaug();
    const cachedView = () => {
      const hit = catalog().get(goodsId);
      return hit === null ? null : toGoodsDetailView(hit, catalog().fromPrice(goodsId, today()));
    };
    if (prefer === 'cache' || reachability.offline) {
      const hit = cachedView();
      if (hit !== null) return { kind: 'found', goods: hit, source: 'cache' };
    }
    try {
      await refreshGoods(goodsId, aheadRange(), clerkCall());
    } catch (error) {
      if (isWaugError(error) && error.kind === 'not_found') return { kind: 'not_found', source: 'remote' };
      if (isWaugError(error) && WAUG_CACHE_FALLBACK_KINDS.has(error.kind)) {
        const hit = cachedView();
        if (hit !== null) return { kind: 'found', goods: hit, source: 'cache' };
        throw offlineMiss(error.kind, `Goods ${goodsId} is not in this desk’s catalog cache`, error);
      }
      throw errorOf(error, `Goods ${goodsId} could not be read.`);
    }
    const fresh = cachedView();
    if (fresh === null) throw new DeskError('internal', 'The goods could not be read back from the cache.');
    return { kind: 'found', goods: fresh, source: 'remote' };
  }

  function offlineMiss(kind: Parameters<typeof waugPhrase>[0], what: string, cause: unknown): DeskError {
    const why = reachability.workOffline ? 'Working offline' : waugPhrase(kind);
    const code =
      kind === 'timeout' || kind === 'upstream_timeout' ? 'timeout' : kind === 'network' ? 'network' : 'upstream';
    return new DeskError(code, `${why}, and ${what}, so it cannot be shown offline.`, { cause });
  }

  async function getGoodsPrices(request: {
    goodsId: string;
    startDate: string;
    endDate: string;
    prefer: 'cache' | 'remote';
  }): Promise<GetGoodsPricesResult> {
    const api = requireWaug();
    const { goodsId } = request;
    const range = { startDate: request.startDate, endDate: request.endDate };
    const days = dayChunks(range.startDate, range.endDate, 1).length;
    if (days > PRICE_MAX_DAYS)
      throw new DeskError('bad_input', `Ask for at most ${PRICE_MAX_DAYS} days of prices at a time (${days} asked).`);
    const fromCache = (): GetGoodsPricesResult => {
      const cached = catalog().prices(goodsId, range);
      return { prices: cached.prices.map(toGoodsPriceView), source: 'cache', syncedAt: cached.syncedAt };
    };
    const cached = catalog().prices(goodsId, range);
    if ((request.prefer === 'cache' && cached.complete) || (reachability.offline && cached.syncedAt !== null))
      return fromCache();
    try {
      if (catalog().has(goodsId)) {
        const prices = await readPrices(api, goodsId, range, clerkCall());
        ensureOpen();
        const syncedAt = nowIso();
        catalog().savePrices(goodsId, range, prices, syncedAt);
      } else {
        await refreshGoods(goodsId, range, clerkCall());
      }
    } catch (error) {
      if (isWaugError(error) && error.kind === 'not_found') {
        if (catalog().remove(goodsId)) emit(goodsId);
        throw new DeskError('not_found', `WAUG has no goods ${goodsId}.`, { cause: error });
      }
      if (isWaugError(error) && WAUG_CACHE_FALLBACK_KINDS.has(error.kind)) {
        if (catalog().has(goodsId)) return fromCache();
        throw offlineMiss(error.kind, `goods ${goodsId} is not in this desk’s catalog cache`, error);
      }
      throw errorOf(error, `The prices of goods ${goodsId} could not be read.`);
    }
    const answer = catalog().prices(goodsId, range);
    return { prices: answer.prices.map(toGoodsPriceView), source: 'remote', syncedAt: answer.syncedAt };
  }

  function listGoods(request: Omit<CatalogFilter, 'query'> & { query?: string }): ListGoodsResult {
    requireWaug();
    const store = catalog();
    const state = store.syncState();
    return {
      goods: store.list({ ...request, query: request.query ?? '' }, today()).map(toGoodsSummaryView),
      cities: store.cities(),
      syncedAt: state.lastFullSyncAt,
      syncing: running !== null,
      lastSyncError: state.lastError,
    };
  }

  function scheduleDaily(schedule: Partial<CatalogSchedule> = {}): void {
    const { firstAfterMs, checkEveryMs, maxAgeMs } = { ...CATALOG_SCHEDULE_DEFAULTS, ...schedule };
    const check = () => {
      if (stopped || options.waug() === null || reachability.workOffline || !options.store().db.open) return;
      const last = catalog().syncState().lastFullSyncAt;
      if (last !== null && options.now().getTime() - Date.parse(last) < maxAgeMs) return;
      void syncCatalog().catch((error: unknown) => log.error('daily catalog sync failed', { error }));
    };
    const first = setTimeout(check, firstAfterMs);
    first.unref();
    const every = setInterval(check, checkEveryMs);
    every.unref();
    timers.push(first, every);
  }

  return {
    refreshGoods: (goodsId, range, call) => refreshGoods(goodsId, range, call),
    cachedGoods(goodsId) {
      const hit = catalog().get(goodsId);
      return hit === null ? null : { goods: hit.goods, orderInfos: hit.orderInfos, syncedAt: hit.syncedAt };
    },
    listGoods,
    getGoods,
    getGoodsPrices,
    syncCatalog,
    scheduleDaily,
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.length = 0;
      stopping?.abort();
      await running?.catch(() => {});
    },
  };
}
